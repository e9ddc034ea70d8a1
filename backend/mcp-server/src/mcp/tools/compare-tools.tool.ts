import { toolInputSchema, toolSchema } from '@codiesvibe/shared/domain';
import type { McpServer } from '@modelcontextprotocol/sdk/server/mcp.js';
import { z } from 'zod';
import { MCP_ERROR_CODES, McpServiceError } from '../../errors.js';
import type { McpDeps } from '../mcp-deps.js';
import { runTool } from '../tool-result.js';
import { comparisonToMarkdown } from '../tool.markdown.js';

export const COMPARE_TOOLS_NAME = 'compare_tools';

export const compareToolsInput = z.object({
  slugs: z
    .array(toolInputSchema.shape.slug)
    .min(2, 'compare at least 2 tools')
    .max(5, 'compare at most 5 tools')
    .refine((slugs) => new Set(slugs).size === slugs.length, 'slugs must be distinct')
    .describe('2 to 5 distinct tool slugs, e.g. ["cursor", "github-copilot"].'),
});

const compareToolsOutput = z.object({ tools: z.array(toolSchema) });

/** Registers `compare_tools`: 2-5 tools side by side as a markdown table plus the full records. */
export function registerCompareTools(server: McpServer, deps: McpDeps): void {
  server.registerTool(
    COMPARE_TOOLS_NAME,
    {
      title: 'Compare AI developer tools',
      description:
        'Compare 2 to 5 tools of the CodiesVibe directory side by side: categories, pricing, platforms, open source, tags and links, as a markdown table.',
      inputSchema: compareToolsInput,
      outputSchema: compareToolsOutput,
      annotations: { readOnlyHint: true, idempotentHint: true, openWorldHint: false },
    },
    async ({ slugs }) =>
      runTool(COMPARE_TOOLS_NAME, deps, async () => {
        const settled = await Promise.allSettled(slugs.map((slug) => deps.toolsApi.getTool(slug)));
        const missing = slugs.filter((_, index) => isNotFound(settled[index]));
        if (missing.length > 0) {
          throw new McpServiceError(
            MCP_ERROR_CODES.toolNotFound,
            `No tool with slug ${missing.map((slug) => `"${slug}"`).join(', ')} in the directory; find slugs with search_tools`,
          );
        }
        const tools = settled.map((outcome) => {
          if (outcome.status === 'rejected') throw outcome.reason;
          return outcome.value;
        });
        return {
          content: [{ type: 'text', text: comparisonToMarkdown(tools) }],
          structuredContent: { tools },
        };
      }),
  );
}

function isNotFound(outcome: PromiseSettledResult<unknown> | undefined): boolean {
  return (
    outcome?.status === 'rejected' &&
    outcome.reason instanceof McpServiceError &&
    outcome.reason.code === MCP_ERROR_CODES.toolNotFound
  );
}
