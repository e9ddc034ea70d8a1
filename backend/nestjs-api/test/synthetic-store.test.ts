import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Tool, ToolFilters } from '@codiesvibe/shared/domain';
import { generateSyntheticTools } from '@codiesvibe/shared/synthetic-tools';
import { afterEach, describe, expect, it } from 'vitest';
import { loadSeedTools } from '../src/seed/seed-data.js';
import { matchesQuery, queryTokens, relevanceScore, searchTermsOf } from '../src/search/relevance.js';
import { seedSyntheticStore } from '../src/seed/synthetic-store.js';
import { EmbeddedToolRepository } from '../src/storage/embedded-tool.repository.js';
import { facetCounts } from '../src/storage/tool-query.js';
import { walkPages } from './tool-repository.contract.js';

const folders: string[] = [];
afterEach(async () => {
  for (const folder of folders.splice(0)) await rm(folder, { recursive: true, force: true });
});

describe('seedSyntheticStore (embedded store at scale)', () => {
  it('adds N synthetic tools beside the bundled seed once, searchable and newest-first by creation', async () => {
    const dataDir = await mkdtemp(join(tmpdir(), 'synthetic-store-'));
    folders.push(dataDir);
    const seedCount = loadSeedTools().length;

    expect(await seedSyntheticStore({ dataDir, count: 2000 })).toEqual({ inserted: 2000, total: seedCount + 2000 });
    expect(await seedSyntheticStore({ dataDir, count: 2000 })).toEqual({ inserted: 0, total: seedCount + 2000 });

    const tools = await EmbeddedToolRepository.open({ dataDir });
    try {
      // A start on this folder finds the seed applied and inserts nothing.
      expect((await tools.seed(loadSeedTools(), 1)).applied).toBe(false);
      const [first, second] = generateSyntheticTools({ count: 2 });
      const stored = await tools.get(first!.slug);
      expect(stored).toMatchObject(first!);
      const older = await tools.get(second!.slug);
      expect(Date.parse(stored!.createdAt) - Date.parse(older!.createdAt)).toBe(60_000);
      const review = await tools.list({ q: 'code review', category: ['code-review'] }, 'relevance', undefined, 20);
      expect(review.total).toBeGreaterThan(50);
      expect(review.items.every((tool) => tool.categories.includes('code-review'))).toBe(true);
    } finally {
      await tools.close();
    }
  }, 60_000);

  it('ranks, counts and pages searches over 2,000 tools (broad one- and two-letter prefixes included) exactly as the relevance formula and the in-memory facet counts say', async () => {
    const dataDir = await mkdtemp(join(tmpdir(), 'synthetic-store-'));
    folders.push(dataDir);
    await seedSyntheticStore({ dataDir, count: 2000 });
    const tools = await EmbeddedToolRepository.open({ dataDir });
    try {
      const all = await walkPages(tools, {}, 'name', 500);
      const records = all.map((tool) => ({ ...tool, _terms: searchTermsOf(tool) }));
      const searches: ToolFilters[] = [
        { q: 'test generation' },
        { q: 'code review', category: ['code-review', 'testing'] },
        { q: 'agent', platform: ['cli'], openSource: true },
        { q: 'te', pricing: ['free', 'paid'] },
        { q: 'test', tag: ['coverage', 'sast'] },
        // Broad prefixes: one letter matches nearly every tool, through thousands of words.
        { q: 'a' },
        { q: 'c', category: ['code-review', 'testing'] },
        { q: 's d' },
        { q: 'co re', openSource: true },
        // A rare word then a broad one: the broad one is checked per survivor, not by its postings.
        { q: 'kubernetes t' },
        { q: 'kubernetes code' },
        { q: 't kubernetes', pricing: ['free'] },
        { category: ['security'] },
        {},
      ];
      for (const filters of searches) {
        const label = JSON.stringify(filters);
        // The oracle: the filters as the MongoDB adapter applies them in memory, and the shared formula.
        const facets = facetCounts(records.filter((record) => passesFacetFilters(record, filters)), filters);
        expect(await tools.facets(filters), label).toEqual(facets);
        if (!filters.q) continue;
        const tokens = queryTokens(filters.q);
        const expected = records
          .filter((record) => passesFacetFilters(record, filters) && matchesQuery(record._terms, tokens))
          .map((tool) => ({ slug: tool.slug, score: relevanceScore(tool, tokens) }))
          .sort((left, right) => right.score - left.score || (left.slug < right.slug ? -1 : 1));
        expect(expected.length, label).toBeGreaterThan(0);
        expect(facets.total, label).toBe(expected.length);
        const first = await tools.list(filters, 'relevance', undefined, 20);
        expect(first.total, label).toBe(expected.length);
        const walked = await walkPages(tools, filters, 'relevance', 50);
        expect(walked.map((tool) => tool.slug), label).toEqual(expected.map((entry) => entry.slug));
      }
    } finally {
      await tools.close();
    }
  }, 60_000);
});

/** The non-text filters: OR within a field, AND across fields. */
function passesFacetFilters(tool: Tool, filters: ToolFilters): boolean {
  const some = <T>(wanted: readonly T[] | undefined, values: readonly T[]) => !wanted?.length || wanted.some((value) => values.includes(value));
  return (
    some(filters.category, tool.categories) &&
    some(filters.platform, tool.platforms) &&
    some(filters.tag, tool.tags) &&
    some(filters.pricing, [tool.pricing.model]) &&
    (filters.openSource === undefined || tool.openSource === filters.openSource)
  );
}
