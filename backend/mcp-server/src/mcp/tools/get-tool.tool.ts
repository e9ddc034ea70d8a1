import { toolInputSchema, toolSchema } from '@codiesvibe/shared/domain';
import type { McpServer } from '@modelcontextprotocol/sdk/server/mcp.js';
import { z } from 'zod';
import type { McpDeps } from '../mcp-deps.js';
import { runTool } from '../tool-result.js';
import { toolToMarkdown } from '../tool.markdown.js';
import { toolResourceUri } from '../resources/tool.resource.js';

export const GET_TOOL_NAME = 'get_tool';

const getToolInput = z.object({
  slug: toolInputSchema.shape.slug.describe('The tool\'s kebab-case slug, e.g. "github-copilot".'),
});

/** Registers `get_tool`: every detail of one tool by its slug. */
export function registerGetTool(server: McpServer, deps: McpDeps): void {
  server.registerTool(
    GET_TOOL_NAME,
    {
      title: 'Get one AI developer tool',
      description:
        'Full details of one tool in the CodiesVibe directory: description, categories, pricing, platforms, license, links and tags. The slug comes from search_tools results.',
      inputSchema: getToolInput,
      outputSchema: toolSchema,
      annotations: { readOnlyHint: true, idempotentHint: true, openWorldHint: false },
    },
    async ({ slug }) =>
      runTool(GET_TOOL_NAME, deps, async () => {
        const tool = await deps.toolsApi.getTool(slug);
        return {
          content: [
            { type: 'text', text: toolToMarkdown(tool) },
            {
              type: 'resource_link',
              uri: toolResourceUri(tool.slug),
              name: tool.slug,
              title: tool.name,
              mimeType: 'text/markdown',
            },
          ],
          structuredContent: { ...tool },
        };
      }),
  );
}
