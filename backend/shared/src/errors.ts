import { STATUS_CODES } from 'node:http';
import type { FieldError } from './domain/tool.js';

/**
 * Every stable error code a CodiesVibe service answers with or exits with, in one place.
 * Clients and dashboards may match on these; never rename one.
 */
export const ERROR_CODES = {
  /** The environment failed validation at start. */
  CONFIG: 'CV_ERR_CONFIG',
  /** A request body, query or parameter failed validation. */
  VALIDATION: 'CV_ERR_VALIDATION',
  /** The request body is not valid JSON. */
  INVALID_JSON: 'CV_ERR_INVALID_JSON',
  BAD_REQUEST: 'CV_ERR_BAD_REQUEST',
  UNAUTHORIZED: 'CV_ERR_UNAUTHORIZED',
  FORBIDDEN: 'CV_ERR_FORBIDDEN',
  /** A resource (a tool, a slug) does not exist. */
  NOT_FOUND: 'CV_ERR_NOT_FOUND',
  /** No route matches the method and path. */
  ROUTE_NOT_FOUND: 'CV_ERR_ROUTE_NOT_FOUND',
  METHOD_NOT_ALLOWED: 'CV_ERR_METHOD_NOT_ALLOWED',
  CONFLICT: 'CV_ERR_CONFLICT',
  PAYLOAD_TOO_LARGE: 'CV_ERR_PAYLOAD_TOO_LARGE',
  UNSUPPORTED_MEDIA_TYPE: 'CV_ERR_UNSUPPORTED_MEDIA_TYPE',
  RATE_LIMITED: 'CV_ERR_RATE_LIMITED',
  INTERNAL: 'CV_ERR_INTERNAL',
  BAD_GATEWAY: 'CV_ERR_BAD_GATEWAY',
  /** A dependency is down, or the service is shutting down. */
  UNAVAILABLE: 'CV_ERR_UNAVAILABLE',
  GATEWAY_TIMEOUT: 'CV_ERR_GATEWAY_TIMEOUT',
  /** The embedded store cannot be opened (unreadable, not a database, or a newer schema). */
  STORE_UNUSABLE: 'CV_ERR_STORE_UNUSABLE',
} as const;

export type ErrorCode = (typeof ERROR_CODES)[keyof typeof ERROR_CODES];

const CODE_BY_STATUS: Record<number, ErrorCode> = {
  400: ERROR_CODES.BAD_REQUEST,
  401: ERROR_CODES.UNAUTHORIZED,
  403: ERROR_CODES.FORBIDDEN,
  404: ERROR_CODES.NOT_FOUND,
  405: ERROR_CODES.METHOD_NOT_ALLOWED,
  409: ERROR_CODES.CONFLICT,
  413: ERROR_CODES.PAYLOAD_TOO_LARGE,
  415: ERROR_CODES.UNSUPPORTED_MEDIA_TYPE,
  429: ERROR_CODES.RATE_LIMITED,
  500: ERROR_CODES.INTERNAL,
  502: ERROR_CODES.BAD_GATEWAY,
  503: ERROR_CODES.UNAVAILABLE,
  504: ERROR_CODES.GATEWAY_TIMEOUT,
};

/** The generic code for an HTTP status: `CV_ERR_BAD_REQUEST` for an unlisted 4xx, `CV_ERR_INTERNAL` for a 5xx. */
export function errorCodeForStatus(statusCode: number): ErrorCode {
  return CODE_BY_STATUS[statusCode] ?? (statusCode < 500 ? ERROR_CODES.BAD_REQUEST : ERROR_CODES.INTERNAL);
}

/** The reason phrase of an HTTP status (`Not Found`), used as `ApiErrorBody.error`. */
export function reasonPhrase(statusCode: number): string {
  return STATUS_CODES[statusCode] ?? 'Error';
}


/**
 * An error meant for the client: its status, code and message are sent as they are.
 * Throw it from a handler; the service plugin's error handler turns it into an `ApiErrorBody`.
 *
 * @example throw new HttpError(404, ERROR_CODES.NOT_FOUND, `No tool with slug "${slug}"`);
 */
export class HttpError extends Error {
  override readonly name = 'HttpError';

  constructor(
    readonly statusCode: number,
    readonly code: string,
    message: string,
    readonly errors?: FieldError[],
    options?: { cause?: unknown },
  ) {
    super(message, options);
  }
}

/**
 * The environment failed validation. `message` is the whole report on one line
 * (`Invalid environment: PORT="abc" is not a port; MONGODB_URI is required`);
 * `problems` holds one entry per bad variable.
 */
export class ConfigError extends Error {
  override readonly name = 'ConfigError';
  readonly code = ERROR_CODES.CONFIG;

  constructor(readonly problems: string[]) {
    super(`Invalid environment: ${problems.join('; ')}`);
  }
}
