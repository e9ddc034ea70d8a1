import type { ToolInput } from '@codiesvibe/shared/domain';
import { asPromise, type SqliteDatabase } from '@codiesvibe/shared/sqlite';
import type { SubmissionStatus } from '@codiesvibe/shared/tools-api';
import type { Decision, PendingWrite, StoredSubmission, SubmissionRepository } from './submission.repository.js';

interface SubmissionRow {
  id: string;
  status: SubmissionStatus;
  submitted_at: string;
  decided_at: string | null;
  rejection_reason: string | null;
  tool_slug: string | null;
  tool: string;
}

function submissionOf(row: SubmissionRow): StoredSubmission {
  return {
    id: row.id,
    status: row.status,
    tool: JSON.parse(row.tool) as ToolInput,
    submittedAt: row.submitted_at,
    decidedAt: row.decided_at,
    rejectionReason: row.rejection_reason,
    toolSlug: row.tool_slug,
  };
}

/** Submissions in the `submissions` table of the embedded store's SQLite file (migration 2). */
export class EmbeddedSubmissionRepository implements SubmissionRepository {
  constructor(
    private readonly db: SqliteDatabase,
    private readonly now: () => Date,
  ) {}

  add(id: string, tool: ToolInput): Promise<StoredSubmission> {
    return asPromise(() => {
      const row = this.db
        .prepare(
          `INSERT INTO submissions (id, status, submitted_at, tool) VALUES (?, 'pending', ?, ?) RETURNING *`,
        )
        .get(id, this.now().toISOString(), JSON.stringify(tool)) as SubmissionRow;
      return submissionOf(row);
    });
  }

  get(id: string): Promise<StoredSubmission | null> {
    return asPromise(() => this.#get(id));
  }

  #get(id: string): StoredSubmission | null {
    const row = this.db.prepare('SELECT * FROM submissions WHERE id = ?').get(id) as SubmissionRow | undefined;
    return row ? submissionOf(row) : null;
  }

  list(status: SubmissionStatus, limit: number): Promise<{ items: StoredSubmission[]; total: number }> {
    return asPromise(() =>
      this.db.transaction(() => {
        const rows = this.db
          .prepare('SELECT * FROM submissions WHERE status = ? ORDER BY submitted_at DESC, id LIMIT ?')
          .all(status, limit) as SubmissionRow[];
        const total = this.db.prepare('SELECT count(*) FROM submissions WHERE status = ?').pluck().get(status) as number;
        return { items: rows.map(submissionOf), total };
      })(),
    );
  }

  edit(id: string, tool: ToolInput): Promise<PendingWrite> {
    return this.#whilePending(id, `UPDATE submissions SET tool = ? WHERE id = ? AND status = 'pending'`, [
      JSON.stringify(tool),
      id,
    ]);
  }

  decide(id: string, decision: Decision): Promise<PendingWrite> {
    const decidedAt = this.now().toISOString();
    return decision.status === 'approved'
      ? this.#whilePending(
          id,
          `UPDATE submissions SET status = 'approved', decided_at = ?, tool = ?, tool_slug = ? WHERE id = ? AND status = 'pending'`,
          [decidedAt, JSON.stringify(decision.tool), decision.tool.slug, id],
        )
      : this.#whilePending(
          id,
          `UPDATE submissions SET status = 'rejected', decided_at = ?, rejection_reason = ? WHERE id = ? AND status = 'pending'`,
          [decidedAt, decision.reason, id],
        );
  }

  reopen(id: string): Promise<void> {
    return asPromise(() => {
      this.db
        .prepare(
          `UPDATE submissions SET status = 'pending', decided_at = NULL, tool_slug = NULL WHERE id = ? AND status = 'approved'`,
        )
        .run(id);
    });
  }

  publishedSlugsAndWebsites(): Promise<{ slug: string; website: string }[]> {
    return asPromise(
      () =>
        this.db.prepare(`SELECT slug, json_extract(document, '$.website') AS website FROM tools`).all() as {
          slug: string;
          website: string;
        }[],
    );
  }

  /** Runs a conditional UPDATE and answers the record after it, in one write transaction. */
  #whilePending(id: string, sql: string, params: unknown[]): Promise<PendingWrite> {
    return asPromise(() =>
      this.db
        .transaction((): PendingWrite => {
          const changed = this.db.prepare(sql).run(...params).changes > 0;
          const submission = this.#get(id);
          return changed && submission ? { done: true, submission } : { done: false, submission };
        })
        .immediate(),
    );
  }
}
