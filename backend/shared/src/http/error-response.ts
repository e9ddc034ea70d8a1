import type { ApiErrorBody, FieldError } from '../domain/tool.js';
import { ERROR_CODES, errorCodeForStatus, HttpError, reasonPhrase } from '../errors.js';
import { issueMessage } from './issue-message.js';

/** What to answer for an error, and whether it is the client's fault (4xx) or ours (5xx). */
export interface ErrorResponse {
  statusCode: number;
  body: ApiErrorBody;
  /** True for 5xx: log it with its stack; the client only sees a generic message. */
  serverFault: boolean;
}

interface ZodLikeError {
  name: 'ZodError';
  issues: { path: PropertyKey[]; message: string }[];
}

interface FastifyValidationError {
  validation: { instancePath?: string; message?: string; params?: Record<string, unknown> }[];
  validationContext?: string;
}

// zod may be a different copy in each service, so match on shape rather than `instanceof`.
function isZodError(error: unknown): error is ZodLikeError {
  return (
    error instanceof Error &&
    error.name === 'ZodError' &&
    Array.isArray((error as Partial<ZodLikeError>).issues)
  );
}

function isFastifyValidationError(error: unknown): error is FastifyValidationError {
  return error instanceof Error && Array.isArray((error as Partial<FastifyValidationError>).validation);
}

function statusOf(error: unknown): number | undefined {
  const status = (error as { statusCode?: unknown } | null)?.statusCode;
  return typeof status === 'number' && status >= 400 && status <= 599 ? status : undefined;
}

/** `a.b.0` for zod paths; `(root)` when the whole value is wrong. */
function fieldOfPath(path: readonly PropertyKey[]): string {
  return path.length === 0 ? '(root)' : path.map(String).join('.');
}

function fieldErrorsOfZod(error: ZodLikeError): FieldError[] {
  return error.issues.map((issue) => ({
    field: fieldOfPath(issue.path),
    message: issueMessage(issue.message),
  }));
}

function fieldErrorsOfFastify(error: FastifyValidationError): FieldError[] {
  return error.validation.map((entry) => {
    const missing = entry.params?.missingProperty;
    const path = (entry.instancePath ?? '').split('/').filter(Boolean);
    if (typeof missing === 'string') path.push(missing);
    const field = path.length > 0 ? path.join('.') : (error.validationContext ?? '(root)');
    return { field, message: entry.message ?? 'is invalid' };
  });
}

function validationFailed(errors: FieldError[], requestId: string | undefined): ErrorResponse {
  const summary = errors.map((e) => `${e.field} ${e.message}`).join('; ');
  return {
    statusCode: 400,
    body: withRequestId(
      {
        statusCode: 400,
        error: reasonPhrase(400),
        code: ERROR_CODES.VALIDATION,
        message: `Invalid request: ${summary}`,
        errors,
      },
      requestId,
    ),
    serverFault: false,
  };
}

function withRequestId(body: ApiErrorBody, requestId: string | undefined): ApiErrorBody {
  return requestId === undefined ? body : { ...body, requestId };
}

/** Fastify's own 4xx codes that deserve a more precise code than the status gives. */
const FASTIFY_CODES: Record<string, string> = {
  FST_ERR_CTP_INVALID_JSON_BODY: ERROR_CODES.INVALID_JSON,
  FST_ERR_CTP_EMPTY_JSON_BODY: ERROR_CODES.INVALID_JSON,
};

/**
 * Turns any thrown value into the `ApiErrorBody` every service answers with. `HttpError` keeps
 * its status, code and message; zod and Fastify schema errors become 400 `CV_ERR_VALIDATION` with
 * field errors; other errors with a 4xx status keep their (safe) message; everything else is
 * 500 `CV_ERR_INTERNAL` with a generic message. Never includes a stack trace.
 * NestJS exception filters use it too, so both frameworks answer alike.
 */
export function toErrorResponse(error: unknown, requestId?: string): ErrorResponse {
  if (error instanceof HttpError) {
    const body: ApiErrorBody = {
      statusCode: error.statusCode,
      error: reasonPhrase(error.statusCode),
      code: error.code,
      message: error.message,
    };
    if (error.errors) body.errors = error.errors;
    return {
      statusCode: error.statusCode,
      body: withRequestId(body, requestId),
      serverFault: error.statusCode >= 500,
    };
  }
  if (isZodError(error)) return validationFailed(fieldErrorsOfZod(error), requestId);
  if (isFastifyValidationError(error)) return validationFailed(fieldErrorsOfFastify(error), requestId);

  const status = statusOf(error);
  if (status !== undefined && status < 500) {
    const fastifyCode = (error as { code?: unknown }).code;
    const code =
      (typeof fastifyCode === 'string' ? FASTIFY_CODES[fastifyCode] : undefined) ??
      errorCodeForStatus(status);
    const message = error instanceof Error && error.message ? error.message : reasonPhrase(status);
    return {
      statusCode: status,
      body: withRequestId({ statusCode: status, error: reasonPhrase(status), code, message }, requestId),
      serverFault: false,
    };
  }
  const statusCode = status ?? 500;
  return {
    statusCode,
    body: withRequestId(
      {
        statusCode,
        error: reasonPhrase(statusCode),
        code: errorCodeForStatus(statusCode),
        // Internal messages can leak hosts, queries or secrets: the details go to the log only.
        message: statusCode === 503 ? 'Service temporarily unavailable' : 'Internal server error',
      },
      requestId,
    ),
    serverFault: true,
  };
}
