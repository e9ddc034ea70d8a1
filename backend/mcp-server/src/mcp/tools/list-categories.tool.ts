import { TOOL_CATEGORIES } from '@codiesvibe/shared/domain';
import type { McpServer } from '@modelcontextprotocol/sdk/server/mcp.js';
import { z } from 'zod';
import type { McpDeps } from '../mcp-deps.js';
import { runTool } from '../tool-result.js';
import { categoriesToMarkdown } from '../tool.markdown.js';

export const LIST_CATEGORIES_NAME = 'list_categories';

const listCategoriesOutput = z.object({
  total: z.number().int().nonnegative().describe('How many tools the directory holds.'),
  categories: z.array(z.object({ value: z.enum(TOOL_CATEGORIES), count: z.number().int().nonnegative() })),
});

/** Registers `list_categories`: the category vocabulary with the number of tools in each. */
export function registerListCategories(server: McpServer, deps: McpDeps): void {
  server.registerTool(
    LIST_CATEGORIES_NAME,
    {
      title: 'List tool categories',
      description:
        'The categories of the CodiesVibe directory with how many tools each holds. Use the values as the category filter of search_tools.',
      outputSchema: listCategoriesOutput,
      annotations: { readOnlyHint: true, idempotentHint: true, openWorldHint: false },
    },
    async () =>
      runTool(LIST_CATEGORIES_NAME, deps, async () => {
        const facets = await deps.toolsApi.getFacets();
        // Every category appears, in display order, even when the facets omit empty ones.
        const counts = new Map(facets.categories.map(({ value, count }) => [value, count]));
        const categories = TOOL_CATEGORIES.map((value) => ({ value, count: counts.get(value) ?? 0 }));
        return {
          content: [{ type: 'text', text: categoriesToMarkdown({ ...facets, categories }) }],
          structuredContent: { total: facets.total, categories },
        };
      }),
  );
}
