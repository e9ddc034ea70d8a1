import { isApiErrorBody } from '@codiesvibe/shared/tools-api/query';

/** Codes the client itself assigns when the server gave no ApiErrorBody. */
export const CLIENT_ERROR_CODES = {
  network: 'FRONTEND_ERR_NETWORK',
  badResponse: 'FRONTEND_ERR_BAD_RESPONSE',
  stream: 'FRONTEND_ERR_STREAM',
} as const;

export interface FieldError {
  field: string;
  message: string;
}

/** A failed API call, carrying the server's stable code and per-field messages when it sent them. */
export class ApiError extends Error {
  override readonly name = 'ApiError';

  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    readonly fieldErrors: FieldError[] = [],
    readonly requestId?: string,
  ) {
    super(message);
  }

  /** Builds an error from a response body that may or may not be an ApiErrorBody. */
  static fromBody(status: number, body: unknown): ApiError {
    if (isApiErrorBody(body)) {
      return new ApiError(
        body.statusCode || status,
        body.code,
        body.message,
        body.errors ?? [],
        body.requestId,
      );
    }
    return new ApiError(
      status,
      CLIENT_ERROR_CODES.badResponse,
      `The server answered ${status} without details.`,
    );
  }
}

/** True for the error fetch raises when its AbortSignal fires. */
export function isAbortError(error: unknown): boolean {
  return error instanceof DOMException
    ? error.name === 'AbortError'
    : (error as { name?: unknown })?.name === 'AbortError';
}

/** A sentence for people: the server's message, or a hint for network failures. */
export function describeError(error: unknown): string {
  if (error instanceof ApiError) return error.message;
  return 'Something went wrong. Please try again.';
}
