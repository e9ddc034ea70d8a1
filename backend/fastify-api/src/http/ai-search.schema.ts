import { ERROR_CODES, HttpError } from '@codiesvibe/shared';
import { TOOLS_API_LIMITS } from '@codiesvibe/shared/tools-api';
import { z } from 'zod';

/** A search query has the same length limit wherever a user types one (the shared contract). */
export const MAX_QUERY_LENGTH = TOOLS_API_LIMITS.queryLength;
/** Ranked answers: each carries reasons and feeds the explanation, so fewer than a directory page. */
export const MAX_LIMIT = 50;
export const DEFAULT_LIMIT = 10;

/** Whether the text holds a control character other than tab, line feed and carriage return (spaces to the parser). */
function hasControlCharacter(text: string): boolean {
  for (let index = 0; index < text.length; index++) {
    const code = text.charCodeAt(index);
    if ((code < 0x20 && code !== 0x09 && code !== 0x0a && code !== 0x0d) || (code >= 0x7f && code <= 0x9f)) return true;
  }
  return false;
}
/**
 * Text that was not valid UTF-8: the replacement character U+FFFD the decoder put for bad bytes,
 * or half of a surrogate pair (a JSON escape such as "\ud800").
 */
const NOT_UTF8 = /\ufffd|[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/;

/**
 * The message for a value of the wrong type, naming what was wrong with it: missing, or (in a
 * query string, where an array means the parameter came twice) repeated.
 */
const typeMessage = (expected: string, source: 'body' | 'query string') => (issue: { input: unknown }) =>
  issue.input === undefined
    ? `is required and must be ${expected}`
    : source === 'query string' && Array.isArray(issue.input)
      ? 'must be given once'
      : `must be ${expected}`;

// Each check stops the others (`abort`), so a bad value gets one message, not one per rule broken.
const queryText = (source: 'body' | 'query string') =>
  z
    .string({ error: typeMessage('a string', source) })
    .trim()
    .min(1, { error: 'must not be empty', abort: true })
    .max(MAX_QUERY_LENGTH, { error: `must be at most ${MAX_QUERY_LENGTH} characters`, abort: true })
    .refine((text) => !NOT_UTF8.test(text), { error: 'must be valid UTF-8 text', abort: true })
    .refine((text) => !hasControlCharacter(text), { error: 'must not contain control characters', abort: true });

// The error handler prefixes the field name: "limit must be a whole number ...".
const limitMessage = `must be a whole number from 1 to ${MAX_LIMIT}`;

/** `POST /ai/search` body. Unknown keys are refused so a typo ("limt") is not silently ignored. */
export const aiSearchBodySchema = z
  .object({
    query: queryText('body'),
    limit: z
      .number({ error: (issue) => (issue.input === undefined ? undefined : limitMessage) })
      .int({ error: limitMessage, abort: true })
      .min(1, { error: limitMessage, abort: true })
      .max(MAX_LIMIT, { error: limitMessage, abort: true })
      .default(DEFAULT_LIMIT),
  })
  .strict();

/** `GET /ai/search/stream` query string: the same fields, as strings. */
export const aiSearchQuerySchema = z
  .object({
    query: queryText('query string'),
    limit: z
      .string({ error: typeMessage(`a whole number from 1 to ${MAX_LIMIT}`, 'query string') })
      .regex(/^\d{1,3}$/, { error: limitMessage, abort: true })
      .transform(Number)
      .refine((value) => value >= 1 && value <= MAX_LIMIT, limitMessage)
      .default(DEFAULT_LIMIT),
  })
  .strict();

/**
 * Refuses a query string with a percent escape that is not UTF-8 ("%FF", a cut "%E2%82", "%zz"):
 * the parser hands such a value on as written, and a search for "%FF" is not what was sent.
 * `url` is the request's raw URL.
 */
export function assertPercentEncodingValid(url: string): void {
  const start = url.indexOf('?');
  if (start < 0) return;
  for (const pair of url.slice(start + 1).split('&')) {
    const equals = pair.indexOf('=');
    const [key, value] = equals < 0 ? [pair, ''] : [pair.slice(0, equals), pair.slice(equals + 1)];
    if (decodes(key) && decodes(value)) continue;
    const field = decodes(key) ? decodeURIComponent(key.replace(/\+/g, ' ')) || '(root)' : '(root)';
    const message = 'must be percent-encoded UTF-8';
    throw new HttpError(400, ERROR_CODES.VALIDATION, `Invalid request: ${field} ${message}`, [{ field, message }]);
  }
}

function decodes(component: string): boolean {
  try {
    decodeURIComponent(component.replace(/\+/g, ' '));
    return true;
  } catch {
    return false;
  }
}
