/**
 * Every error this service can report, with a stable code. Messages are one line, say what went
 * wrong and what to do, and never carry a stack trace.
 */
export const MCP_ERROR_CODES = {
  /** An environment variable or CLI argument is invalid. */
  configInvalid: 'MCP_ERR_CONFIG_INVALID',
  /** nestjs-api refused the connection or the network failed. */
  toolsApiUnreachable: 'MCP_ERR_TOOLS_API_UNREACHABLE',
  /** nestjs-api did not answer within the client timeout. */
  toolsApiTimeout: 'MCP_ERR_TOOLS_API_TIMEOUT',
  /** nestjs-api answered with a status or body outside its contract. */
  toolsApiBadResponse: 'MCP_ERR_TOOLS_API_BAD_RESPONSE',
  /** nestjs-api rejected the query (400): the filters are invalid for the directory. */
  toolsApiRejected: 'MCP_ERR_TOOLS_API_REJECTED',
  /** No tool has the requested slug. */
  toolNotFound: 'MCP_ERR_TOOL_NOT_FOUND',
  /** A bug: logged with its stack, reported to the client only by this code. */
  internal: 'MCP_ERR_INTERNAL',
} as const;

export type McpErrorCode = (typeof MCP_ERROR_CODES)[keyof typeof MCP_ERROR_CODES];

/** A failure that is expected in operation (dependency down, unknown slug), reported without a stack. */
export class McpServiceError extends Error {
  override readonly name = 'McpServiceError';

  constructor(
    readonly code: McpErrorCode,
    message: string,
    options?: { cause?: unknown },
  ) {
    super(message, options);
  }

  /** The one line shown to MCP clients and written to logs. */
  toUserMessage(): string {
    return `${this.message} (${this.code})`;
  }
}
