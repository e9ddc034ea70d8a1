import type { FieldError, ToolFilters } from '../domain/tool.js';
import type { ToolSort } from '../domain/vocabulary.js';
import {
  SLUG_PARAM,
  TOOL_FILTER_PARAMS,
  TOOL_LIST_PARAMS,
  type ListParam,
  type QueryParam,
} from './query-params.js';

// Both directions of the query string, from the parameter table: clients encode with it, the
// server decodes with it, so the two can never disagree on a name, a form or a limit. Free of any
// runtime dependency, so the web app bundles it as it is.

/** The order and paging of a list request; every field optional (the server's defaults apply). */
export interface ToolPageRequest {
  sort?: ToolSort | undefined;
  limit?: number | undefined;
  cursor?: string | null | undefined;
}

/** A decoded `GET /api/tools` query: canonical (trimmed, deduplicated, sorted), defaults applied. */
export interface ToolListParams {
  filters: ToolFilters;
  sort: ToolSort;
  limit: number;
  cursor?: string;
}

/** The result of decoding: the value, or one entry per bad field. */
export type Decoded<T> = { ok: true; value: T } | { ok: false; errors: FieldError[] };

/** A query as a server parses it: each name maps to a string, or to an array when repeated. */
export type RawQuery = Record<string, unknown>;

/**
 * Encodes filters and paging as the API's query string: one repeated parameter per value of a
 * list, unset and empty values left out, parameters in the order of the table.
 *
 * @example encodeToolQuery({ q: 'agent', category: ['ide', 'terminal'] }, { limit: 5 }).toString()
 * // 'q=agent&category=ide&category=terminal&limit=5'
 */
export function encodeToolQuery(filters: ToolFilters, page: ToolPageRequest = {}): URLSearchParams {
  // Every value is a string, a number, a boolean or a list of strings (ToolFilters, ToolPageRequest).
  const values: Record<string, string | number | boolean | readonly string[] | null | undefined> = {
    ...filters,
    ...page,
  };
  const params = new URLSearchParams();
  for (const param of TOOL_LIST_PARAMS) {
    const value = values[param.name];
    if (value === undefined || value === null || value === '') continue;
    if (typeof value === 'object') for (const item of value) params.append(param.name, item);
    else params.set(param.name, String(value));
  }
  return params;
}

/** `?…` for a non-empty query, '' otherwise: ready to append to a path. */
export function toolQueryString(filters: ToolFilters, page: ToolPageRequest = {}): string {
  const query = encodeToolQuery(filters, page).toString();
  return query ? `?${query}` : '';
}

/** A URLSearchParams as the raw query a server framework hands to the decoder. */
export function rawQueryOf(params: URLSearchParams): RawQuery {
  const raw: Record<string, string | string[]> = {};
  for (const name of new Set(params.keys())) {
    const all = params.getAll(name);
    raw[name] = all.length === 1 ? (all[0] as string) : all;
  }
  return raw;
}

/** Reads raw values against the table, collecting one error per bad field. */
class QueryReader {
  readonly errors: FieldError[] = [];
  constructor(private readonly raw: RawQuery) {}

  fail(field: string, message: string): undefined {
    this.errors.push({ field, message });
    return undefined;
  }

  rejectUnknown(allowed: readonly QueryParam[]): void {
    const names = allowed.map((param) => param.name);
    for (const key of Object.keys(this.raw)) {
      if (!names.includes(key))
        this.fail(key, `is not a known query parameter (expected ${names.join(', ')})`);
    }
  }

  /** A parameter given at most once, as a string; empty counts as absent (forms send `limit=`). */
  single(field: string): string | undefined {
    const value = this.raw[field];
    if (value === undefined) return undefined;
    if (Array.isArray(value)) return this.fail(field, 'must be given once');
    if (typeof value !== 'string') return this.fail(field, 'must be a string');
    return value === '' ? undefined : value;
  }

  /** A repeatable, comma-separable parameter: its values trimmed, deduplicated and sorted. */
  list(param: ListParam): string[] | undefined {
    const value = this.raw[param.name];
    if (value === undefined) return undefined;
    const parts = Array.isArray(value) ? (value as unknown[]) : [value];
    if (!parts.every((part): part is string => typeof part === 'string'))
      return this.fail(param.name, 'must be a string');
    const values = [
      ...new Set(
        parts
          .flatMap((part) => part.split(','))
          .map((part) => part.trim())
          .filter(Boolean),
      ),
    ].sort();
    if (values.length > param.maxItems)
      return this.fail(param.name, `accepts at most ${param.maxItems} values`);
    const quoted = (bad: string[]) => bad.map((v) => `"${v}"`).join(', ');
    if (param.values) {
      const unknown = values.filter((v) => !param.values?.includes(v));
      if (unknown.length > 0)
        return this.fail(
          param.name,
          `has unknown value ${quoted(unknown)} (expected ${param.values.join(', ')})`,
        );
    }
    const malformed = values.filter(
      (v) =>
        (param.maxLength !== undefined && v.length > param.maxLength) ||
        (param.pattern !== undefined && !param.pattern.test(v)),
    );
    if (malformed.length > 0)
      return this.fail(
        param.name,
        `has invalid value ${quoted(malformed)} (${param.patternHint ?? 'malformed'})`,
      );
    return values.length > 0 ? values : undefined;
  }

  read(param: QueryParam): unknown {
    switch (param.kind) {
      case 'text': {
        const text = this.single(param.name)?.trim();
        if (text !== undefined && text.length > param.maxLength)
          return this.fail(param.name, `must be at most ${param.maxLength} characters`);
        return text || undefined;
      }
      case 'list':
        return this.list(param);
      case 'boolean': {
        const value = this.single(param.name);
        if (value === undefined || value === 'true' || value === 'false')
          return value === undefined ? undefined : value === 'true';
        return this.fail(param.name, 'must be true or false');
      }
      case 'choice': {
        const value = this.single(param.name);
        if (value === undefined) return param.default;
        return param.values.includes(value)
          ? value
          : this.fail(param.name, `must be one of ${param.values.join(', ')}`);
      }
      case 'integer': {
        const value = this.single(param.name);
        if (value === undefined) return param.default;
        const number = Number(value);
        if (/^\d{1,9}$/.test(value) && number >= param.minimum && number <= param.maximum) return number;
        return this.fail(param.name, `must be an integer from ${param.minimum} to ${param.maximum}`);
      }
      case 'token': {
        const value = this.single(param.name);
        if (value === undefined || (value.length <= param.maxLength && param.pattern.test(value)))
          return value;
        return this.fail(param.name, 'is not a cursor of this API');
      }
    }
  }

  /** The values of `params` that are set, by name, in the order of the table. */
  readAll(params: readonly QueryParam[]): Record<string, unknown> {
    const values: Record<string, unknown> = {};
    for (const param of params) {
      const value = this.read(param);
      if (value !== undefined) values[param.name] = value;
    }
    return values;
  }
}

function asObject(raw: unknown): RawQuery {
  return raw !== null && typeof raw === 'object' ? (raw as RawQuery) : {};
}

/**
 * Decodes and validates a `GET /api/tools` query: unknown names, repeated single values, objects
 * (`q[$ne]=`), unknown vocabulary, out-of-range numbers are all field errors.
 */
export function decodeToolListQuery(raw: unknown): Decoded<ToolListParams> {
  const reader = new QueryReader(asObject(raw));
  reader.rejectUnknown(TOOL_LIST_PARAMS);
  const { sort, limit, cursor, ...filters } = reader.readAll(TOOL_LIST_PARAMS);
  if (reader.errors.length > 0) return { ok: false, errors: reader.errors };
  const value: ToolListParams = {
    filters: filters,
    sort: sort as ToolSort,
    limit: limit as number,
  };
  if (cursor !== undefined) value.cursor = cursor as string;
  return { ok: true, value };
}

/** Decodes and validates a `GET /api/tools/facets` query: the filters of a list, nothing else. */
export function decodeToolFilterQuery(raw: unknown): Decoded<ToolFilters> {
  const reader = new QueryReader(asObject(raw));
  reader.rejectUnknown(TOOL_FILTER_PARAMS);
  const filters = reader.readAll(TOOL_FILTER_PARAMS);
  return reader.errors.length > 0 ? { ok: false, errors: reader.errors } : { ok: true, value: filters };
}

/** Checks the `{slug}` path parameter. */
export function decodeSlug(raw: string): Decoded<string> {
  if (raw.length <= SLUG_PARAM.maxLength && SLUG_PARAM.pattern.test(raw)) return { ok: true, value: raw };
  const message = `must be kebab-case (a-z, 0-9, single dashes), at most ${SLUG_PARAM.maxLength} characters`;
  return { ok: false, errors: [{ field: 'slug', message }] };
}

/** The paths of the API's tool routes, with their query strings encoded by the contract. */
export const toolsApiPaths = {
  /** `GET` a page; `POST` a new tool (without filters). */
  list: (filters: ToolFilters = {}, page: ToolPageRequest = {}): string =>
    `/api/tools${toolQueryString(filters, page)}`,
  facets: (filters: ToolFilters = {}): string => `/api/tools/facets${toolQueryString(filters)}`,
  /** `GET`, `PATCH` or `DELETE` one tool. */
  tool: (slug: string): string => `/api/tools/${encodeURIComponent(slug)}`,
};
