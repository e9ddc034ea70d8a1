import type {
  PricingModel,
  ToolCategory,
  ToolFilters,
  ToolPlatform,
  ToolSort,
} from '@codiesvibe/shared/domain';
import {
  CATEGORY_LABELS,
  PLATFORM_LABELS,
  PRICING_LABELS,
  SORT_LABELS,
  isLabelKey,
} from '../tools/tool-labels.js';

/** Everything the home page's URL says: the query, the filters and the order. */
export interface SearchState {
  q: string;
  category: ToolCategory[];
  pricing: PricingModel[];
  platform: ToolPlatform[];
  openSource: boolean | undefined;
  sort: ToolSort;
}

export const EMPTY_SEARCH: SearchState = {
  q: '',
  category: [],
  pricing: [],
  platform: [],
  openSource: undefined,
  sort: 'relevance',
};

/** Values of a repeatable parameter, accepting both `a=1&a=2` and `a=1,2` like the API does. */
function listParam<K extends string>(params: URLSearchParams, name: string, labels: Record<K, string>): K[] {
  const values = params
    .getAll(name)
    .flatMap((value) => value.split(','))
    .map((value) => value.trim())
    .filter((value): value is K => isLabelKey(labels, value));
  return [...new Set(values)];
}

/**
 * Reads the search state from a query string. Unknown values are dropped rather than rejected: a
 * shared link with a stale category should still open a useful page.
 */
export function parseSearchState(search: string): SearchState {
  const params = new URLSearchParams(search);
  const openSource = params.get('openSource');
  const sort = params.get('sort') ?? '';
  return {
    q: (params.get('q') ?? '').slice(0, 200),
    category: listParam(params, 'category', CATEGORY_LABELS),
    pricing: listParam(params, 'pricing', PRICING_LABELS),
    platform: listParam(params, 'platform', PLATFORM_LABELS),
    openSource: openSource === 'true' ? true : openSource === 'false' ? false : undefined,
    sort: isLabelKey(SORT_LABELS, sort) ? sort : 'relevance',
  };
}

/** Writes the state as a query string (with `?`, or empty), omitting defaults so URLs stay short. */
export function formatSearchState(state: SearchState): string {
  const params = new URLSearchParams();
  if (state.q.trim()) params.set('q', state.q);
  for (const value of state.category) params.append('category', value);
  for (const value of state.pricing) params.append('pricing', value);
  for (const value of state.platform) params.append('platform', value);
  if (state.openSource !== undefined) params.set('openSource', String(state.openSource));
  if (state.sort !== 'relevance') params.set('sort', state.sort);
  const query = params.toString();
  return query ? `?${query}` : '';
}

/** The API filters for a state (the query trimmed, empty lists left out). */
export function toToolFilters(state: SearchState): ToolFilters {
  const filters: ToolFilters = {};
  const q = state.q.trim();
  if (q) filters.q = q;
  if (state.category.length) filters.category = state.category;
  if (state.pricing.length) filters.pricing = state.pricing;
  if (state.platform.length) filters.platform = state.platform;
  if (state.openSource !== undefined) filters.openSource = state.openSource;
  return filters;
}

/** True when any filter (not the query, not the sort) is set. */
export function hasActiveFilters(state: SearchState): boolean {
  return (
    state.category.length + state.pricing.length + state.platform.length > 0 || state.openSource !== undefined
  );
}

/** Adds `value` to a list if absent, removes it if present. */
export function toggleValue<T>(list: readonly T[], value: T): T[] {
  return list.includes(value) ? list.filter((item) => item !== value) : [...list, value];
}
