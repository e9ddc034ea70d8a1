import type { FastifyReply, FastifyRequest } from 'fastify';
import type { DefaultResponseHeaders } from './forward-headers.js';
import { buildUpstreamHeaders } from './forward-headers.js';
import { ProxyExchange, writeGatewayError } from './proxy-exchange.js';
import type { ProxyRoute } from './proxy-route.js';

function idempotent(method: string): boolean {
  return method === 'GET' || method === 'HEAD' || method === 'OPTIONS';
}

/** Headers set on the reply by earlier hooks (CORS, rate limit), flattened for `writeHead`. */
function replyHeaderPairs(reply: FastifyReply): string[] {
  const pairs: string[] = [];
  const headers = reply.getHeaders();
  for (const name in headers) {
    const value = headers[name];
    if (value === undefined) continue;
    pairs.push(name, Array.isArray(value) ? value.join(', ') : String(value));
  }
  return pairs;
}

export interface ProxyHandlerOptions {
  defaults: DefaultResponseHeaders;
  isTrustedPeer: (address: string) => boolean;
  /** The `traceparent` sent upstream: the request's trace with the gateway's span as parent. */
  traceparentOf: (request: FastifyRequest) => string;
}

/**
 * The Fastify handler of one route: checks the breaker, picks a replica, and hands the raw
 * request and response to a ProxyExchange. Fastify's reply is hijacked so the response is
 * written once, straight from the upstream's bytes.
 */
export function createProxyHandler(route: ProxyRoute, options: ProxyHandlerOptions) {
  const { defaults, isTrustedPeer, traceparentOf } = options;
  const upstream = route.upstream;
  const affinity = route.affinity;
  return function proxyHandler(request: FastifyRequest, reply: FastifyReply): void {
    const startedAt = performance.now();
    const now = Date.now();
    const raw = request.raw;
    const requestId = request.id;
    const extraHeaders = replyHeaderPairs(reply);
    void reply.hijack();
    const res = reply.raw;

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

    const peerAddress = raw.socket.remoteAddress ?? '';
    const headers = buildUpstreamHeaders(raw.headers, {
      peerAddress,
      peerTrusted: isTrustedPeer(peerAddress),
      clientAddress: request.ip,
      requestId,
      traceparent: traceparentOf(request),
    });
    const body = Buffer.isBuffer(request.body) ? request.body : null;
    const method = request.method;
    const exchange = new ProxyExchange(
      route,
      { method, path: raw.url ?? '/', headers, body, idempotent: idempotent(method), requestId, extraHeaders, sessionId },
      res,
      defaults,
      startedAt,
    );
    exchange.send(replica);
  };
}
