import {
  ERROR_CODES,
  HttpError,
  type FieldError,
} from '@codiesvibe/shared';
import {
  PRICING_MODELS,
  TOOL_CATEGORIES,
  TOOL_PLATFORMS,
  TOOL_SORTS,
  toolInputSchema,
  toolPatchSchema,
  type ToolFilters,
  type ToolInput,
  type ToolPatch,
  type ToolSort,
} from '@codiesvibe/shared/domain';
import type { z } from 'zod';

/** Parsed `GET /api/tools` parameters, canonical (sorted, deduplicated) so equal queries share a cache key. */
export interface ListParams {
  filters: ToolFilters;
  sort: ToolSort;
  limit: number;
  cursor?: string;
}

export const DEFAULT_LIMIT = 20;
export const MAX_LIMIT = 100;
export const MAX_QUERY_LENGTH = 200;
const MAX_VALUES_PER_FILTER = 20;
const SLUG_PATTERN = /^[a-z0-9]+(?:-[a-z0-9]+)*$/;
const CURSOR_PATTERN = /^[A-Za-z0-9_-]{1,512}$/;

export const FILTER_PARAMS = ['q', 'category', 'tag', 'pricing', 'platform', 'openSource'] as const;
export const LIST_PARAMS = [...FILTER_PARAMS, 'sort', 'limit', 'cursor'] as const;

function invalid(errors: FieldError[]): HttpError {
  const summary = errors.map((error) => `${error.field} ${error.message}`).join('; ');
  return new HttpError(400, ERROR_CODES.VALIDATION, `Invalid request: ${summary}`, errors);
}

/** Collects field errors while reading raw query values. */
class QueryReader {
  readonly errors: FieldError[] = [];
  constructor(private readonly raw: Record<string, unknown>) {}

  /**
   * A parameter given at most once, as a string; empty counts as absent (forms send `limit=`).
   * Objects (e.g. `{ $gt: '' }`) are refused.
   */
  single(field: string): string | undefined {
    const value = this.raw[field];
    if (value === undefined) return undefined;
    if (Array.isArray(value)) return this.fail(field, 'must be given once');
    if (typeof value !== 'string') return this.fail(field, 'must be a string');
    return value === '' ? undefined : value;
  }

  /** A repeatable, comma-separable parameter: its values trimmed, deduplicated and sorted. */
  many(field: string): string[] | undefined {
    const value = this.raw[field];
    if (value === undefined) return undefined;
    const parts = Array.isArray(value) ? (value as unknown[]) : [value];
    if (!parts.every((part): part is string => typeof part === 'string')) return this.fail(field, 'must be a string');
    const values = [...new Set(parts.flatMap((part) => part.split(',')).map((part) => part.trim()).filter(Boolean))].sort();
    if (values.length > MAX_VALUES_PER_FILTER) return this.fail(field, `accepts at most ${MAX_VALUES_PER_FILTER} values`);
    return values.length > 0 ? values : undefined;
  }

  oneOfMany<T extends string>(field: string, vocabulary: readonly T[]): T[] | undefined {
    const values = this.many(field);
    const unknown = values?.filter((value) => !(vocabulary as readonly string[]).includes(value));
    if (unknown?.length) return this.fail(field, `has unknown value ${unknown.map((v) => `"${v}"`).join(', ')} (expected ${vocabulary.join(', ')})`);
    return values as T[] | undefined;
  }

  fail(field: string, message: string): undefined {
    this.errors.push({ field, message });
    return undefined;
  }
}

function rawObject(raw: unknown): Record<string, unknown> {
  return raw !== null && typeof raw === 'object' ? (raw as Record<string, unknown>) : {};
}

function readFilters(reader: QueryReader): ToolFilters {
  const filters: ToolFilters = {};
  const q = reader.single('q')?.trim();
  if (q !== undefined && q.length > MAX_QUERY_LENGTH) reader.fail('q', `must be at most ${MAX_QUERY_LENGTH} characters`);
  else if (q) filters.q = q;
  const category = reader.oneOfMany('category', TOOL_CATEGORIES);
  if (category) filters.category = category;
  const tag = reader.many('tag');
  const badTags = tag?.filter((value) => value.length > 40 || !SLUG_PATTERN.test(value));
  if (badTags?.length) reader.fail('tag', `has invalid value ${badTags.map((v) => `"${v}"`).join(', ')} (tags are kebab-case)`);
  else if (tag) filters.tag = tag;
  const pricing = reader.oneOfMany('pricing', PRICING_MODELS);
  if (pricing) filters.pricing = pricing;
  const platform = reader.oneOfMany('platform', TOOL_PLATFORMS);
  if (platform) filters.platform = platform;
  const openSource = reader.single('openSource');
  if (openSource === 'true' || openSource === 'false') filters.openSource = openSource === 'true';
  else if (openSource !== undefined) reader.fail('openSource', 'must be true or false');
  return filters;
}

function rejectUnknown(raw: Record<string, unknown>, allowed: readonly string[], reader: QueryReader): void {
  for (const key of Object.keys(raw)) if (!allowed.includes(key)) reader.fail(key, `is not a known query parameter (expected ${allowed.join(', ')})`);
}

/**
 * Validates `GET /api/tools` query parameters.
 * @throws HttpError 400 `CV_ERR_VALIDATION` listing every bad or unknown parameter.
 */
export function parseListParams(raw: unknown): ListParams {
  const query = rawObject(raw);
  const reader = new QueryReader(query);
  rejectUnknown(query, LIST_PARAMS, reader);
  const filters = readFilters(reader);
  const sortValue = reader.single('sort');
  if (sortValue !== undefined && !(TOOL_SORTS as readonly string[]).includes(sortValue)) reader.fail('sort', `must be one of ${TOOL_SORTS.join(', ')}`);
  const limitValue = reader.single('limit');
  const limit = limitValue === undefined ? DEFAULT_LIMIT : Number(limitValue);
  if (limitValue !== undefined && (!/^\d{1,3}$/.test(limitValue) || limit < 1 || limit > MAX_LIMIT)) reader.fail('limit', `must be an integer from 1 to ${MAX_LIMIT}`);
  const cursor = reader.single('cursor');
  if (cursor !== undefined && !CURSOR_PATTERN.test(cursor)) reader.fail('cursor', 'is not a cursor of this API');
  if (reader.errors.length > 0) throw invalid(reader.errors);
  const params: ListParams = { filters, sort: (sortValue as ToolSort | undefined) ?? 'relevance', limit };
  if (cursor !== undefined) params.cursor = cursor;
  return params;
}

/**
 * Validates `GET /api/tools/facets` query parameters (the filters of the list, nothing else).
 * @throws HttpError 400 `CV_ERR_VALIDATION`.
 */
export function parseFacetFilters(raw: unknown): ToolFilters {
  const query = rawObject(raw);
  const reader = new QueryReader(query);
  rejectUnknown(query, FILTER_PARAMS, reader);
  const filters = readFilters(reader);
  if (reader.errors.length > 0) throw invalid(reader.errors);
  return filters;
}

/** @throws HttpError 400 when the path parameter cannot be a slug. */
export function parseSlug(raw: string): string {
  if (raw.length > 80 || !SLUG_PATTERN.test(raw)) throw invalid([{ field: 'slug', message: 'must be kebab-case (a-z, 0-9, single dashes), at most 80 characters' }]);
  return raw;
}

function fieldErrorsOf(error: z.ZodError): FieldError[] {
  return error.issues.flatMap((issue) => {
    const prefix = issue.path.map(String).join('.');
    if (issue.code === 'unrecognized_keys') {
      return issue.keys.map((key) => ({ field: prefix ? `${prefix}.${key}` : key, message: 'is not a known field' }));
    }
    return [{ field: prefix || '(root)', message: issue.message }];
  });
}

function parseBody<T>(schema: z.ZodType<T>, body: unknown): T {
  if (body === null || typeof body !== 'object' || Array.isArray(body)) throw invalid([{ field: '(root)', message: 'must be a JSON object' }]);
  const result = schema.safeParse(body);
  if (!result.success) throw invalid(fieldErrorsOf(result.error));
  return result.data;
}

/** Slugs that name routes under /api/tools: a tool with one could never be read back. */
const RESERVED_SLUGS = new Set(['facets']);

/** Validates a `POST /api/tools` body. @throws HttpError 400 with one entry per bad field. */
export function parseToolInput(body: unknown): ToolInput {
  const input = parseBody(toolInputSchema, body);
  if (RESERVED_SLUGS.has(input.slug)) throw invalid([{ field: 'slug', message: `"${input.slug}" is reserved by the API` }]);
  return input;
}

/** Validates a `PATCH /api/tools/:slug` body; an empty patch is refused. @throws HttpError 400. */
export function parseToolPatch(body: unknown): ToolPatch {
  const patch = parseBody(toolPatchSchema, body);
  if (Object.keys(patch).length === 0) throw invalid([{ field: '(root)', message: 'must change at least one field' }]);
  return patch;
}
