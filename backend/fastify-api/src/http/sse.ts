import type { FastifyReply } from 'fastify';
import type { AiSearchStreamEvent } from '@codiesvibe/shared/domain';

/**
 * Takes the response over from Fastify for server-sent events, keeping the headers the service
 * plugin already set (request id, trace context).
 */
export function openEventStream(reply: FastifyReply): void {
  reply.hijack();
  const headers: Record<string, string | number | string[]> = {};
  for (const [name, value] of Object.entries(reply.getHeaders())) if (value !== undefined) headers[name] = value;
  reply.raw.writeHead(200, {
    ...headers,
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
