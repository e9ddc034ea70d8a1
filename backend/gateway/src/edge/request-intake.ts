import type { IncomingMessage, ServerResponse } from 'node:http';
import { type Logger, startServerSpan, traceParentOf, tracingEnabled } from '@codiesvibe/shared';
import { writeGatewayError } from '../proxy/proxy-exchange.js';
import type { AdmittedRequest, ProxyHandler } from '../proxy/proxy.handler.js';
import type { DefaultResponseHeaders } from '../proxy/forward-headers.js';
import { createGatewayContext } from '../proxy/request-context.js';
import type { ClientTrust } from './client-trust.js';
import type { createCorsPolicy } from './cors.hook.js';
import type { createRateLimitClients } from './rate-limit-client.js';
import type { Admission, RateLimiter } from './rate-limiter.js';

/** Methods whose bodies are read and relayed; a body on GET, HEAD or OPTIONS is not. */
const METHODS_WITH_BODY = new Set(['POST', 'PUT', 'PATCH', 'DELETE']);

/** The extra answer headers of a request without CORS: one shared empty list, never written to. */
const NO_EXTRA_HEADERS: readonly string[] = Object.freeze([]);

export interface IntakeOptions {
  trust: ClientTrust;
  cors: ReturnType<typeof createCorsPolicy> | undefined;
  limiter: RateLimiter;
  rateLimitClientOf: ReturnType<typeof createRateLimitClients>;
  bodyLimitBytes: number;
  logger: Logger;
  /** True once the gateway is shutting down: new requests get 503 and the connection closes. */
  isDraining: () => boolean;
}

/**
 * Everything the gateway does to a proxied request before it is forwarded, on the raw Node
 * request (the proxy routes bypass Fastify's per-request machinery): the request id and trace,
 * CORS (preflights answered here), the rate limit, and the body, read up to BODY_LIMIT_BYTES.
 * Then the route's handler forwards it.
 */
export function createRequestIntake(options: IntakeOptions) {
  const { trust, cors, limiter, rateLimitClientOf, bodyLimitBytes, logger, isDraining } = options;

  const refuse = (res: ServerResponse, admitted: AdmittedRequest, defaults: DefaultResponseHeaders, limit: number, resetMs: number): void => {
    const seconds = Math.max(1, Math.ceil(resetMs / 1000));
    const headers = [...admitted.extraHeaders, 'x-ratelimit-limit', String(limit), 'x-ratelimit-remaining', '0', 'x-ratelimit-reset', String(seconds)];
    writeGatewayError(res, 'rateLimited', admitted.requestId, defaults, headers, `Rate limit exceeded: ${limit} requests per window; retry in ${seconds} s`, seconds);
  };

  const readBodyThen = (raw: IncomingMessage, res: ServerResponse, admitted: AdmittedRequest, defaults: DefaultResponseHeaders, forward: ProxyHandler): void => {
    const declared = raw.headers['content-length'];
    if (declared === undefined && raw.headers['transfer-encoding'] === undefined) {
      forward(raw, res, admitted);
      return;
    }
    if (declared !== undefined && Number(declared) > bodyLimitBytes) {
      writeGatewayError(res, 'bodyTooLarge', admitted.requestId, defaults, admitted.extraHeaders);
      return;
    }
    const chunks: Buffer[] = [];
    let received = 0;
    const onData = (chunk: Buffer): void => {
      received += chunk.length;
      if (received <= bodyLimitBytes) {
        chunks.push(chunk);
        return;
      }
      raw.removeListener('data', onData);
      raw.removeListener('end', onEnd);
      chunks.length = 0;
      // Node discards the rest of the body once the answer is sent.
      writeGatewayError(res, 'bodyTooLarge', admitted.requestId, defaults, admitted.extraHeaders);
    };
    const onEnd = (): void => {
      admitted.body = chunks.length === 1 ? chunks[0]! : Buffer.concat(chunks, received);
      forward(raw, res, admitted);
    };
    raw.on('data', onData);
    raw.on('end', onEnd);
  };

  /** Handles one proxied request; `forward` is its route's proxy handler. */
  return function intake(raw: IncomingMessage, res: ServerResponse, defaults: DefaultResponseHeaders, forward: ProxyHandler, routeName: string): void {
    const startedAt = performance.now();
    const headers = raw.headers;
    const context = createGatewayContext(headers);
    // With tracing on, the context now carries the gateway's span: upstreams get it as parent.
    const span = tracingEnabled() ? startServerSpan(context, `${raw.method} ${routeName}`, { 'http.request.method': raw.method, 'http.route': routeName }) : undefined;
    if (span !== undefined) {
      // `on`, not `once`: 'close' fires once anyway, and `once` allocates a wrapper per request.
      res.on('close', () => {
        span.setAttribute('http.response.status_code', res.statusCode);
        span.end(!res.writableFinished ? 'client closed the connection' : res.statusCode >= 500 ? `HTTP ${res.statusCode}` : undefined);
      });
    }
    const peerAddress = raw.socket.remoteAddress ?? '';
    const peerTrusted = trust.isTrustedPeer(peerAddress);
    const admitted: AdmittedRequest = {
      startedAt,
      requestId: context.requestId,
      traceparent: traceParentOf(context),
      traceId: context.traceId,
      spanId: context.spanId,
      peerAddress,
      peerTrusted,
      clientAddress: trust.clientAddressOf(raw, peerAddress, peerTrusted),
      extraHeaders: NO_EXTRA_HEADERS,
      body: null,
    };
    try {
      if (isDraining()) {
        res.setHeader('connection', 'close');
        writeGatewayError(res, 'draining', admitted.requestId, defaults, admitted.extraHeaders, undefined, 5);
        return;
      }
      const method = raw.method!;
      if (cors !== undefined) {
        const answer = cors(headers.origin, method, headers['access-control-request-method'], headers['access-control-request-headers']);
        if (answer !== undefined) {
          if (answer.preflight) {
            const preflight = [...answer.headers, 'x-request-id', admitted.requestId, 'content-length', '0'];
            defaults.appendMissing(preflight, 0);
            res.writeHead(204, preflight);
            res.end();
            return;
          }
          admitted.extraHeaders = answer.headers;
        }
      }
      const client = rateLimitClientOf(headers, admitted.clientAddress);
      const admission = limiter.take(client.key, client.limit, Date.now());
      if (typeof admission === 'object') {
        admission.then(
          (later) => proceed(raw, res, admitted, defaults, forward, client.limit, later),
          (error: unknown) => fail(res, admitted, defaults, error),
        );
        return;
      }
      proceed(raw, res, admitted, defaults, forward, client.limit, admission);
    } catch (error) {
      fail(res, admitted, defaults, error);
    }
  };

  /** After the rate limit's answer: refuse, or read the body (if any) and forward. */
  function proceed(raw: IncomingMessage, res: ServerResponse, admitted: AdmittedRequest, defaults: DefaultResponseHeaders, forward: ProxyHandler, limit: number, admission: Admission): void {
    if (admission !== true) refuse(res, admitted, defaults, limit, admission);
    else if (METHODS_WITH_BODY.has(raw.method!)) readBodyThen(raw, res, admitted, defaults, forward);
    else forward(raw, res, admitted);
  }

  function fail(res: ServerResponse, admitted: AdmittedRequest, defaults: DefaultResponseHeaders, error: unknown): void {
    logger.error({ err: error, requestId: admitted.requestId }, 'request failed');
    if (!res.headersSent) writeGatewayError(res, 'internal', admitted.requestId, defaults, admitted.extraHeaders);
    else res.destroy();
  }
}
