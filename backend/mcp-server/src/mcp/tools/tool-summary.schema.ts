import type { Tool, ToolSummary } from '@codiesvibe/shared/domain';

export { toolSummarySchema, type ToolSummary } from '@codiesvibe/shared/domain';

/** Projects a tool onto its summary, dropping the long description and timestamps. */
export function summarizeTool(tool: Tool): ToolSummary {
  const { slug, name, tagline, categories, pricing, platforms, openSource, website } = tool;
  return { slug, name, tagline, categories, pricing, platforms, openSource, website };
}
