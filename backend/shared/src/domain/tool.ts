import { z } from 'zod';
import {
  PRICING_MODELS,
  SLUG_PATTERN,
  TOOL_CATEGORIES,
  TOOL_PLATFORMS,
  type PricingModel,
  type ToolCategory,
  type ToolPlatform,
} from './vocabulary.js';

/** What a client sends to create a tool: every field but the timestamps. */
export const toolInputSchema = z
  .object({
    slug: z.string().min(2).max(80).regex(SLUG_PATTERN, 'must be kebab-case (a-z, 0-9, single dashes)'),
    name: z.string().trim().min(1).max(120),
    tagline: z.string().trim().min(1).max(200),
    description: z.string().trim().min(1).max(5000),
    website: z.url({ protocol: /^https?$/ }),
    repository: z.url({ protocol: /^https?$/ }).optional(),
    categories: z.array(z.enum(TOOL_CATEGORIES)).min(1).max(TOOL_CATEGORIES.length),
    tags: z.array(z.string().trim().min(1).max(40).regex(SLUG_PATTERN, 'must be kebab-case')).max(20),
    pricing: z
      .object({
        model: z.enum(PRICING_MODELS),
        monthlyPriceFrom: z.number().nonnegative().max(100_000).optional(),
      })
      .strict(),
    platforms: z.array(z.enum(TOOL_PLATFORMS)).min(1).max(TOOL_PLATFORMS.length),
    openSource: z.boolean(),
    license: z.string().trim().min(1).max(60).optional(),
  })
  .strict();
export type ToolInput = z.infer<typeof toolInputSchema>;

/** A partial update: any field but the slug, which names the record. */
export const toolPatchSchema = toolInputSchema.omit({ slug: true }).partial().strict();
export type ToolPatch = z.infer<typeof toolPatchSchema>;

/** A tool as stored and served. Timestamps are ISO-8601 strings. */
export interface Tool extends ToolInput {
  createdAt: string;
  updatedAt: string;
}

/**
 * A tool as another service receives it (over HTTP or MCP), parsed at that boundary. Unknown keys
 * are stripped rather than refused, so the sender may add fields without breaking its readers.
 */
export const toolSchema = z.object({
  ...toolInputSchema.shape,
  createdAt: z.string().meta({ format: 'date-time' }),
  updatedAt: z.string().meta({ format: 'date-time' }),
});

/** The fields of a tool a search result carries: enough to choose, small enough for a model's context. */
export const toolSummarySchema = toolSchema.pick({
  slug: true,
  name: true,
  tagline: true,
  categories: true,
  pricing: true,
  platforms: true,
  openSource: true,
  website: true,
});
export type ToolSummary = z.infer<typeof toolSummarySchema>;

/** Filters shared by the directory API, the MCP tools and the AI search intent. */
export interface ToolFilters {
  q?: string;
  category?: ToolCategory[];
  tag?: string[];
  pricing?: PricingModel[];
  platform?: ToolPlatform[];
  openSource?: boolean;
}

/** `GET /api/tools` answer. `nextCursor` is null on the last page. */
export interface ToolPage {
  items: Tool[];
  total: number;
  nextCursor: string | null;
  /** Present when `q` matched nothing and the page is that of this query, as the directory spells it. */
  correctedQuery?: string;
}

export interface FacetCount<T extends string = string> {
  value: T;
  count: number;
}

/** `GET /api/tools/facets` answer: counts for the current filters. */
export interface ToolFacets {
  categories: FacetCount<ToolCategory>[];
  pricing: FacetCount<PricingModel>[];
  platforms: FacetCount<ToolPlatform>[];
  total: number;
}

/** One field that failed validation, as `ApiErrorBody.errors` lists it. */
export interface FieldError {
  field: string;
  message: string;
}

/** Error body every service answers with (4xx and 5xx). Never carries a stack trace. */
export interface ApiErrorBody {
  statusCode: number;
  error: string;
  code: string;
  message: string;
  requestId?: string;
  errors?: FieldError[];
}
