import { ERROR_CODES, HttpError, type FieldError } from '@codiesvibe/shared';
import type { ToolFilters, ToolInput, ToolPatch } from '@codiesvibe/shared/domain';
import {
  decodeSlug,
  decodeToolFilterQuery,
  decodeToolInput,
  decodeToolListQuery,
  decodeToolPatch,
  type Decoded,
  type ToolListParams,
} from '@codiesvibe/shared/tools-api';

// The API validates requests with the shared tools-API contract; here its field errors become
// the 400 answer.

/** Parsed `GET /api/tools` parameters, canonical (sorted, deduplicated) so equal queries share a cache key. */
export type ListParams = ToolListParams;

function invalid(errors: FieldError[]): HttpError {
  const summary = errors.map((error) => `${error.field} ${error.message}`).join('; ');
  return new HttpError(400, ERROR_CODES.VALIDATION, `Invalid request: ${summary}`, errors);
}

function valueOf<T>(decoded: Decoded<T>): T {
  if (!decoded.ok) throw invalid(decoded.errors);
  return decoded.value;
}

/** Validates `GET /api/tools` query parameters. @throws HttpError 400 `CV_ERR_VALIDATION` listing every bad or unknown parameter. */
export function parseListParams(raw: unknown): ListParams {
  return valueOf(decodeToolListQuery(raw));
}

/** Validates `GET /api/tools/facets` query parameters (the filters of the list, nothing else). @throws HttpError 400. */
export function parseFacetFilters(raw: unknown): ToolFilters {
  return valueOf(decodeToolFilterQuery(raw));
}

/** @throws HttpError 400 when the path parameter cannot be a slug. */
export function parseSlug(raw: string): string {
  return valueOf(decodeSlug(raw));
}

/** Validates a `POST /api/tools` body. @throws HttpError 400 with one entry per bad field. */
export function parseToolInput(body: unknown): ToolInput {
  return valueOf(decodeToolInput(body));
}

/** Validates a `PATCH /api/tools/:slug` body; an empty patch is refused. @throws HttpError 400. */
export function parseToolPatch(body: unknown): ToolPatch {
  return valueOf(decodeToolPatch(body));
}
