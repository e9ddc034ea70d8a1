import { readFileSync } from 'node:fs';
import { z } from 'zod';

const labelledSetSchema = z.object({
  description: z.string(),
  queries: z
    .array(
      z.object({ query: z.string().min(1), relevant: z.record(z.string(), z.number().int().min(1).max(3)) }),
    )
    .min(20),
});
export type LabelledQuery = z.infer<typeof labelledSetSchema>['queries'][number];

/**
 * The labelled sets: `main` (bench/queries.json), `holdout` (bench/queries-holdout.json), `fresh`
 * (bench/queries-fresh.json), `unseen` (bench/queries-unseen.json) and `blind`
 * (bench/queries-blind.json); each file's description says
 * how it was written.
 */
export const LABELLED_SETS = {
  main: 'queries.json',
  holdout: 'queries-holdout.json',
  fresh: 'queries-fresh.json',
  unseen: 'queries-unseen.json',
  blind: 'queries-blind.json',
} as const;

/** The labelled queries of one set. */
export function loadLabelledQueries(set: keyof typeof LABELLED_SETS = 'main'): LabelledQuery[] {
  const file = new URL(`./${LABELLED_SETS[set]}`, import.meta.url);
  return labelledSetSchema.parse(JSON.parse(readFileSync(file, 'utf8'))).queries;
}

/** Share of the first `k` results that are relevant at all (grade ≥ 1). */
export function precisionAtK(
  ranked: readonly string[],
  relevant: Readonly<Record<string, number>>,
  k = 5,
): number {
  return ranked.slice(0, k).filter((slug) => (relevant[slug] ?? 0) > 0).length / k;
}

/**
 * Normalised discounted cumulative gain at `k` with graded gains 2^grade - 1. A query nothing in
 * the directory fits (no relevant tool) scores 1 when nothing is returned and 0 otherwise: any
 * answer to it is a wrong one.
 */
export function ndcgAtK(
  ranked: readonly string[],
  relevant: Readonly<Record<string, number>>,
  k = 5,
): number {
  const gain = (grade: number, position: number) => (2 ** grade - 1) / Math.log2(position + 2);
  const dcg = ranked
    .slice(0, k)
    .reduce((sum, slug, position) => sum + gain(relevant[slug] ?? 0, position), 0);
  const ideal = Object.values(relevant)
    .sort((a, b) => b - a)
    .slice(0, k)
    .reduce((sum, grade, position) => sum + gain(grade, position), 0);
  if (ideal === 0) return ranked.length === 0 ? 1 : 0;
  return dcg / ideal;
}

/** The value below which `share` of the sorted samples fall (nearest rank). */
export function percentile(samples: readonly number[], share: number): number {
  const sorted = [...samples].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil(share * sorted.length) - 1))] ?? 0;
}

export const mean = (values: readonly number[]): number =>
  values.reduce((sum, value) => sum + value, 0) / (values.length || 1);
