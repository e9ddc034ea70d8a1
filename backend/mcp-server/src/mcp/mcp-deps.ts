import type { ToolsApi } from '../tools-api/tools-api.client.js';

/** Where MCP handlers report failures that are bugs rather than expected conditions. */
export type ReportUnexpected = (error: unknown, context: string) => void;

/** How a tool call ended: a result, or a tool error result (`isError`). */
export type ToolCallOutcome = 'ok' | 'error';

/** Records one finished tool call (metrics). */
export type ObserveToolCall = (tool: string, outcome: ToolCallOutcome, durationMs: number) => void;

/** What the MCP tools and resources are built from. */
export interface McpDeps {
  toolsApi: ToolsApi;
  reportUnexpected: ReportUnexpected;
  /** Metrics hook; absent in stdio mode, which has no /metrics. */
  observeToolCall?: ObserveToolCall;
}
