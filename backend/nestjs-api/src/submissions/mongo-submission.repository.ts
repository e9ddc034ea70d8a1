import type { Collection, Db } from 'mongodb';
import type { ToolInput } from '@codiesvibe/shared/domain';
import type { SubmissionStatus } from '@codiesvibe/shared/tools-api';
import type { Decision, PendingWrite, StoredSubmission, SubmissionRepository } from './submission.repository.js';

interface SubmissionDocument extends Omit<StoredSubmission, 'id'> {
  _id: string;
}

function submissionOf({ _id, ...rest }: SubmissionDocument): StoredSubmission {
  return { id: _id, ...rest };
}

/** Submissions in the `submissions` collection, beside `tools` in the same database. */
export class MongoSubmissionRepository implements SubmissionRepository {
  readonly #submissions: Collection<SubmissionDocument>;
  readonly #tools: Collection<{ slug: string; website: string }>;
  #indexed: Promise<unknown> | undefined;

  constructor(
    db: Db,
    private readonly now: () => Date,
  ) {
    this.#submissions = db.collection<SubmissionDocument>('submissions');
    this.#tools = db.collection('tools');
  }

  /** The queue's index, made on first use (the tools' indexes are made at connect). */
  #ready(): Promise<unknown> {
    this.#indexed ??= this.#submissions.createIndex({ status: 1, submittedAt: -1, _id: 1 }, { name: 'by_status' });
    return this.#indexed;
  }

  async add(id: string, tool: ToolInput): Promise<StoredSubmission> {
    await this.#ready();
    const document: SubmissionDocument = {
      _id: id,
      status: 'pending',
      tool,
      submittedAt: this.now().toISOString(),
      decidedAt: null,
      rejectionReason: null,
      toolSlug: null,
    };
    await this.#submissions.insertOne({ ...document });
    return submissionOf(document);
  }

  async get(id: string): Promise<StoredSubmission | null> {
    const document = await this.#submissions.findOne({ _id: id });
    return document ? submissionOf(document) : null;
  }

  async list(status: SubmissionStatus, limit: number): Promise<{ items: StoredSubmission[]; total: number }> {
    await this.#ready();
    const [documents, total] = await Promise.all([
      this.#submissions.find({ status }).sort({ submittedAt: -1, _id: 1 }).limit(limit).toArray(),
      this.#submissions.countDocuments({ status }),
    ]);
    return { items: documents.map(submissionOf), total };
  }

  edit(id: string, tool: ToolInput): Promise<PendingWrite> {
    return this.#whilePending(id, { tool });
  }

  decide(id: string, decision: Decision): Promise<PendingWrite> {
    const decidedAt = this.now().toISOString();
    return this.#whilePending(
      id,
      decision.status === 'approved'
        ? { status: 'approved', decidedAt, tool: decision.tool, toolSlug: decision.tool.slug }
        : { status: 'rejected', decidedAt, rejectionReason: decision.reason },
    );
  }

  async reopen(id: string): Promise<void> {
    await this.#submissions.updateOne(
      { _id: id, status: 'approved' },
      { $set: { status: 'pending', decidedAt: null, toolSlug: null } },
    );
  }

  async publishedSlugsAndWebsites(): Promise<{ slug: string; website: string }[]> {
    return this.#tools.find({}, { projection: { _id: 0, slug: 1, website: 1 } }).toArray();
  }

  /** One conditional update (`status: 'pending'` in the filter), atomic on the server. */
  async #whilePending(id: string, set: Partial<SubmissionDocument>): Promise<PendingWrite> {
    const updated = await this.#submissions.findOneAndUpdate(
      { _id: id, status: 'pending' },
      { $set: set },
      { returnDocument: 'after' },
    );
    if (updated) return { done: true, submission: submissionOf(updated) };
    return { done: false, submission: await this.get(id) };
  }
}
