import type { Tool } from '@codiesvibe/shared/domain';
import type { z } from 'zod';
import { toolSchema } from '../../tools-api/tools-api.schema.js';

/** The fields of a tool a search result needs: enough to choose, small enough for a model's context. */
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

/** Projects a tool onto its summary, dropping the long description and timestamps. */
export function summarizeTool(tool: Tool): ToolSummary {
  const { slug, name, tagline, categories, pricing, platforms, openSource, website } = tool;
  return { slug, name, tagline, categories, pricing, platforms, openSource, website };
}
