import type { ApiErrorBody } from '../domain/tool.js';

/**
 * True when an answer's body has the API's error shape (at least a `code` and a `message`), so a
 * client can show the server's words; anything else (a proxy's HTML page) is not one.
 */
export function isApiErrorBody(body: unknown): body is ApiErrorBody {
  if (typeof body !== 'object' || body === null) return false;
  const candidate = body as Record<string, unknown>;
  return typeof candidate.code === 'string' && typeof candidate.message === 'string';
}
