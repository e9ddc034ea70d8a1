import {
  PRICING_MODELS,
  SLUG_PATTERN,
  TOOL_CATEGORIES,
  TOOL_PLATFORMS,
  TOOL_SORTS,
} from '../domain/vocabulary.js';
import { TOOLS_API_LIMITS } from './limits.js';

// The query and path parameters of the tools API as data: the codec reads and writes them, the
// OpenAPI document lists them, and nestjs-api refuses every name that is not here.

interface ParamBase {
  name: string;
  description: string;
}

/** Free text, trimmed; empty counts as absent. */
export interface TextParam extends ParamBase {
  kind: 'text';
  maxLength: number;
}

/** Repeatable (`tag=a&tag=b`) and comma-separable (`tag=a,b`); values are ORed. */
export interface ListParam extends ParamBase {
  kind: 'list';
  /** The closed vocabulary of values, when there is one. */
  values?: readonly string[];
  /** Otherwise the form every value must have, with a hint for the error message. */
  pattern?: RegExp;
  patternHint?: string;
  maxLength?: number;
  maxItems: number;
}

export interface BooleanParam extends ParamBase {
  kind: 'boolean';
}

/** One value of a closed set, with a default. */
export interface ChoiceParam extends ParamBase {
  kind: 'choice';
  values: readonly string[];
  default: string;
}

export interface IntegerParam extends ParamBase {
  kind: 'integer';
  minimum: number;
  maximum: number;
  default: number;
}

/** An opaque value the API handed out earlier (a cursor). */
export interface TokenParam extends ParamBase {
  kind: 'token';
  pattern: RegExp;
  maxLength: number;
}

export type QueryParam = TextParam | ListParam | BooleanParam | ChoiceParam | IntegerParam | TokenParam;

const listOf = (name: string, noun: string, values: readonly string[]): ListParam => ({
  name,
  kind: 'list',
  description: `Only tools with any of these ${noun}.`,
  values,
  maxItems: TOOLS_API_LIMITS.valuesPerFilter,
});

/** The filters of a list and of its facet counts: AND across parameters, OR within one. */
export const TOOL_FILTER_PARAMS = [
  {
    name: 'q',
    kind: 'text',
    description:
      'Full-text query over name, tagline, description and tags; every word must match (prefixes count).',
    maxLength: TOOLS_API_LIMITS.queryLength,
  },
  listOf('category', 'categories', TOOL_CATEGORIES),
  {
    name: 'tag',
    kind: 'list',
    description: 'Only tools with any of these tags (kebab-case).',
    pattern: SLUG_PATTERN,
    patternHint: 'tags are kebab-case',
    maxLength: TOOLS_API_LIMITS.tagLength,
    maxItems: TOOLS_API_LIMITS.valuesPerFilter,
  },
  listOf('pricing', 'pricing models', PRICING_MODELS),
  listOf('platform', 'platforms', TOOL_PLATFORMS),
  {
    name: 'openSource',
    kind: 'boolean',
    description: 'true: only open-source tools; false: only closed-source ones.',
  },
] as const satisfies readonly QueryParam[];

/** Order and paging of a list. */
export const TOOL_PAGE_PARAMS = [
  {
    name: 'sort',
    kind: 'choice',
    description: '`relevance` needs `q` (without it the order is by name).',
    values: TOOL_SORTS,
    default: 'relevance',
  },
  {
    name: 'limit',
    kind: 'integer',
    description: 'Tools per page.',
    minimum: 1,
    maximum: TOOLS_API_LIMITS.pageSize.max,
    default: TOOLS_API_LIMITS.pageSize.default,
  },
  {
    name: 'cursor',
    kind: 'token',
    description: 'The `nextCursor` of the previous page of the same query.',
    pattern: /^[A-Za-z0-9_-]+$/,
    maxLength: TOOLS_API_LIMITS.cursorLength,
  },
] as const satisfies readonly QueryParam[];

/** Every parameter of `GET /api/tools`. */
export const TOOL_LIST_PARAMS = [...TOOL_FILTER_PARAMS, ...TOOL_PAGE_PARAMS] as const;

/** The `{slug}` path parameter that names one tool. */
export const SLUG_PARAM = {
  name: 'slug',
  description: 'The tool’s slug (kebab-case).',
  pattern: SLUG_PATTERN,
  maxLength: TOOLS_API_LIMITS.slugLength,
} as const;
