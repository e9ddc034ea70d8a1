import { HttpError } from '@codiesvibe/shared';
import { describe, expect, it } from 'vitest';
import { sampleTool } from '../../test/tool-repository.contract.js';
import { parseFacetFilters, parseListParams, parseSlug, parseToolInput, parseToolPatch } from './tool-params.js';

function fieldErrors(run: () => unknown): string[] {
  try {
    run();
  } catch (error) {
    if (error instanceof HttpError) return (error.errors ?? []).map((entry) => entry.field);
    throw error;
  }
  return [];
}

describe('parseListParams', () => {
  it('applies defaults, also for empty values', () => {
    expect(parseListParams({})).toEqual({ filters: {}, sort: 'relevance', limit: 20 });
    expect(parseListParams({ q: '', category: '', limit: '', sort: '', openSource: '', cursor: '' })).toEqual({ filters: {}, sort: 'relevance', limit: 20 });
  });

  it('splits, trims, deduplicates and sorts repeatable values so equal queries are equal', () => {
    const a = parseListParams({ category: ['testing,ide', ' ide '], tag: 'b,a', openSource: 'false', q: '  agent  ' });
    const b = parseListParams({ category: 'ide,testing', tag: ['a', 'b'], openSource: 'false', q: 'agent' });
    expect(a).toEqual(b);
    expect(a.filters).toEqual({ q: 'agent', category: ['ide', 'testing'], tag: ['a', 'b'], openSource: false });
  });

  it('refuses objects, repeated single values and out-of-range numbers', () => {
    expect(fieldErrors(() => parseListParams({ q: { $ne: '' } }))).toEqual(['q']);
    expect(fieldErrors(() => parseListParams({ tag: [{ $gt: '' }] }))).toEqual(['tag']);
    expect(fieldErrors(() => parseListParams({ sort: ['name', 'newest'] }))).toEqual(['sort']);
    expect(fieldErrors(() => parseListParams({ limit: '0' }))).toEqual(['limit']);
    expect(fieldErrors(() => parseListParams({ limit: '101' }))).toEqual(['limit']);
    expect(fieldErrors(() => parseListParams({ q: 'x'.repeat(501) }))).toEqual(['q']);
    expect(parseListParams({ q: 'x'.repeat(500) }).filters.q).toHaveLength(500);
    expect(fieldErrors(() => parseListParams({ category: Array.from({ length: 21 }, (_, i) => `c${i}`) }))).toEqual(['category']);
  });

  it('accepts the limits of the ranges', () => {
    expect(parseListParams({ limit: '1' }).limit).toBe(1);
    expect(parseListParams({ limit: '100' }).limit).toBe(100);
  });
});

describe('parseFacetFilters', () => {
  it('takes the filters only', () => {
    expect(parseFacetFilters({ pricing: 'free' })).toEqual({ pricing: ['free'] });
    expect(fieldErrors(() => parseFacetFilters({ cursor: 'abc', sort: 'name' }))).toEqual(['cursor', 'sort']);
  });
});

describe('parseSlug and parseToolPatch', () => {
  it('refuses malformed slugs and empty patches', () => {
    expect(parseSlug('claude-code')).toBe('claude-code');
    expect(fieldErrors(() => parseSlug('$where'))).toEqual(['slug']);
    expect(fieldErrors(() => parseToolPatch({}))).toEqual(['(root)']);
    expect(fieldErrors(() => parseToolInput(sampleTool('facets')))).toEqual(['slug']);
    expect(fieldErrors(() => parseToolPatch({ pricing: { model: 'free', $inc: 1 } }))).toEqual(['pricing.$inc']);
  });
});
