import { z } from 'zod';
import { toolSchema, type ApiErrorBody, type ToolFacets, type ToolPage } from '../domain/tool.js';
import { PRICING_MODELS, TOOL_CATEGORIES, TOOL_PLATFORMS } from '../domain/vocabulary.js';

// What the tools API answers, as schemas: clients in other services parse answers with them (a
// boundary like any other), the OpenAPI document is generated from them. Unknown keys are stripped
// rather than refused, so the API may add fields without breaking its readers.

export { toolSchema };

export const toolPageSchema = z.object({
  items: z.array(toolSchema),
  total: z.number().int().nonnegative().describe('Number of tools matching the query, over all pages'),
  nextCursor: z.string().nullable().describe('null on the last page'),
  correctedQuery: z
    .string()
    .optional()
    .describe(
      'Present when q matched no tool: the query as the directory spells it (a typo corrected, a word no tool has left out), whose results this page holds',
    ),
}) satisfies z.ZodType<ToolPage, unknown>;

const facetCounts = <const T extends readonly [string, ...string[]]>(values: T) =>
  z.array(z.object({ value: z.enum(values), count: z.number().int().nonnegative() }));

export const toolFacetsSchema = z
  .object({
    categories: facetCounts(TOOL_CATEGORIES),
    pricing: facetCounts(PRICING_MODELS),
    platforms: facetCounts(TOOL_PLATFORMS),
    total: z.number().int().nonnegative(),
  })
  .describe(
    'Counts for the current filters: every value of each vocabulary, in display order, zero counts included.',
  ) satisfies z.ZodType<ToolFacets, unknown>;

/** The error body of every 4xx and 5xx answer. */
export const apiErrorBodySchema = z.object({
  statusCode: z.number().int(),
  error: z.string().describe('The reason phrase of the status'),
  code: z.string().describe('Stable error code, e.g. CV_ERR_VALIDATION or CV_ERR_NOT_FOUND'),
  message: z.string(),
  requestId: z.string().optional(),
  errors: z.array(z.object({ field: z.string(), message: z.string() })).optional(),
}) satisfies z.ZodType<ApiErrorBody, unknown>;
