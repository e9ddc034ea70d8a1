import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { CATEGORIES, PLATFORMS, PRICING_MODELS, SORTS } from '../tools/tool-labels.js';
import {
  EMPTY_SEARCH,
  type SearchState,
  formatSearchState,
  parseSearchState,
  toToolFilters,
} from './search-state.js';

const searchStateArbitrary: fc.Arbitrary<SearchState> = fc.record({
  q: fc.string({ maxLength: 40 }).filter((q) => q.trim() === q),
  category: fc.uniqueArray(fc.constantFrom(...CATEGORIES)),
  pricing: fc.uniqueArray(fc.constantFrom(...PRICING_MODELS)),
  platform: fc.uniqueArray(fc.constantFrom(...PLATFORMS)),
  openSource: fc.constantFrom(undefined, true, false),
  sort: fc.constantFrom(...SORTS),
});

describe('search state in the URL', () => {
  it('round-trips every state through the query string', () => {
    fc.assert(
      fc.property(searchStateArbitrary, (state) => {
        expect(parseSearchState(formatSearchState(state))).toEqual(state);
      }),
    );
  });

  it('keeps the default state out of the URL', () => {
    expect(formatSearchState(EMPTY_SEARCH)).toBe('');
  });

  it('accepts comma lists and drops unknown values from stale links', () => {
    const state = parseSearchState(
      '?category=testing,nope&category=devops&pricing=gratis&sort=popular&openSource=maybe',
    );
    expect(state).toEqual({ ...EMPTY_SEARCH, category: ['testing', 'devops'] });
  });

  it('maps to API filters without empty parts', () => {
    expect(toToolFilters({ ...EMPTY_SEARCH, q: '  agent ', openSource: false })).toEqual({
      q: 'agent',
      openSource: false,
    });
  });
});
