import type { Tool } from '@codiesvibe/shared/domain';
import { toolInputSchema } from '@codiesvibe/shared/domain';
import { type McpServer, ResourceTemplate } from '@modelcontextprotocol/sdk/server/mcp.js';
import { ErrorCode, McpError } from '@modelcontextprotocol/sdk/types.js';
import { MCP_ERROR_CODES, McpServiceError } from '../../errors.js';
import type { ToolsApi } from '../../tools-api/tools-api.client.js';
import type { McpDeps } from '../mcp-deps.js';
import { toolToMarkdown } from '../tool.markdown.js';

export const TOOL_RESOURCE_TEMPLATE = 'tool://{slug}';

/** The MCP spec's JSON-RPC code for "resource not found" (the SDK has no constant for it). */
export const RESOURCE_NOT_FOUND = -32002;

/** Page size and page cap when listing every tool: the directory is curated, so hundreds at most. */
const LIST_PAGE_SIZE = 100;
const LIST_MAX_PAGES = 20;

/** `tool://<slug>`: the URI of one tool's resource. */
export function toolResourceUri(slug: string): string {
  return `tool://${slug}`;
}

/** Every tool of the directory, following nextCursor up to the page cap. */
async function listAllTools(toolsApi: ToolsApi): Promise<Tool[]> {
  const tools: Tool[] = [];
  let cursor: string | undefined;
  for (let page = 0; page < LIST_MAX_PAGES; page += 1) {
    const result = await toolsApi.searchTools({
      sort: 'name',
      limit: LIST_PAGE_SIZE,
      ...(cursor && { cursor }),
    });
    tools.push(...result.items);
    if (!result.nextCursor) break;
    cursor = result.nextCursor;
  }
  return tools;
}

/** Resource handlers answer with JSON-RPC errors: there is no `isError` result for reads. */
function toMcpError(error: unknown, reportUnexpected: McpDeps['reportUnexpected']): McpError {
  if (error instanceof McpError) return error;
  if (error instanceof McpServiceError) {
    const code = error.code === MCP_ERROR_CODES.toolNotFound ? RESOURCE_NOT_FOUND : ErrorCode.InternalError;
    return new McpError(code, error.toUserMessage(), { code: error.code });
  }
  reportUnexpected(error, 'resource tool://{slug}');
  return new McpError(
    ErrorCode.InternalError,
    `Reading the tool failed unexpectedly; the error was logged (${MCP_ERROR_CODES.internal})`,
  );
}

/** Registers the `tool://{slug}` resource template: one tool as markdown and as JSON. */
export function registerToolResource(server: McpServer, deps: McpDeps): void {
  const template = new ResourceTemplate(TOOL_RESOURCE_TEMPLATE, {
    list: async () => {
      try {
        const tools = await listAllTools(deps.toolsApi);
        return {
          resources: tools.map((tool) => ({
            uri: toolResourceUri(tool.slug),
            name: tool.slug,
            title: tool.name,
            description: tool.tagline,
            mimeType: 'text/markdown',
          })),
        };
      } catch (error) {
        throw toMcpError(error, deps.reportUnexpected);
      }
    },
    complete: {
      slug: async (value) => {
        try {
          const tools = await listAllTools(deps.toolsApi);
          return tools.map((tool) => tool.slug).filter((slug) => slug.startsWith(value));
        } catch {
          // Completion is a convenience: with nestjs-api down there is simply nothing to suggest.
          return [];
        }
      },
    },
  });

  server.registerResource(
    'tool',
    template,
    {
      title: 'AI developer tool',
      description: 'One tool of the CodiesVibe directory by slug, as markdown and as JSON.',
      mimeType: 'text/markdown',
    },
    async (uri, variables) => {
      const raw = variables.slug;
      const parsed = toolInputSchema.shape.slug.safeParse(Array.isArray(raw) ? raw.join(',') : raw);
      if (!parsed.success) {
        throw new McpError(
          ErrorCode.InvalidParams,
          `Invalid slug in ${uri.href}: ${parsed.error.issues[0]?.message ?? 'invalid'}`,
        );
      }
      try {
        const tool = await deps.toolsApi.getTool(parsed.data);
        return {
          contents: [
            { uri: uri.href, mimeType: 'text/markdown', text: toolToMarkdown(tool) },
            { uri: uri.href, mimeType: 'application/json', text: JSON.stringify(tool, null, 2) },
          ],
        };
      } catch (error) {
        throw toMcpError(error, deps.reportUnexpected);
      }
    },
  );
}
