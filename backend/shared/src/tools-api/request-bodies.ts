import type { z } from 'zod';
import {
  toolInputSchema,
  toolPatchSchema,
  type FieldError,
  type ToolInput,
  type ToolPatch,
} from '../domain/tool.js';
import { issueMessage } from '../http/issue-message.js';
import type { Decoded } from './query-codec.js';

/** Slugs that name routes under `/api/tools`: a tool with one could never be read back. */
export const RESERVED_TOOL_SLUGS: readonly string[] = ['facets'];

function fieldErrorsOf(error: z.ZodError): FieldError[] {
  return error.issues.flatMap((issue) => {
    const prefix = issue.path.map(String).join('.');
    if (issue.code === 'unrecognized_keys') {
      return issue.keys.map((key) => ({
        field: prefix ? `${prefix}.${key}` : key,
        message: 'is not a known field',
      }));
    }
    return [{ field: prefix || '(root)', message: issueMessage(issue.message) }];
  });
}

/** Validates a JSON object body against a schema: one field error per bad or unknown field. */
export function decodeBody<T>(schema: z.ZodType<T>, body: unknown): Decoded<T> {
  if (body === null || typeof body !== 'object' || Array.isArray(body)) {
    return { ok: false, errors: [{ field: '(root)', message: 'must be a JSON object' }] };
  }
  const result = schema.safeParse(body);
  return result.success
    ? { ok: true, value: result.data }
    : { ok: false, errors: fieldErrorsOf(result.error) };
}

/** Validates a `POST /api/tools` body: one entry per bad or unknown field. */
export function decodeToolInput(body: unknown): Decoded<ToolInput> {
  const decoded = decodeBody(toolInputSchema, body);
  if (decoded.ok && RESERVED_TOOL_SLUGS.includes(decoded.value.slug)) {
    return {
      ok: false,
      errors: [{ field: 'slug', message: `"${decoded.value.slug}" is reserved by the API` }],
    };
  }
  return decoded;
}

/** Validates a `PATCH /api/tools/{slug}` body; an empty patch is refused. */
export function decodeToolPatch(body: unknown): Decoded<ToolPatch> {
  const decoded = decodeBody(toolPatchSchema, body);
  if (decoded.ok && Object.keys(decoded.value).length === 0) {
    return { ok: false, errors: [{ field: '(root)', message: 'must change at least one field' }] };
  }
  return decoded;
}
