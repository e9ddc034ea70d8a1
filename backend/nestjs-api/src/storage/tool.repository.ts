import type { Vocabulary } from '../search/spelling.js';
import type {
  Tool,
  ToolFacets,
  ToolFilters,
  ToolInput,
  ToolPage,
  ToolPatch,
  ToolSort,
} from '@codiesvibe/shared/domain';
import type { SubmissionRepository } from '../submissions/submission.repository.js';

/** What a seeding run did: how many tools it inserted and which seed version the store now has. */
export interface SeedResult {
  inserted: number;
  version: number;
  /** False when the store already had this version: nothing was read or written. */
  applied: boolean;
}

/**
 * All storage of tools. Two adapters implement it (MongoDB and the embedded SQLite store) and one
 * contract suite holds them to identical answers: same filters, same ranking, same pages.
 */
export interface ToolRepository {
  /** Which adapter answers, for readiness details and logs. */
  readonly kind: 'mongodb' | 'embedded';
  /**
   * One page of tools matching `filters`, in `sort` order with the slug as tiebreak, starting
   * after `cursor` (an opaque value from a previous page of the same query).
   * @throws InvalidCursorError when the cursor is malformed or belongs to another query.
   */
  list(filters: ToolFilters, sort: ToolSort, cursor: string | undefined, limit: number): Promise<ToolPage>;
  /** Counts per category, pricing model and platform among the tools matching `filters`. */
  facets(filters: ToolFilters): Promise<ToolFacets>;
  /**
   * Every word the tools hold (as `searchTermsOf` splits them), sorted, with how many tools hold
   * each: what a query that matches nothing is corrected against (search/spelling.ts).
   */
  vocabulary(): Promise<Vocabulary>;
  get(slug: string): Promise<Tool | null>;
  /** @throws DuplicateSlugError when the slug is taken. */
  create(input: ToolInput): Promise<Tool>;
  /** The updated tool, or null when no tool has this slug. */
  update(slug: string, patch: ToolPatch): Promise<Tool | null>;
  /** True when a tool was deleted. */
  delete(slug: string): Promise<boolean>;
  /**
   * Inserts the seed tools that were never seeded before, once per seed version; never
   * overwrites an existing record and never brings back a seeded tool that was deleted.
   */
  seed(tools: readonly ToolInput[], version: number): Promise<SeedResult>;
  /**
   * True when another process changed the data since the last call, so a per-process cache must
   * be dropped. The embedded store can tell (replicas share its file); MongoDB answers false:
   * replicas on MongoDB share a Redis cache instead, whose invalidation reaches every replica.
   */
  changedElsewhere(): boolean;
  /** The submitted tools waiting for moderation, kept in the same store but never among the tools. */
  submissions(): SubmissionRepository;
  /**
   * Prepares what the first search would otherwise build (the embedded store's search index);
   * answers how many tools it holds. Absent when there is nothing to prepare (MongoDB).
   */
  warmUp?(): Promise<number>;
  /** Resolves when the store answers; used by readiness. */
  ping(): Promise<void>;
  close(): Promise<void>;
}

export class DuplicateSlugError extends Error {
  override readonly name = 'DuplicateSlugError';
  constructor(readonly slug: string) {
    super(`A tool with slug "${slug}" already exists`);
  }
}

export class InvalidCursorError extends Error {
  override readonly name = 'InvalidCursorError';
  constructor(reason: string) {
    super(`cursor ${reason}; start again without a cursor`);
  }
}
