import { withSpan } from '@codiesvibe/shared';
import type { CallToolResult } from '@modelcontextprotocol/sdk/types.js';
import { MCP_ERROR_CODES, McpServiceError } from '../errors.js';
import type { McpDeps, ReportUnexpected } from './mcp-deps.js';

/**
 * Turns a failure into a tool error result (`isError: true`): the client and its model see one
 * line they can act on, and the connection stays up. Expected failures (nestjs-api down, unknown
 * slug) keep their message and code; anything else is reported and answered with a generic line.
 */
export function toolErrorResult(
  error: unknown,
  toolName: string,
  reportUnexpected: ReportUnexpected,
): CallToolResult {
  let text: string;
  if (error instanceof McpServiceError) {
    text = error.toUserMessage();
  } else {
    reportUnexpected(error, `tool ${toolName}`);
    text = `${toolName} failed unexpectedly; the error was logged (${MCP_ERROR_CODES.internal})`;
  }
  return { isError: true, content: [{ type: 'text', text }] };
}

/**
 * Runs a tool's work: failures become tool error results, and every call is observed (metrics,
 * and a `tools/call <tool>` span when tracing is on: /mcp is one HTTP route, the span says which tool).
 */
export function runTool(
  toolName: string,
  deps: McpDeps,
  work: () => Promise<CallToolResult>,
): Promise<CallToolResult> {
  return withSpan(`tools/call ${toolName}`, { 'mcp.method.name': 'tools/call', 'gen_ai.tool.name': toolName }, async () => {
    const started = performance.now();
    let result: CallToolResult;
    try {
      result = await work();
    } catch (error) {
      result = toolErrorResult(error, toolName, deps.reportUnexpected);
    }
    deps.observeToolCall?.(toolName, result.isError ? 'error' : 'ok', performance.now() - started);
    return result;
  });
}
