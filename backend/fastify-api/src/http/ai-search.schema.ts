import { TOOLS_API_LIMITS } from '@codiesvibe/shared/tools-api';
import { z } from 'zod';

/** A search query has the same length limit wherever a user types one (the shared contract). */
export const MAX_QUERY_LENGTH = TOOLS_API_LIMITS.queryLength;
/** Ranked answers: each carries reasons and feeds the explanation, so fewer than a directory page. */
export const MAX_LIMIT = 50;
export const DEFAULT_LIMIT = 10;

const query = z
  .string({ error: 'is required and must be a string' })
  .trim()
  .min(1, 'must not be empty')
  .max(MAX_QUERY_LENGTH, `must be at most ${MAX_QUERY_LENGTH} characters`);

// The error handler prefixes the field name: "limit must be a whole number ...".
const limitMessage = `must be a whole number from 1 to ${MAX_LIMIT}`;

/** `POST /ai/search` body. Unknown keys are refused so a typo ("limt") is not silently ignored. */
export const aiSearchBodySchema = z
  .object({
    query,
    limit: z
      .number({ error: limitMessage })
      .int(limitMessage)
      .min(1, limitMessage)
      .max(MAX_LIMIT, limitMessage)
      .default(DEFAULT_LIMIT),
  })
  .strict();

/** `GET /ai/search/stream` query string: the same fields, as strings. */
export const aiSearchQuerySchema = z
  .object({
    query,
    limit: z
      .string({ error: limitMessage })
      .regex(/^\d{1,3}$/, limitMessage)
      .transform(Number)
      .refine((value) => value >= 1 && value <= MAX_LIMIT, limitMessage)
      .default(DEFAULT_LIMIT),
  })
  .strict();
