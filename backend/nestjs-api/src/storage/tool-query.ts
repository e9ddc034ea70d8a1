import { createHash } from 'node:crypto';
import {
  PRICING_MODELS,
  TOOL_CATEGORIES,
  TOOL_PLATFORMS,
  type ToolFacets,
  type ToolFilters,
  type ToolPage,
  type ToolSort,
} from '@codiesvibe/shared/domain';
import { matchesQuery, queryTokens, relevanceScore } from '../search/relevance.js';
import { InvalidCursorError } from './tool.repository.js';
import { facetsOfCounts, tallyOf } from './facet-counts.js';
import { toTool, type ToolRecord } from './tool-record.js';

/**
 * Query planning of the MongoDB adapter, and the cursors of every adapter. The filter uses
 * $and, $or, $in, $gt, $lt, anchored $regex on indexed fields; what MongoDB does not compute
 * itself (exact word-prefix match, the relevance score, ordering by it) runs here in memory on
 * the candidates with the shared formula of search/relevance.ts, which the embedded store
 * computes in SQL. The contract suite holds both to the same answers.
 */

/** The sort actually applied: relevance needs query words, without them it is the name order. */
export type AppliedSort = 'relevance' | 'name' | 'newest';

export function appliedSort(sort: ToolSort, tokens: readonly string[]): AppliedSort {
  return sort === 'relevance' && tokens.length === 0 ? 'name' : sort;
}

/** A MongoDB document filter. */
export type StoreQuery = Record<string, unknown>;

/**
 * The filter for `filters`: OR within a field, AND across fields; query words narrow the
 * candidates through the stored terms (each word must prefix one of them). `{ text: false }`
 * leaves the words out (`textQueryPage` applies the same match in memory anyway).
 */
export function filterQuery(filters: ToolFilters, options: { text: boolean } = { text: true }): StoreQuery {
  const conditions: StoreQuery[] = [];
  if (filters.category?.length) conditions.push({ categories: { $in: filters.category } });
  if (filters.tag?.length) conditions.push({ tags: { $in: filters.tag } });
  if (filters.pricing?.length) conditions.push({ 'pricing.model': { $in: filters.pricing } });
  if (filters.platform?.length) conditions.push({ platforms: { $in: filters.platform } });
  if (filters.openSource !== undefined) conditions.push({ openSource: filters.openSource });
  // Tokens are [a-z0-9]+ only, so they need no escaping inside the pattern.
  const tokens = options.text ? queryTokens(filters.q ?? '') : [];
  for (const token of tokens) conditions.push({ _terms: { $regex: new RegExp(`^${token}`) } });
  if (conditions.length === 0) return {};
  return conditions.length === 1 ? (conditions[0] as StoreQuery) : { $and: conditions };
}

/** Where a page ends: the sort key and slug of its last item. */
interface Position {
  key: string | number;
  slug: string;
}

interface CursorPayload {
  /** Payload format version. */
  v: 1;
  /** Applied sort. */
  s: AppliedSort;
  /** Fingerprint of the filters, so a cursor cannot be replayed against another query. */
  f: string;
  k: string | number;
  id: string;
}

function fingerprint(filters: ToolFilters): string {
  const canonical = JSON.stringify([
    queryTokens(filters.q ?? ''),
    [...(filters.category ?? [])].sort(),
    [...(filters.tag ?? [])].sort(),
    [...(filters.pricing ?? [])].sort(),
    [...(filters.platform ?? [])].sort(),
    filters.openSource ?? null,
  ]);
  return createHash('sha256').update(canonical).digest('base64url').slice(0, 12);
}

/** An opaque cursor (base64url JSON) pointing after `position`. */
export function encodeCursor(filters: ToolFilters, sort: AppliedSort, position: Position): string {
  const payload: CursorPayload = { v: 1, s: sort, f: fingerprint(filters), k: position.key, id: position.slug };
  return Buffer.from(JSON.stringify(payload)).toString('base64url');
}

/**
 * The position a cursor points after.
 * @throws InvalidCursorError for anything but a cursor this query produced.
 */
export function decodeCursor(cursor: string, filters: ToolFilters, sort: AppliedSort): Position {
  let payload: Partial<CursorPayload>;
  try {
    payload = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8')) as Partial<CursorPayload>;
  } catch {
    throw new InvalidCursorError('is not a cursor of this API');
  }
  if (payload === null || typeof payload !== 'object' || payload.v !== 1 || typeof payload.id !== 'string') {
    throw new InvalidCursorError('is not a cursor of this API');
  }
  const keyType = sort === 'relevance' ? 'number' : 'string';
  if (payload.s !== sort || payload.f !== fingerprint(filters) || typeof payload.k !== keyType) {
    throw new InvalidCursorError('belongs to a different query or sort');
  }
  return { key: payload.k as string | number, slug: payload.id };
}

/** Sort spec of the orders a store can apply itself (slug breaks ties, so the order is total). */
export const STORE_SORT: Record<Exclude<AppliedSort, 'relevance'>, Record<string, 1 | -1>> = {
  name: { _nameKey: 1, slug: 1 },
  newest: { createdAt: -1, slug: 1 },
};

/** The filter for "strictly after `position`" in a store-applied order. */
export function afterPositionQuery(sort: Exclude<AppliedSort, 'relevance'>, position: Position): StoreQuery {
  const field = sort === 'name' ? '_nameKey' : 'createdAt';
  const beyond = sort === 'name' ? '$gt' : '$lt';
  return { $or: [{ [field]: { [beyond]: position.key } }, { [field]: position.key, slug: { $gt: position.slug } }] };
}

/** Combines two store filters with AND. */
export function andQuery(left: StoreQuery, right: StoreQuery | undefined): StoreQuery {
  if (!right) return left;
  if (Object.keys(left).length === 0) return right;
  return { $and: [left, right] };
}

function compareStrings(left: string, right: string): number {
  if (left === right) return 0;
  return left < right ? -1 : 1;
}

/** Total order of ranked entries: the sort key in its direction, then the slug ascending. */
function comparePositions(sort: AppliedSort, left: Position, right: Position): number {
  let byKey: number;
  if (sort === 'relevance') byKey = (right.key as number) - (left.key as number);
  else if (sort === 'name') byKey = compareStrings(left.key as string, right.key as string);
  else byKey = compareStrings(right.key as string, left.key as string);
  return byKey !== 0 ? byKey : compareStrings(left.slug, right.slug);
}

function sortKeyOf(record: ToolRecord, sort: AppliedSort, tokens: readonly string[]): string | number {
  if (sort === 'relevance') return relevanceScore(record, tokens);
  return sort === 'name' ? record._nameKey : record.createdAt;
}

/**
 * The page of a text query, computed in memory from the candidates the store returned for
 * `filterQuery`: exact match, score, order, cursor. Identical for every adapter by construction.
 */
export function textQueryPage(
  candidates: readonly ToolRecord[],
  filters: ToolFilters,
  sort: AppliedSort,
  after: Position | undefined,
  limit: number,
): ToolPage {
  const tokens = queryTokens(filters.q ?? '');
  const matching = candidates.filter((record) => matchesQuery(record._terms, tokens));
  const ranked = matching
    .map((record) => ({ record, position: { key: sortKeyOf(record, sort, tokens), slug: record.slug } }))
    .sort((left, right) => comparePositions(sort, left.position, right.position));
  const remaining = after ? ranked.filter((entry) => comparePositions(sort, entry.position, after) > 0) : ranked;
  const page = remaining.slice(0, limit);
  const last = page.at(-1);
  return {
    items: page.map((entry) => toTool(entry.record)),
    total: matching.length,
    nextCursor: remaining.length > limit && last ? encodeCursor(filters, sort, last.position) : null,
  };
}

/**
 * The page of a store-ordered query from `limit + 1` records fetched in order after the cursor:
 * the extra record only tells whether there is a next page.
 */
export function storeOrderedPage(
  fetched: readonly ToolRecord[],
  filters: ToolFilters,
  sort: Exclude<AppliedSort, 'relevance'>,
  total: number,
  limit: number,
): ToolPage {
  const page = fetched.slice(0, limit);
  const last = page.at(-1);
  return {
    items: page.map((record) => toTool(record)),
    total,
    nextCursor: fetched.length > limit && last ? encodeCursor(filters, sort, { key: sortKeyOf(last, sort, []), slug: last.slug }) : null,
  };
}

type FacetSource = Pick<ToolRecord, 'categories' | 'pricing' | 'platforms' | '_terms'>;

/** How many records hold each value (a record counts once per value however often it lists it). */
function tallyValues(vocabulary: readonly string[], records: readonly FacetSource[], valuesOf: (record: FacetSource) => readonly string[]): number[] {
  const counts = new Map<string, number>();
  for (const record of records) for (const value of new Set(valuesOf(record))) counts.set(value, (counts.get(value) ?? 0) + 1);
  return tallyOf(vocabulary, counts);
}

/** Facet counts over the candidates of `filterQuery(filters)`, in the shape of `facetsOfCounts`. */
export function facetCounts(candidates: readonly FacetSource[], filters: ToolFilters): ToolFacets {
  const tokens = queryTokens(filters.q ?? '');
  const matching = candidates.filter((record) => matchesQuery(record._terms, tokens));
  return facetsOfCounts({
    categories: tallyValues(TOOL_CATEGORIES, matching, (record) => record.categories),
    pricing: tallyValues(PRICING_MODELS, matching, (record) => [record.pricing.model]),
    platforms: tallyValues(TOOL_PLATFORMS, matching, (record) => record.platforms),
    total: matching.length,
  });
}

/** Projection of the fields `facetCounts` reads, so stores do not load whole documents. */
export const FACET_PROJECTION = { categories: 1, pricing: 1, platforms: 1, _terms: 1 } as const;
