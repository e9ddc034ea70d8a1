import type { FastifyInstance, FastifyReply } from 'fastify';
import { logCompletionAtDebug, REQUEST_ID_HEADER, TRACEPARENT_HEADER, traceParentOf } from '@codiesvibe/shared';
import { StreamableHTTPServerTransport } from '@modelcontextprotocol/sdk/server/streamableHttp.js';
import { ErrorCode } from '@modelcontextprotocol/sdk/types.js';
import { createMcpServer } from '../mcp/mcp-server.factory.js';
import type { McpDeps } from '../mcp/mcp-deps.js';

/** The path of the MCP Streamable HTTP endpoint. */
export const MCP_PATH = '/mcp';

/** JSON-RPC's generic server error; the SDK answers refused methods with it too. */
const JSON_RPC_SERVER_ERROR = -32000;

/** Marks a body that is not JSON, so the handler can answer with JSON-RPC's own parse error. */
const UNPARSABLE_BODY = Symbol('unparsable-body');

/** Whether a JSON-RPC body is a lone `ping` request (a batch is real traffic, whatever it holds). */
function isPing(body: unknown): boolean {
  return typeof body === 'object' && body !== null && !Array.isArray(body) && (body as { method?: unknown }).method === 'ping';
}

function jsonRpcError(reply: FastifyReply, statusCode: number, code: number, message: string): FastifyReply {
  return reply
    .code(statusCode)
    .header('content-type', 'application/json')
    .send({ jsonrpc: '2.0', error: { code, message }, id: null });
}

/**
 * MCP over Streamable HTTP in stateless mode: every POST gets a fresh server and transport, and
 * the answer is plain JSON (no SSE stream). Why: the gateway balances /mcp over several replicas
 * without stickiness, so a session held in one replica's memory would break on the next request;
 * and every tool here is a read-only request/response with no server-initiated messages, so a
 * session would carry nothing. GET (the server-to-client stream) and DELETE (session end) have
 * nothing to serve and answer 405, as the specification allows.
 */
export function registerMcpRoutes(app: FastifyInstance, deps: McpDeps): void {
  void app.register((scope, _options, done) => {
    // In this scope only: a body that is not JSON must become a JSON-RPC parse error (-32700),
    // which MCP clients understand, rather than the service's generic 400.
    scope.removeContentTypeParser('application/json');
    scope.addContentTypeParser('application/json', { parseAs: 'string' }, (_request, body, parsed) => {
      try {
        parsed(null, JSON.parse(body as string) as unknown);
      } catch {
        parsed(null, UNPARSABLE_BODY);
      }
    });

    scope.post(MCP_PATH, async (request, reply) => {
      if (request.body === UNPARSABLE_BODY)
        return jsonRpcError(reply, 400, ErrorCode.ParseError, 'Parse error: the body is not valid JSON');
      // fastify-api's readiness check pings every few seconds: not traffic worth an info line.
      if (isPing(request.body)) logCompletionAtDebug(request);
      const server = createMcpServer(deps);
      const transport = new StreamableHTTPServerTransport({
        sessionIdGenerator: undefined,
        enableJsonResponse: true,
      });
      reply.raw.on('close', () => {
        void transport.close();
        void server.close();
      });
      await server.connect(transport);
      // The transport writes the response itself and Fastify must not send one too, so the ids
      // the service kit adds in onSend are set here on the raw response.
      reply.raw.setHeader(REQUEST_ID_HEADER, request.requestContext.requestId);
      reply.raw.setHeader(TRACEPARENT_HEADER, traceParentOf(request.requestContext));
      reply.hijack();
      try {
        await transport.handleRequest(request.raw, reply.raw, request.body);
      } catch (error) {
        // Hijacked: Fastify's error handler can no longer answer, so this route must.
        deps.reportUnexpected(error, 'POST /mcp');
        if (!reply.raw.headersSent) {
          reply.raw.writeHead(500, { 'content-type': 'application/json' });
          reply.raw.end(
            JSON.stringify({
              jsonrpc: '2.0',
              error: { code: ErrorCode.InternalError, message: 'Internal error (MCP_ERR_INTERNAL)' },
              id: null,
            }),
          );
        } else {
          reply.raw.destroy();
        }
      }
      return reply;
    });

    const methodNotAllowed = async (_request: unknown, reply: FastifyReply) =>
      jsonRpcError(
        reply.header('allow', 'POST'),
        405,
        JSON_RPC_SERVER_ERROR,
        'Method not allowed: this MCP server is stateless; send JSON-RPC requests with POST',
      );
    scope.get(MCP_PATH, methodNotAllowed);
    scope.delete(MCP_PATH, methodNotAllowed);
    done();
  });
}
