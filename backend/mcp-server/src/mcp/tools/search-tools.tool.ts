import {
  PRICING_MODELS,
  TOOL_CATEGORIES,
  TOOL_PLATFORMS,
  TOOL_SORTS,
  toolInputSchema,
  toolSchema,
} from '@codiesvibe/shared/domain';
import { TOOLS_API_LIMITS } from '@codiesvibe/shared/tools-api';
import type { McpServer } from '@modelcontextprotocol/sdk/server/mcp.js';
import { z } from 'zod';
import type { McpDeps } from '../mcp-deps.js';
import { runTool } from '../tool-result.js';
import { toolPageToMarkdown } from '../tool.markdown.js';

export const SEARCH_TOOLS_NAME = 'search_tools';

const { queryLength, valuesPerFilter, pageSize, cursorLength } = TOOLS_API_LIMITS;
/** Results per call unless asked: enough to choose from, small enough for a model's context. */
const DEFAULT_RESULTS = 10;

/**
 * The same filters as `GET /api/tools`, within the same limits (the shared tools-API contract):
 * OR within one filter, AND across filters.
 */
export const searchToolsInput = z.object({
  query: z
    .string()
    .trim()
    .min(1)
    .max(queryLength)
    .optional()
    .describe(
      'Free-text search over names, taglines, descriptions and tags, e.g. "test generation for python".',
    ),
  category: z
    .array(z.enum(TOOL_CATEGORIES))
    .min(1)
    .max(valuesPerFilter)
    .optional()
    .describe('Only tools in any of these categories.'),
  tag: z
    .array(toolInputSchema.shape.tags.element)
    .min(1)
    .max(valuesPerFilter)
    .optional()
    .describe('Only tools with any of these kebab-case tags, e.g. ["python", "refactoring"].'),
  pricing: z
    .array(z.enum(PRICING_MODELS))
    .min(1)
    .max(valuesPerFilter)
    .optional()
    .describe('Only tools with any of these pricing models.'),
  platform: z
    .array(z.enum(TOOL_PLATFORMS))
    .min(1)
    .max(valuesPerFilter)
    .optional()
    .describe('Only tools available on any of these platforms.'),
  openSource: z
    .boolean()
    .optional()
    .describe('true: only open-source tools; false: only closed-source tools.'),
  sort: z
    .enum(TOOL_SORTS)
    .optional()
    .describe('Result order: relevance (default with a query), name, or newest first.'),
  limit: z
    .number()
    .int()
    .min(1)
    .max(pageSize.max)
    .default(DEFAULT_RESULTS)
    .describe(`How many tools to return (1-${pageSize.max}, default ${DEFAULT_RESULTS}).`),
  cursor: z
    .string()
    .min(1)
    .max(cursorLength)
    .optional()
    .describe('The nextCursor of a previous search_tools result, to fetch the next page.'),
});

export const searchToolsOutput = z.object({
  total: z.number().int().nonnegative().describe('How many tools match in all.'),
  nextCursor: z.string().nullable().describe('Pass as cursor for the next page; null on the last page.'),
  correctedQuery: z
    .string()
    .optional()
    .describe('Present when the query matched no tool: the query as the directory spells it, whose results these are.'),
  // Full records, so a program (fastify-api's AI search) ranks a page without one get_tool per tool;
  // the text content stays a short summary per tool for a model's context.
  tools: z.array(toolSchema).describe('The full tool records of this page.'),
});

/** Registers `search_tools`: a filtered, paged search of the directory. */
export function registerSearchTools(server: McpServer, deps: McpDeps): void {
  server.registerTool(
    SEARCH_TOOLS_NAME,
    {
      title: 'Search AI developer tools',
      description:
        'Search the CodiesVibe directory of AI developer tools by free text and filters (category, tag, pricing, platform, open source). Returns a short summary per tool as text, and the full tool records as structured content.',
      inputSchema: searchToolsInput,
      outputSchema: searchToolsOutput,
      annotations: { readOnlyHint: true, idempotentHint: true, openWorldHint: false },
    },
    async (args) =>
      runTool(SEARCH_TOOLS_NAME, deps, async () => {
        const page = await deps.toolsApi.searchTools({
          ...(args.query !== undefined && { q: args.query }),
          ...(args.category && { category: args.category }),
          ...(args.tag && { tag: args.tag }),
          ...(args.pricing && { pricing: args.pricing }),
          ...(args.platform && { platform: args.platform }),
          ...(args.openSource !== undefined && { openSource: args.openSource }),
          ...(args.sort && { sort: args.sort }),
          ...(args.cursor && { cursor: args.cursor }),
          limit: args.limit,
        });
        return {
          content: [{ type: 'text', text: toolPageToMarkdown(page) }],
          structuredContent: {
            total: page.total,
            nextCursor: page.nextCursor,
            ...(page.correctedQuery !== undefined && { correctedQuery: page.correctedQuery }),
            tools: page.items,
          },
        };
      }),
  );
}
