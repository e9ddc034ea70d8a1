import type { FastifyReply, FastifyRequest } from 'fastify';
import type { AiSearchStreamEvent } from '@codiesvibe/shared/domain';
import { REQUEST_ID_HEADER, TRACEPARENT_HEADER, traceParentOf } from '@codiesvibe/shared';

/**
 * Takes the response over from Fastify for server-sent events. A hijacked reply skips Fastify's
 * onSend hooks, so the request id and trace headers the service plugin adds there are set here.
 */
export function openEventStream(request: FastifyRequest, reply: FastifyReply): void {
  reply.hijack();
  const headers: Record<string, string | number | string[]> = {};
  for (const [name, value] of Object.entries(reply.getHeaders()))
    if (value !== undefined) headers[name] = value;
  reply.raw.writeHead(200, {
    ...headers,
    [REQUEST_ID_HEADER]: request.requestContext.requestId,
    [TRACEPARENT_HEADER]: traceParentOf(request.requestContext),
    'content-type': 'text/event-stream; charset=utf-8',
    'cache-control': 'no-cache, no-transform',
    // Tells nginx not to buffer the stream, so chunks reach the browser as they are written.
    'x-accel-buffering': 'no',
    connection: 'keep-alive',
  });
}

/** Writes one event in the SSE wire format; `data` is one line of JSON. */
export function writeEvent(reply: FastifyReply, event: AiSearchStreamEvent): void {
  reply.raw.write(`event: ${event.event}\ndata: ${JSON.stringify(event.data)}\n\n`);
}
