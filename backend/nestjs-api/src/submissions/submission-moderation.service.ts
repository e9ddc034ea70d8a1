import { randomUUID } from 'node:crypto';
import { Inject, Injectable } from '@nestjs/common';
import { ERROR_CODES, HttpError } from '@codiesvibe/shared';
import type { Tool, ToolInput } from '@codiesvibe/shared/domain';
import {
  SUBMISSION_HONEYPOT_FIELD,
  SUBMISSION_LIMITS,
  websiteKey,
  type Submission,
  type SubmissionInput,
  type SubmissionList,
  type SubmissionReceipt,
  type SubmissionStatus,
} from '@codiesvibe/shared/tools-api';
import { SUBMISSION_REPOSITORY } from '../tokens.js';
import { ToolDirectoryService } from '../tools/tool-directory.service.js';
import type { PendingWrite, StoredSubmission, SubmissionRepository } from './submission.repository.js';

/** Answers a conditional write that found the submission decided (or gone) with what happened. */
function decidedOrMissing(id: string, write: PendingWrite): StoredSubmission {
  if (write.done) return write.submission;
  const current = write.submission;
  if (!current) throw noSuchSubmission(id);
  throw alreadyDecided(current);
}

function noSuchSubmission(id: string): HttpError {
  return new HttpError(404, ERROR_CODES.NOT_FOUND, `No submission with id "${id}"`);
}

function alreadyDecided(submission: StoredSubmission): HttpError {
  const when = submission.decidedAt ?? 'earlier';
  const what =
    submission.status === 'approved'
      ? `approved at ${when} (it is now the tool "${submission.toolSlug ?? submission.tool.slug}")`
      : `rejected at ${when}${submission.rejectionReason ? ` ("${submission.rejectionReason}")` : ''}`;
  return new HttpError(409, ERROR_CODES.CONFLICT, `This submission was already ${what}; nothing was changed`);
}

/**
 * Suggested tools and their moderation. A submission is kept apart from the tools until an admin
 * approves it: only then does it go through the directory (and its cache invalidation) as a tool.
 */
@Injectable()
export class SubmissionModerationService {
  constructor(
    @Inject(SUBMISSION_REPOSITORY) private readonly submissions: SubmissionRepository,
    @Inject(ToolDirectoryService) private readonly directory: ToolDirectoryService,
  ) {}

  /** Keeps a submission as pending; a filled honeypot answers the same but keeps nothing. */
  async submit(input: SubmissionInput): Promise<{ receipt: SubmissionReceipt; kept: boolean }> {
    const { [SUBMISSION_HONEYPOT_FIELD]: honeypot, ...tool } = input;
    const id = randomUUID();
    if (honeypot) return { receipt: { id, status: 'pending' }, kept: false };
    await this.submissions.add(id, tool);
    return { receipt: { id, status: 'pending' }, kept: true };
  }

  async list(status: SubmissionStatus): Promise<SubmissionList> {
    const { items, total } = await this.submissions.list(status, SUBMISSION_LIMITS.listSize);
    const flag = await this.#flagger(status === 'pending' ? items : await this.#pending());
    return { items: items.map(flag), total };
  }

  async get(id: string): Promise<Submission> {
    const submission = await this.submissions.get(id);
    if (!submission) throw noSuchSubmission(id);
    return (await this.#flagger(await this.#pending()))(submission);
  }

  async edit(id: string, tool: ToolInput): Promise<Submission> {
    const edited = decidedOrMissing(id, await this.submissions.edit(id, tool));
    return (await this.#flagger(await this.#pending()))(edited);
  }

  /**
   * Claims the submission (pending → approved, conditionally), then creates the tool; when the
   * tool cannot be created (its slug was taken) the claim is undone and the admin told why.
   */
  async approve(id: string, edited: ToolInput | undefined): Promise<{ submission: Submission; tool: Tool }> {
    const current = await this.submissions.get(id);
    if (!current) throw noSuchSubmission(id);
    if (current.status !== 'pending') throw alreadyDecided(current);
    const toolInput = edited ?? current.tool;
    const claimed = decidedOrMissing(id, await this.submissions.decide(id, { status: 'approved', tool: toolInput }));
    let tool: Tool;
    try {
      tool = await this.directory.create(toolInput);
    } catch (error) {
      await this.submissions.reopen(id);
      if (error instanceof HttpError && error.statusCode === 409) {
        throw new HttpError(409, ERROR_CODES.CONFLICT, `${error.message}; edit the slug and approve again`, [
          { field: 'slug', message: `is taken by a published tool` },
        ]);
      }
      throw error;
    }
    return { submission: (await this.#flagger([]))(claimed), tool };
  }

  async reject(id: string, reason: string): Promise<Submission> {
    const rejected = decidedOrMissing(id, await this.submissions.decide(id, { status: 'rejected', reason }));
    return (await this.#flagger([]))(rejected);
  }

  async #pending(): Promise<StoredSubmission[]> {
    return (await this.submissions.list('pending', SUBMISSION_LIMITS.listSize)).items;
  }

  /** Flags duplicates against the published tools and the other pending submissions. */
  async #flagger(pending: readonly StoredSubmission[]): Promise<(submission: StoredSubmission) => Submission> {
    const published = await this.submissions.publishedSlugsAndWebsites();
    const slugs = new Set(published.map((tool) => tool.slug));
    const byWebsite = new Map<string, string[]>();
    for (const tool of published) {
      const key = websiteKey(tool.website);
      byWebsite.set(key, [...(byWebsite.get(key) ?? []), tool.slug]);
    }
    return (submission) => {
      const key = websiteKey(submission.tool.website);
      const decided = submission.status !== 'pending';
      return {
        ...submission,
        flags: {
          // Once approved, the tool it became is no duplicate of itself.
          slugTaken: !decided && slugs.has(submission.tool.slug),
          sameWebsiteTools: decided ? [] : (byWebsite.get(key) ?? []),
          samePendingSubmissions: pending
            .filter(
              (other) =>
                other.id !== submission.id &&
                (other.tool.slug === submission.tool.slug || websiteKey(other.tool.website) === key),
            )
            .map((other) => other.id),
        },
      };
    };
  }
}
