import { describe, expect, it } from 'vitest';
import { loadLabelledQueries, mean, ndcgAtK, percentile, precisionAtK } from '../bench/ranking-quality.js';
import { normalizeQuery, parseQuery, tokenize } from '../src/intent/rule-intent.parser.js';
import { ToolRanker } from '../src/ranking/tool-ranker.js';
import { correctQuerySpelling } from '../src/search/query-spelling.js';
import { loadSeedTools } from './support/seed-tools.js';
import { shuffled } from './support/shuffled.js';

describe('ranking quality measures', () => {
  it('computes nDCG@5 with graded gains', () => {
    expect(ndcgAtK(['a', 'b'], { a: 3, b: 1 })).toBe(1);
    expect(ndcgAtK(['b', 'a'], { a: 3, b: 1 })).toBeCloseTo(
      (1 + 7 / Math.log2(3)) / (7 + 1 / Math.log2(3)),
      10,
    );
    expect(ndcgAtK(['x', 'y'], { a: 3 })).toBe(0);
  });

  it('scores a query nothing fits by whether the answer is empty', () => {
    expect(ndcgAtK([], {})).toBe(1);
    expect(ndcgAtK(['x'], {})).toBe(0);
  });

  it('computes precision@5 and nearest-rank percentiles', () => {
    expect(precisionAtK(['a', 'x', 'b', 'y', 'z', 'c'], { a: 1, b: 2, c: 3 })).toBe(0.4);
    expect(percentile([5, 1, 3, 2, 4], 0.5)).toBe(3);
    expect(percentile([5, 1, 3, 2, 4], 0.99)).toBe(5);
  });
});

/**
 * The nDCG@5 each set must reach: a little below what the rules reach on 2026-12-08 (main 0.905,
 * held-out 0.882, fresh 0.911, unseen 0.877, blind 0.908), so a
 * change that loses ground on any of them fails here, on queries nobody tuned for (unseen and
 * blind, each written and committed before the changes it measured) as on the others. The
 * product's target is 0.75.
 */
const NDCG_FLOORS = { main: 0.89, holdout: 0.87, fresh: 0.9, unseen: 0.865, blind: 0.895 } as const;

describe.each(['main', 'holdout', 'fresh', 'unseen', 'blind'] as const)(
  'fallback ranker on the %s labelled set (seed data)',
  (set) => {
    const tools = loadSeedTools();
    const labelled = loadLabelledQueries(set);
    const ranker = new ToolRanker();
    const baseline = new ToolRanker({ useIntent: false });

    const score = (rankFor: (query: string) => string[]) =>
      mean(labelled.map(({ query, relevant }) => ndcgAtK(rankFor(query), relevant)));

    it('labels only tools that exist in the seed data', () => {
      const slugs = new Set(tools.map((tool) => tool.slug));
      for (const { relevant } of labelled)
        for (const slug of Object.keys(relevant)) expect(slugs).toContain(slug);
    });

    it('ranks every labelled query the same whatever order the seed tools come in', () => {
      // As the bench ranks, with a ranker per order: one keeps the index of the first order it saw.
      const rankAll = (order: typeof tools) => {
        const orderRanker = new ToolRanker();
        return labelled.map(({ query }) => {
          const read = correctQuerySpelling(query, order) ?? query;
          return orderRanker.rank(order, { ...parseQuery(read), limit: 5 });
        });
      };
      const inSeedOrder = rankAll(tools);
      for (const order of [[...tools].reverse(), shuffled(tools, 1), shuffled(tools, 2)])
        expect(rankAll(order)).toEqual(inSeedOrder);
    });

    it(`reaches the nDCG@5 floor of ${NDCG_FLOORS[set]} and does at least as well as plain BM25`, () => {
      const ours = score((query) => {
        const read = correctQuerySpelling(query, tools) ?? query;
        return ranker.rank(tools, { ...parseQuery(read), limit: 5 }).map((result) => result.tool.slug);
      });
      const plain = score((query) => {
        const intent = { categories: [], platforms: [], pricing: [], text: query };
        return baseline
          .rank(tools, { intent, searchTerms: tokenize(normalizeQuery(query)), limit: 5 })
          .map((result) => result.tool.slug);
      });
      expect(ours).toBeGreaterThanOrEqual(NDCG_FLOORS[set]);
      // The rules were written for the main set; on the held-out one they are about level with
      // plain BM25 (0.882 and 0.863 on 2026-12-08), so it has no margin. The fresh, unseen and blind sets'
      // queries (typos, negations, budgets, queries nothing fits) are where plain BM25 falls short
      // (fresh 0.911 and 0.671, unseen 0.877 and 0.678, blind 0.908 and 0.701 on 2026-12-08).
      expect(ours).toBeGreaterThanOrEqual(set === 'holdout' ? plain - 0.02 : plain + 0.1);
    });
  },
);
