import { z } from 'zod';
import { PRICING_MODELS, TOOL_CATEGORIES, TOOL_PLATFORMS, toolSchema } from '@codiesvibe/shared/domain';

// nestjs-api is a separate deployable: its answers are a boundary like any other, so they are
// parsed before use. Unknown keys are stripped rather than rejected, so nestjs-api can add fields
// without breaking this service.

export { toolSchema };

export const toolPageSchema = z.object({
  items: z.array(toolSchema),
  total: z.number().int().nonnegative(),
  nextCursor: z.string().nullable(),
});

const facetCount = <const T extends readonly [string, ...string[]]>(values: T) =>
  z.object({ value: z.enum(values), count: z.number().int().nonnegative() });

export const toolFacetsSchema = z.object({
  categories: z.array(facetCount(TOOL_CATEGORIES)),
  pricing: z.array(facetCount(PRICING_MODELS)),
  platforms: z.array(facetCount(TOOL_PLATFORMS)),
  total: z.number().int().nonnegative(),
});

/** The part of nestjs-api's ApiErrorBody this client reads, when the body has that shape. */
export const apiErrorBodySchema = z.object({
  code: z.string().optional(),
  message: z.string(),
});
