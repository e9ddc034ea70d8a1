import { z } from 'zod';
import { toolSchema, type Tool } from '@codiesvibe/shared/domain';

// mcp-server is another deployable: what it answers is a boundary and is parsed before use.
// Unknown keys are stripped, so it may add fields without breaking us.

export const mcpSearchResultSchema = z.object({
  total: z.number(),
  nextCursor: z.string().nullable(),
  tools: z.array(z.unknown()),
});

/** A tool record from search_tools, or undefined when its shape is not a tool. */
export function parseMcpTool(value: unknown): Tool | undefined {
  const parsed = toolSchema.safeParse(value);
  return parsed.success ? parsed.data : undefined;
}
