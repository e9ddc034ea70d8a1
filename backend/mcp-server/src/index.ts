export { buildApp, SERVICE_NAME, type AppDeps } from './app.js';
export { createMcpServer } from './mcp/mcp-server.factory.js';
export type { McpDeps } from './mcp/mcp-deps.js';
export { ToolsApiClient, type ToolsApi, type ToolSearchQuery } from './tools-api/tools-api.client.js';
export { MCP_ERROR_CODES, McpServiceError, type McpErrorCode } from './errors.js';
