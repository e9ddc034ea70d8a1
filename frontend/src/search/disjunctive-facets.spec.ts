// @vitest-environment node
import { describe, expect, it } from 'vitest';
import { createToolsClient } from '../api/tools-client.js';
import { sharedToolsApiUrl } from '../testing/tools-api.js';
import { loadDisjunctiveFacets } from './disjunctive-facets.js';

describe('loadDisjunctiveFacets against the real nestjs-api', () => {
  const api = () => createToolsClient({ baseUrl: sharedToolsApiUrl() });
  const countOf = (entries: { value: string; count: number }[], value: string) =>
    entries.find((entry) => entry.value === value)?.count ?? 0;

  it('counts a field with a selection as if its own filter were off', async () => {
    const facets = await loadDisjunctiveFacets(api(), { category: ['security'] });
    const unfiltered = await api().getFacets({});
    const inSecurity = await api().getFacets({ category: ['security'] });
    expect(countOf(facets.categories, 'terminal')).toBe(countOf(unfiltered.categories, 'terminal'));
    expect(countOf(facets.categories, 'terminal')).toBeGreaterThan(
      countOf(inSecurity.categories, 'terminal'),
    );
    // Fields without a selection are counted with every filter, so they narrow.
    expect(countOf(facets.platforms, 'cli')).toBe(countOf(inSecurity.platforms, 'cli'));
    expect(facets.total).toBe(inSecurity.total);
    expect(facets.total).toBeGreaterThan(0);
  });

  it('is the plain answer when nothing is selected', async () => {
    expect(await loadDisjunctiveFacets(api(), { q: 'agent' })).toEqual(await api().getFacets({ q: 'agent' }));
  });
});
