import { McpServer } from '@modelcontextprotocol/sdk/server/mcp.js';
import { AjvJsonSchemaValidator } from '@modelcontextprotocol/sdk/validation/ajv';
import { SERVICE_INFO } from '../service-info.js';
import type { McpDeps } from './mcp-deps.js';
import { registerToolResource } from './resources/tool.resource.js';
import { registerCompareTools } from './tools/compare-tools.tool.js';
import { registerGetTool } from './tools/get-tool.tool.js';
import { registerListCategories } from './tools/list-categories.tool.js';
import { registerSearchTools } from './tools/search-tools.tool.js';

const INSTRUCTIONS = [
  'CodiesVibe is a curated directory of AI developer tools (coding assistants, agents, review, testing, self-hosted models ...).',
  'Use search_tools to find tools by need and filters, get_tool for one tool in full, list_categories for the category vocabulary,',
  'and compare_tools to put 2-5 candidates side by side. Everything is read-only.',
].join(' ');

/**
 * Each server would otherwise build its own Ajv instance (the costliest part of a new server);
 * the validator holds no per-connection state, so one serves every request of the process.
 */
let sharedValidator: AjvJsonSchemaValidator | undefined;

/**
 * A fresh MCP server with the directory's tools and resources. One per transport: stateless HTTP
 * creates one per request, stdio one per process.
 */
export function createMcpServer(deps: McpDeps): McpServer {
  const server = new McpServer(
    { name: SERVICE_INFO.name, title: SERVICE_INFO.title, version: SERVICE_INFO.version },
    {
      instructions: INSTRUCTIONS,
      capabilities: { tools: {}, resources: {} },
      jsonSchemaValidator: (sharedValidator ??= new AjvJsonSchemaValidator()),
    },
  );
  registerSearchTools(server, deps);
  registerGetTool(server, deps);
  registerListCategories(server, deps);
  registerCompareTools(server, deps);
  registerToolResource(server, deps);
  return server;
}
