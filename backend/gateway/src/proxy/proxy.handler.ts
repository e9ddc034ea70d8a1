import type { IncomingMessage, ServerResponse } from 'node:http';
import type { DefaultResponseHeaders } from './forward-headers.js';
import { buildUpstreamHeaders } from './forward-headers.js';
import { ProxyExchange, writeGatewayError } from './proxy-exchange.js';
import type { ProxyRoute } from './proxy-route.js';

/** What the gateway's intake learned about a request before it is forwarded. */
export interface AdmittedRequest {
  startedAt: number;
  requestId: string;
  /** The `traceparent` sent upstream: the request's trace with the gateway's span as parent. */
  traceparent: string;
  /** The request's trace and the gateway's span in it, for its access line. */
  traceId: string;
  spanId: string;
  peerAddress: string;
  peerTrusted: boolean;
  clientAddress: string;
  /** Headers decided before forwarding (CORS) as [name, value, ...], added to the answer. */
  extraHeaders: readonly string[];
  body: Buffer | null;
}

export type ProxyHandler = (raw: IncomingMessage, res: ServerResponse, admitted: AdmittedRequest) => void;

function idempotent(method: string): boolean {
  return method === 'GET' || method === 'HEAD' || method === 'OPTIONS';
}

/**
 * The handler of one route: checks the breaker, picks a replica, and hands the raw request and
 * response to a ProxyExchange, which writes the response once, straight from the upstream's bytes.
 */
export function createProxyHandler(route: ProxyRoute, defaults: DefaultResponseHeaders): ProxyHandler {
  const upstream = route.upstream;
  const affinity = route.affinity;
  return function proxyHandler(raw, res, admitted): void {
    const now = Date.now();
    const { requestId, extraHeaders, startedAt } = admitted;
    if (!upstream.breaker.allowRequest(now)) {
      const status = writeGatewayError(res, 'circuitOpen', requestId, defaults, extraHeaders, undefined, upstream.breaker.retryAfterSeconds(now));
      route.stats.errors.circuit_open++;
      route.stats.observe(status, (performance.now() - startedAt) / 1000);
      return;
    }
    const sessionHeader = affinity !== undefined ? raw.headers[affinity.header] : undefined;
    const sessionId = typeof sessionHeader === 'string' ? sessionHeader : undefined;
    const replica = (sessionId !== undefined ? affinity!.replicaFor(sessionId, upstream, now) : undefined) ?? upstream.pick(now);
    if (replica === undefined) {
      // Counts against the breaker too, so a half-open probe that found no replica reopens it.
      upstream.breaker.recordFailure(now);
      const status = writeGatewayError(res, 'noHealthyReplica', requestId, defaults, extraHeaders, undefined, 1);
      route.stats.errors.no_replica++;
      route.stats.observe(status, (performance.now() - startedAt) / 1000);
      return;
    }
    const headers = buildUpstreamHeaders(raw.headers, admitted);
    const method = raw.method!;
    const exchange = new ProxyExchange(
      route,
      { method, path: raw.url ?? '/', headers, body: admitted.body, idempotent: idempotent(method), requestId, traceId: admitted.traceId, spanId: admitted.spanId, extraHeaders, sessionId },
      res,
      defaults,
      startedAt,
    );
    exchange.send(replica);
  };
}
