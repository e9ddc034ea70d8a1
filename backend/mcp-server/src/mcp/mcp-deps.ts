import type { ToolsApi } from '../tools-api/tools-api.client.js';
import type { ObserveToolCall, ReportUnexpected } from './tool-result.js';

/** What the MCP tools and resources are built from. */
export interface McpDeps {
  toolsApi: ToolsApi;
  reportUnexpected: ReportUnexpected;
  /** Metrics hook; absent in stdio mode, which has no /metrics. */
  observeToolCall?: ObserveToolCall;
}
