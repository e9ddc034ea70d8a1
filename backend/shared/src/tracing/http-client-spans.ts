import { subscribe, unsubscribe } from 'node:diagnostics_channel';
import { formatTraceParent } from '../context/trace-context.js';
import { TRACEPARENT_HEADER, getRequestContext } from '../context/request-context.js';
import { startChildSpan } from './spans.js';
import type { SpanHandle } from './span-recorder.js';

/*
 * Client spans for every outgoing HTTP call made with undici or the global fetch (Node's fetch is
 * undici, and both publish on the same process-wide diagnostics channels). The request's
 * `traceparent` is set to the client span, so the callee's server span is its child. Calls made
 * outside a request (health polls, background refreshes) are not traced.
 */

interface UndiciRequest {
  method: string;
  origin?: string | URL;
  path: string;
  headers: string[] | string;
}

const spans = new WeakMap<object, SpanHandle>();

/** undici 6+ keeps headers as [name, value, ...]; older ones as one CRLF string. */
function setTraceParent(request: UndiciRequest, value: string): void {
  if (Array.isArray(request.headers)) {
    for (let index = 0; index < request.headers.length; index += 2) {
      if (request.headers[index]?.toLowerCase() === TRACEPARENT_HEADER) {
        request.headers[index + 1] = value;
        return;
      }
    }
    request.headers.push(TRACEPARENT_HEADER, value);
    return;
  }
  const without = request.headers.replace(/^traceparent:.*\r\n/im, '');
  request.headers = `${without}${TRACEPARENT_HEADER}: ${value}\r\n`;
}

function onCreate(message: unknown): void {
  // Most calls outside a traced request (the gateway's proxying, health polls) stop here, before
  // any attribute is built.
  const context = getRequestContext();
  if (!context?.traced) return;
  const { request } = message as { request: UndiciRequest };
  const query = request.path.indexOf('?');
  const span = startChildSpan(
    request.method,
    'client',
    {
      'http.request.method': request.method,
      'server.address': String(request.origin ?? ''),
      'url.path': query === -1 ? request.path : request.path.slice(0, query),
    },
    context,
  );
  if (!span) return;
  spans.set(request, span);
  setTraceParent(request, formatTraceParent(span.traceId, span.spanId, span.traceFlags));
}

function onHeaders(message: unknown): void {
  const { request, response } = message as { request: object; response: { statusCode: number } };
  spans.get(request)?.setAttribute('http.response.status_code', response.statusCode);
}

function onTrailers(message: unknown): void {
  const { request } = message as { request: object };
  spans.get(request)?.end();
  spans.delete(request);
}

function onError(message: unknown): void {
  const { request, error } = message as { request: object; error: unknown };
  spans.get(request)?.end(error);
  spans.delete(request);
}

const CHANNELS: [string, (message: unknown) => void][] = [
  ['undici:request:create', onCreate],
  ['undici:request:headers', onHeaders],
  ['undici:request:trailers', onTrailers],
  ['undici:request:error', onError],
];

/** Starts tracing outgoing HTTP calls; returns the function that stops it. */
export function traceHttpClients(): () => void {
  for (const [name, listener] of CHANNELS) subscribe(name, listener);
  return () => {
    for (const [name, listener] of CHANNELS) unsubscribe(name, listener);
  };
}
