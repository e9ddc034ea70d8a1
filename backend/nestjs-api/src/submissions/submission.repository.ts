import type { ToolInput } from '@codiesvibe/shared/domain';
import type { SubmissionStatus } from '@codiesvibe/shared/tools-api';

/** A submission as both stores keep it (the flags are computed when admins read it). */
export interface StoredSubmission {
  id: string;
  status: SubmissionStatus;
  tool: ToolInput;
  submittedAt: string;
  decidedAt: string | null;
  rejectionReason: string | null;
  toolSlug: string | null;
}

/** What a decision sets; only a pending submission can take one. */
export type Decision =
  | { status: 'approved'; tool: ToolInput }
  | { status: 'rejected'; reason: string };

/**
 * The outcome of a conditional write on a pending submission: the record after it, or, when the
 * submission was no longer pending (another admin decided first), the record as it is.
 */
export type PendingWrite =
  | { done: true; submission: StoredSubmission }
  | { done: false; submission: StoredSubmission | null };

/**
 * Storage of submitted tools, beside the tools in the same store (a table of the embedded SQLite
 * file, a collection of the MongoDB database) but never among them: no read of tools sees one.
 * Every change of a submission is conditional on its being pending, so two admins deciding at
 * once cannot both win.
 */
export interface SubmissionRepository {
  add(id: string, tool: ToolInput): Promise<StoredSubmission>;
  get(id: string): Promise<StoredSubmission | null>;
  /** The newest `limit` submissions of a status, and how many there are. */
  list(status: SubmissionStatus, limit: number): Promise<{ items: StoredSubmission[]; total: number }>;
  /** Replaces the tool of a pending submission. */
  edit(id: string, tool: ToolInput): Promise<PendingWrite>;
  decide(id: string, decision: Decision): Promise<PendingWrite>;
  /** Puts an approval back to pending (its tool could not be created). */
  reopen(id: string): Promise<void>;
  /** Slug and website of every published tool, for the duplicate flags. */
  publishedSlugsAndWebsites(): Promise<{ slug: string; website: string }[]>;
}
