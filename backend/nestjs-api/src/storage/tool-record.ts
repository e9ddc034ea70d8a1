import type { Tool, ToolInput, ToolPatch } from '@codiesvibe/shared/domain';
import { normalizeText, searchTermsOf } from '../search/relevance.js';

/**
 * A tool as both adapters store it: the public fields plus derived keys that their indexes use.
 * The derived keys are recomputed on every write and never leave the repository.
 */
export interface ToolRecord extends Tool {
  /** Every searchable word (see `searchTermsOf`); a multikey index narrows text queries. */
  _terms: string[];
  /** Sort key of `sort=name`: the name lowercased without accents, compared code unit by code unit. */
  _nameKey: string;
}

/** Sort key of a name; both stores compare it as plain strings. */
export function nameKeyOf(name: string): string {
  return normalizeText(name).trim();
}

/** The stored record of a new tool. */
export function newToolRecord(input: ToolInput, now: Date): ToolRecord {
  const timestamp = now.toISOString();
  return withDerivedKeys({ ...input, createdAt: timestamp, updatedAt: timestamp });
}

/** The stored record after a partial update; the slug and createdAt never change. */
export function patchedToolRecord(current: Tool, patch: ToolPatch, now: Date): ToolRecord {
  const merged: Tool = { ...current, ...definedOnly(patch), slug: current.slug, createdAt: current.createdAt, updatedAt: now.toISOString() };
  return withDerivedKeys(merged);
}

function definedOnly<T extends object>(value: T): Partial<T> {
  return Object.fromEntries(Object.entries(value).filter(([, field]) => field !== undefined)) as Partial<T>;
}

function withDerivedKeys(tool: Tool): ToolRecord {
  return { ...toTool(tool), _terms: searchTermsOf(tool), _nameKey: nameKeyOf(tool.name) };
}

/**
 * The public view of a stored document, with fields in one fixed order so that both adapters
 * serialise a tool to the same JSON (store ids and derived keys are dropped).
 */
export function toTool(record: Tool): Tool {
  const tool: Tool = {
    slug: record.slug,
    name: record.name,
    tagline: record.tagline,
    description: record.description,
    website: record.website,
    categories: [...record.categories],
    tags: [...record.tags],
    pricing: record.pricing.monthlyPriceFrom === undefined ? { model: record.pricing.model } : { model: record.pricing.model, monthlyPriceFrom: record.pricing.monthlyPriceFrom },
    platforms: [...record.platforms],
    openSource: record.openSource,
    createdAt: record.createdAt,
    updatedAt: record.updatedAt,
  };
  if (record.repository !== undefined) tool.repository = record.repository;
  if (record.license !== undefined) tool.license = record.license;
  return reorder(tool);
}

const FIELD_ORDER: (keyof Tool)[] = [
  'slug', 'name', 'tagline', 'description', 'website', 'repository', 'categories', 'tags', 'pricing',
  'platforms', 'openSource', 'license', 'createdAt', 'updatedAt',
];

function reorder(tool: Tool): Tool {
  const ordered: Record<string, unknown> = {};
  for (const field of FIELD_ORDER) if (tool[field] !== undefined) ordered[field] = tool[field];
  return ordered as unknown as Tool;
}
