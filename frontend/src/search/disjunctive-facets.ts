import type { ToolFacets, ToolFilters } from '@codiesvibe/shared/domain';
import type { ToolsApi } from '../api/tools-client.js';

/** The facet lists and the filter each one counts. */
const FACET_FIELDS = [
  { facet: 'categories', filter: 'category' },
  { facet: 'pricing', filter: 'pricing' },
  { facet: 'platforms', filter: 'platform' },
] as const;

/**
 * Facet counts for a filter panel where values OR within a field. The API counts with every
 * filter applied, so once "Code review" is ticked every other category would read 0 although
 * ticking it would add tools. Each field with a selection is therefore counted without its own
 * filter (one extra request per such field, cached by the API); the other fields use the plain
 * answer.
 */
export async function loadDisjunctiveFacets(
  api: ToolsApi,
  filters: ToolFilters,
  signal?: AbortSignal,
): Promise<ToolFacets> {
  const selected = FACET_FIELDS.filter(({ filter }) => (filters[filter]?.length ?? 0) > 0);
  const [base, ...perField] = await Promise.all([
    api.getFacets(filters, { signal }),
    ...selected.map(({ filter }) => api.getFacets({ ...filters, [filter]: undefined }, { signal })),
  ]);
  const facets: ToolFacets = { ...base };
  selected.forEach(({ facet }, index) => {
    const counted = perField[index];
    if (counted) Object.assign(facets, { [facet]: counted[facet] });
  });
  return facets;
}
