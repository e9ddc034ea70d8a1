import type { SearchIntent, Tool } from '@codiesvibe/shared/domain';

/**
 * Where AI search gets the tools it ranks. Retrieval is deliberately broad (filters from the
 * intent, then relaxed ones): the ranker does the real work, so it can be tested on its own
 * against any source.
 */
export interface CandidateSource {
  /** Up to `limit` tools worth ranking for the intent, those matching its filters first. */
  findCandidates(intent: SearchIntent, limit: number): Promise<Tool[]>;
  /** Resolves when the source answers; rejects with the reason when it does not (readiness). */
  ping(): Promise<void>;
  close(): Promise<void>;
}

/** One retrieval step: the directory's filters, and query words that must all match (`q`). */
export type RetrievalStep = Partial<Pick<SearchIntent, 'categories' | 'platforms' | 'pricing' | 'openSource' | 'text'>>;

/**
 * The steps to try, strictest first: the intent's free words with its filters (so a directory of
 * thousands of tools hands the ranker those that mention what was asked, not the first hundred
 * by name), then the filters alone, then the categories only, then nothing. A later step runs only
 * while the limit is unfilled.
 */
export function retrievalPlan(intent: SearchIntent): RetrievalStep[] {
  const plan: RetrievalStep[] = [];
  const strict: RetrievalStep = {};
  if (intent.categories.length > 0) strict.categories = intent.categories;
  if (intent.platforms.length > 0) strict.platforms = intent.platforms;
  if (intent.pricing.length > 0) strict.pricing = intent.pricing;
  if (intent.openSource !== undefined) strict.openSource = intent.openSource;
  const text = intent.text.trim();
  if (text) plan.push({ ...strict, text });
  if (Object.keys(strict).length > 0) plan.push(strict);
  if (intent.categories.length > 0 && Object.keys(strict).length > 1)
    plan.push({ categories: intent.categories });
  plan.push({});
  return plan;
}

/** Appends tools not seen yet, in order, up to `limit`. */
export function mergeCandidates<T extends Pick<Tool, 'slug'>>(
  target: T[],
  seen: Set<string>,
  tools: readonly T[],
  limit: number,
): void {
  for (const tool of tools) {
    if (target.length >= limit) return;
    if (seen.has(tool.slug)) continue;
    seen.add(tool.slug);
    target.push(tool);
  }
}
