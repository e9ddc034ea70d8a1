import { z } from 'zod';
import { toolInputSchema, type ToolInput } from '../domain/tool.js';
import type { Decoded } from './query-codec.js';
import { decodeBody, RESERVED_TOOL_SLUGS } from './request-bodies.js';
import type { ToolsApiRoute } from './routes.js';

// Suggested tools, moderated: anyone may submit one (the gateway's rate limit applies); it waits,
// pending, until an admin approves it (it becomes a tool), edits it, or rejects it with a reason.
// Pending submissions live apart from the tools, so no listing, search, MCP or AI search sees them.

/**
 * The honeypot of the public form: a field people never see (hidden from sight and from assistive
 * technology) that bots fill in. A submission with it filled answers like any other but is not kept.
 */
export const SUBMISSION_HONEYPOT_FIELD = 'faxNumber';

export const SUBMISSION_STATUSES = ['pending', 'approved', 'rejected'] as const;
export type SubmissionStatus = (typeof SUBMISSION_STATUSES)[number];

export const SUBMISSION_LIMITS = {
  /** Characters of a rejection reason. */
  reasonLength: 500,
  /** Submissions of one status in one answer, newest first; the moderation queue is worked from the top. */
  listSize: 200,
} as const;

/** `POST /api/submissions`: the same fields and rules as a tool, plus the honeypot. */
export const submissionInputSchema = toolInputSchema
  .extend({ [SUBMISSION_HONEYPOT_FIELD]: z.string().max(200).optional() })
  .strict();
export type SubmissionInput = z.infer<typeof submissionInputSchema>;

/** `POST /api/submissions/{id}/approve`: optionally the admin's edited version of the tool. */
export const approveSubmissionSchema = z.object({ tool: toolInputSchema.optional() }).strict();
export type ApproveSubmissionBody = z.infer<typeof approveSubmissionSchema>;

/** `POST /api/submissions/{id}/reject`: why, in words the admins keep. */
export const rejectSubmissionSchema = z
  .object({ reason: z.string().trim().min(1).max(SUBMISSION_LIMITS.reasonLength) })
  .strict();
export type RejectSubmissionBody = z.infer<typeof rejectSubmissionSchema>;

/** What the submitter learns: the submission waits for review. */
export const submissionReceiptSchema = z.object({
  id: z.uuid(),
  status: z.literal('pending'),
});
export type SubmissionReceipt = z.infer<typeof submissionReceiptSchema>;

/** Why an admin should look twice before approving. */
export const submissionFlagsSchema = z.object({
  slugTaken: z.boolean().describe('A published tool already has this slug'),
  sameWebsiteTools: z.array(z.string()).describe('Slugs of published tools with the same website'),
  samePendingSubmissions: z
    .array(z.string())
    .describe('Ids of other pending submissions with the same slug or website'),
});
export type SubmissionFlags = z.infer<typeof submissionFlagsSchema>;

/** A submission as admins see it. */
export const submissionSchema = z.object({
  id: z.uuid(),
  status: z.enum(SUBMISSION_STATUSES),
  tool: toolInputSchema.describe('The tool as submitted, or as an admin last edited it'),
  submittedAt: z.string().meta({ format: 'date-time' }),
  decidedAt: z.string().meta({ format: 'date-time' }).nullable(),
  rejectionReason: z.string().nullable(),
  /** The slug of the tool an approval created. */
  toolSlug: z.string().nullable(),
  flags: submissionFlagsSchema,
});
export type Submission = z.infer<typeof submissionSchema>;

export const submissionListSchema = z.object({
  items: z.array(submissionSchema),
  total: z.number().int().nonnegative().describe('Submissions of this status, over the shown ones'),
});
export type SubmissionList = z.infer<typeof submissionListSchema>;

/** The answer of an approval: the decided submission and the tool it became. */
export const submissionApprovalSchema = z.object({
  submission: submissionSchema,
  tool: z.object({ slug: z.string() }).loose(),
});

/** Named schemas of the submission routes, for the OpenAPI document. */
export const SUBMISSION_SCHEMAS = {
  SubmissionInput: submissionInputSchema,
  SubmissionReceipt: submissionReceiptSchema,
  Submission: submissionSchema,
  SubmissionList: submissionListSchema,
  SubmissionApproval: submissionApprovalSchema,
  ApproveSubmission: approveSubmissionSchema,
  RejectSubmission: rejectSubmissionSchema,
} as const;
export type SubmissionSchemaName = keyof typeof SUBMISSION_SCHEMAS;

/** Validates a `POST /api/submissions` body: one entry per bad or unknown field, like a tool's. */
export function decodeSubmissionInput(body: unknown): Decoded<SubmissionInput> {
  const decoded = decodeBody(submissionInputSchema, body);
  if (decoded.ok && RESERVED_TOOL_SLUGS.includes(decoded.value.slug)) {
    return { ok: false, errors: [{ field: 'slug', message: `"${decoded.value.slug}" is reserved by the API` }] };
  }
  return decoded;
}

export function decodeApproveSubmission(body: unknown): Decoded<ApproveSubmissionBody> {
  // An approval without edits may come without a body at all.
  return decodeBody(approveSubmissionSchema, body ?? {});
}

export function decodeRejectSubmission(body: unknown): Decoded<RejectSubmissionBody> {
  return decodeBody(rejectSubmissionSchema, body);
}

/** Validates a `PATCH /api/submissions/{id}` body: the whole edited tool. */
export function decodeSubmissionEdit(body: unknown): Decoded<ToolInput> {
  return decodeBody(toolInputSchema, body);
}

const SUBMISSION_ID = z.uuid();

export function decodeSubmissionId(raw: string): Decoded<string> {
  return SUBMISSION_ID.safeParse(raw).success
    ? { ok: true, value: raw.toLowerCase() }
    : { ok: false, errors: [{ field: 'id', message: 'must be a submission id (a UUID)' }] };
}

export function decodeSubmissionStatus(raw: unknown): Decoded<SubmissionStatus> {
  const query = (raw ?? {}) as Record<string, unknown>;
  const unknown = Object.keys(query).filter((key) => key !== 'status');
  if (unknown.length > 0)
    return { ok: false, errors: unknown.map((field) => ({ field, message: 'is not a known parameter' })) };
  const status = query.status ?? 'pending';
  return typeof status === 'string' && (SUBMISSION_STATUSES as readonly string[]).includes(status)
    ? { ok: true, value: status as SubmissionStatus }
    : { ok: false, errors: [{ field: 'status', message: `must be one of ${SUBMISSION_STATUSES.join(', ')}` }] };
}

/**
 * The key two websites are the same by: host without `www.`, lower-cased, and the path without
 * a trailing slash; scheme, query and fragment do not count.
 */
export function websiteKey(website: string): string {
  try {
    const url = new URL(website);
    const host = url.hostname.toLowerCase().replace(/^www\./, '');
    return `${host}${url.pathname.replace(/\/+$/, '').toLowerCase()}`;
  } catch {
    return website.trim().toLowerCase();
  }
}

export const submissionsApiPaths = {
  list: (status: SubmissionStatus = 'pending') => `/api/submissions?status=${status}`,
  create: () => '/api/submissions',
  one: (id: string) => `/api/submissions/${encodeURIComponent(id)}`,
  approve: (id: string) => `/api/submissions/${encodeURIComponent(id)}/approve`,
  reject: (id: string) => `/api/submissions/${encodeURIComponent(id)}/reject`,
};

const error = (description: string) => ({ description, schema: 'ApiError' as const });
const unauthorized = error('Missing or wrong admin API key (`CV_ERR_UNAUTHORIZED`)');
const noSuchSubmission = error('No submission with this id (`CV_ERR_NOT_FOUND`)');
const alreadyDecided = error(
  'The submission was already approved or rejected, by another admin perhaps (`CV_ERR_CONFLICT`, the message says how and when)',
);

/** The routes of submissions and moderation, part of the tools API's route list. */
export const SUBMISSION_ROUTES: readonly ToolsApiRoute[] = [
  {
    method: 'POST',
    path: '/api/submissions',
    operationId: 'submitTool',
    tag: 'submissions',
    summary: 'Suggest a tool (public; it waits for an admin)',
    description:
      'Same fields and rules as a tool. The submission is pending until an admin approves it; pending ' +
      'submissions never appear in listings, search, MCP or AI search. Rate-limited by the gateway.',
    body: 'SubmissionInput',
    responses: {
      '201': { description: 'Received, pending review', schema: 'SubmissionReceipt' },
      '400': error('Invalid body (`CV_ERR_VALIDATION`, with `errors`)'),
      '413': error('Body too large (`CV_ERR_PAYLOAD_TOO_LARGE`)'),
    },
  },
  {
    method: 'GET',
    path: '/api/submissions',
    operationId: 'listSubmissions',
    tag: 'submissions',
    summary: 'Submissions of one status (pending unless asked), newest first, with duplicate flags',
    admin: true,
    responses: {
      '200': { description: 'The submissions', schema: 'SubmissionList' },
      '400': error('Unknown status or parameter (`CV_ERR_VALIDATION`)'),
      '401': unauthorized,
    },
  },
  {
    method: 'GET',
    path: '/api/submissions/{id}',
    operationId: 'getSubmission',
    tag: 'submissions',
    summary: 'One submission',
    pathParam: 'id',
    admin: true,
    responses: { '200': { description: 'The submission', schema: 'Submission' }, '401': unauthorized, '404': noSuchSubmission },
  },
  {
    method: 'PATCH',
    path: '/api/submissions/{id}',
    operationId: 'editSubmission',
    tag: 'submissions',
    summary: 'Replace the tool of a pending submission with an edited one',
    pathParam: 'id',
    body: 'ToolInput',
    admin: true,
    responses: {
      '200': { description: 'The edited submission', schema: 'Submission' },
      '400': error('Invalid tool (`CV_ERR_VALIDATION`)'),
      '401': unauthorized,
      '404': noSuchSubmission,
      '409': alreadyDecided,
    },
  },
  {
    method: 'POST',
    path: '/api/submissions/{id}/approve',
    operationId: 'approveSubmission',
    tag: 'submissions',
    summary: 'Publish a pending submission as a tool (optionally edited first)',
    pathParam: 'id',
    body: 'ApproveSubmission',
    admin: true,
    responses: {
      '200': { description: 'Approved; the tool is published', schema: 'SubmissionApproval' },
      '400': error('Invalid edited tool (`CV_ERR_VALIDATION`)'),
      '401': unauthorized,
      '404': noSuchSubmission,
      '409': error('Already decided, or a tool already has this slug (`CV_ERR_CONFLICT`)'),
    },
  },
  {
    method: 'POST',
    path: '/api/submissions/{id}/reject',
    operationId: 'rejectSubmission',
    tag: 'submissions',
    summary: 'Reject a pending submission with a reason',
    pathParam: 'id',
    body: 'RejectSubmission',
    admin: true,
    responses: {
      '200': { description: 'Rejected', schema: 'Submission' },
      '400': error('Missing or too long reason (`CV_ERR_VALIDATION`)'),
      '401': unauthorized,
      '404': noSuchSubmission,
      '409': alreadyDecided,
    },
  },
];
