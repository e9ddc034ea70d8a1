import type { ServerResponse } from 'node:http';
import { type GatewayErrorKind, gatewayErrorBody } from '../errors.js';
import type { ProxyErrorKind } from '../observability/gateway.metrics.js';
import type { Replica } from '../upstream/replica.js';
import { type ExchangeHandler, UPSTREAM_ERROR } from '../upstream/upstream-connection-pool.js';
import { copyResponseHeaders, type DefaultResponseHeaders, RESPONSE_HAS_REQUEST_ID, RESPONSE_IS_EVENT_STREAM } from './forward-headers.js';
import type { ProxyRoute } from './proxy-route.js';

/** Error codes that mean the replica could not be reached or dropped the connection. */
const CONNECTION_ERRORS = new Set<string>([
  'ECONNREFUSED',
  'ECONNRESET',
  'EPIPE',
  'EHOSTUNREACH',
  'ENETUNREACH',
  'ENOTFOUND',
  'EAI_AGAIN',
  'ETIMEDOUT',
  UPSTREAM_ERROR.socket,
  UPSTREAM_ERROR.connectTimeout,
  UPSTREAM_ERROR.closed,
]);

/** The request as the gateway forwards it: everything an attempt needs, fixed before the first. */
export interface ForwardedRequest {
  method: string;
  path: string;
  headers: Record<string, string | string[]>;
  body: Buffer | null;
  /** GET, HEAD and OPTIONS may be sent a second time to another replica; nothing else may. */
  idempotent: boolean;
  requestId: string;
  /** The request's trace and the gateway's span in it (its access line carries them). */
  traceId: string;
  spanId: string;
  /** Headers decided by the gateway's hooks (CORS, rate limit) as [name, value, ...]. */
  extraHeaders: readonly string[];
  /** The session id for affinity, when the route has it and the client sent one. */
  sessionId: string | undefined;
}

/**
 * One client request relayed to an upstream, possibly in two attempts. It is its own exchange
 * handler of the upstream pool, so the response streams from the upstream socket to the client
 * socket with no intermediate stream objects; backpressure pauses the upstream while the client
 * drains.
 */
export class ProxyExchange implements ExchangeHandler {
  private replica!: Replica;
  private attempts = 0;
  private abortUpstream: ((error?: Error) => void) | undefined;
  private resumeUpstream: (() => void) | undefined;
  /** Set when a 502/503 answer is being drained so the request can go to `retryReplica`. */
  private retryReplica: Replica | undefined;
  private statusCode = 0;
  /**
   * The last body chunk, held back until the next one arrives: a small response then leaves in
   * one `end(chunk)` together with its headers, saving a write per request. Event streams are
   * never held.
   */
  private heldChunk: Buffer | undefined;
  private eventStream = false;
  private finished = false;
  private clientGone = false;

  constructor(
    private readonly route: ProxyRoute,
    private readonly request: ForwardedRequest,
    private readonly res: ServerResponse,
    private readonly defaults: DefaultResponseHeaders,
    private readonly startedAt: number,
  ) {
    // `on`, not `once`: 'close' fires once anyway, and `once` allocates a wrapper per request.
    res.on('close', this.onClientClose);
  }

  /** Sends the request to `replica` (the first attempt, or the retry). */
  send(replica: Replica): void {
    this.replica = replica;
    this.attempts++;
    replica.outstanding++;
    replica.requests++;
    const request = this.request;
    replica.pool.dispatch(
      {
        path: request.path,
        method: request.method,
        headers: request.headers,
        body: request.body,
        headersTimeoutMs: this.route.headersTimeoutMs,
        bodyTimeoutMs: this.route.bodyTimeoutMs,
      },
      this,
    );
  }

  onConnect(abort: (error?: Error) => void): void {
    this.abortUpstream = abort;
    if (this.clientGone) abort(new Error('client closed the connection'));
  }

  onHeaders(statusCode: number, rawHeaders: string[], resume: () => void): boolean {
    if (statusCode < 200) return true;
    this.resumeUpstream = resume;
    const route = this.route;
    const now = Date.now();
    if (statusCode >= 500) {
      route.upstream.replicaFailed(this.replica, now);
      if ((statusCode === 502 || statusCode === 503) && this.canRetry()) {
        const other = route.upstream.pick(now, this.replica);
        if (other !== undefined) {
          // Drain this answer (keeping the connection reusable) and retry when it ends.
          this.retryReplica = other;
          return true;
        }
      }
    } else {
      this.replica.recordSuccess();
    }
    this.statusCode = statusCode;
    const headers: string[] = [];
    const mask = copyResponseHeaders(rawHeaders, headers, this.defaults);
    this.defaults.appendMissing(headers, mask);
    const extra = this.request.extraHeaders;
    for (let index = 0; index < extra.length; index++) headers.push(extra[index]!);
    if ((mask & RESPONSE_HAS_REQUEST_ID) === 0) headers.push('x-request-id', this.request.requestId);
    if (route.affinity !== undefined) this.rememberSession(headers);
    this.res.writeHead(statusCode, headers);
    if ((mask & RESPONSE_IS_EVENT_STREAM) !== 0) {
      this.eventStream = true;
      this.res.flushHeaders();
    }
    return true;
  }

  onData(chunk: Buffer): boolean {
    if (this.retryReplica !== undefined) return true;
    if (this.eventStream) return this.writeToClient(chunk);
    const held = this.heldChunk;
    this.heldChunk = chunk;
    return held === undefined ? true : this.writeToClient(held);
  }

  /** Writes to the client; returns false (pausing the upstream) until the client drains. */
  private writeToClient(chunk: Buffer): boolean {
    if (this.res.write(chunk)) return true;
    this.res.once('drain', this.onClientDrain);
    return false;
  }

  onComplete(): void {
    this.replica.outstanding--;
    const retryReplica = this.retryReplica;
    if (retryReplica !== undefined) {
      this.retryReplica = undefined;
      this.retry(retryReplica);
      return;
    }
    const held = this.heldChunk;
    this.heldChunk = undefined;
    if (held === undefined) this.res.end();
    else this.res.end(held);
    this.finish(this.statusCode, undefined);
  }

  onError(error: Error): void {
    this.replica.outstanding--;
    if (this.finished) return;
    if (this.clientGone) {
      this.finish(0, 'aborted');
      return;
    }
    const code = (error as NodeJS.ErrnoException).code ?? '';
    const now = Date.now();
    if (this.res.headersSent) {
      // The client already has a status line; all that is left is to cut the stream.
      this.route.upstream.replicaFailed(this.replica, now);
      this.heldChunk = undefined;
      this.res.destroy();
      this.finish(this.statusCode, code === UPSTREAM_ERROR.bodyTimeout ? 'timeout' : 'unreachable');
      return;
    }
    const retryReplica = this.retryReplica;
    this.retryReplica = undefined;
    if (code === UPSTREAM_ERROR.headersTimeout) {
      this.route.upstream.replicaFailed(this.replica, now);
      this.fail('upstreamTimeout', 'timeout');
      return;
    }
    if (CONNECTION_ERRORS.has(code) || retryReplica !== undefined) {
      if (retryReplica === undefined) this.route.upstream.replicaFailed(this.replica, now);
      const other = retryReplica ?? (this.canRetry() ? this.route.upstream.pick(now, this.replica) : undefined);
      if (other !== undefined) {
        this.retry(other);
        return;
      }
      this.fail('upstreamUnreachable', 'unreachable');
      return;
    }
    this.fail('upstreamUnreachable', 'unreachable', `the upstream failed: ${code || error.message}`);
  }

  private canRetry(): boolean {
    return this.request.idempotent && this.attempts === 1 && !this.clientGone;
  }

  private retry(replica: Replica): void {
    this.route.upstream.retries++;
    this.abortUpstream = undefined;
    this.resumeUpstream = undefined;
    this.send(replica);
  }

  private rememberSession(headers: string[]): void {
    const affinity = this.route.affinity!;
    for (let index = 0; index < headers.length; index += 2) {
      if (headers[index]!.toLowerCase() === affinity.header) {
        affinity.remember(headers[index + 1]!, this.replica);
        return;
      }
    }
    if (this.request.method === 'DELETE' && this.request.sessionId !== undefined) affinity.forget(this.request.sessionId);
  }

  private fail(kind: GatewayErrorKind, metric: ProxyErrorKind, message?: string): void {
    const status = writeGatewayError(this.res, kind, this.request.requestId, this.defaults, this.request.extraHeaders, message);
    this.finish(status, metric);
  }

  private finish(statusCode: number, error: ProxyErrorKind | undefined): void {
    if (this.finished) return;
    this.finished = true;
    const route = this.route;
    if (error !== undefined) route.stats.errors[error]++;
    // The breaker judges the upstream, so only failures that are the upstream's count.
    if (error === 'timeout' || error === 'unreachable' || statusCode === 502 || statusCode === 503 || statusCode === 504) {
      route.upstream.breaker.recordFailure(Date.now());
    } else if (error === undefined) {
      route.upstream.breaker.recordSuccess();
    }
    const seconds = (performance.now() - this.startedAt) / 1000;
    route.stats.observe(statusCode, seconds);
    route.accessLog?.record({
      requestId: this.request.requestId,
      traceId: this.request.traceId,
      spanId: this.request.spanId,
      route: route.name,
      method: this.request.method,
      url: this.request.path,
      statusCode,
      durationMs: Math.round(seconds * 10_000) / 10,
      replica: this.replica.origin,
      attempts: this.attempts,
      error,
    });
  }

  private readonly onClientDrain = (): void => {
    this.resumeUpstream?.();
  };

  private readonly onClientClose = (): void => {
    if (this.finished) return;
    this.clientGone = true;
    this.abortUpstream?.(new Error('client closed the connection'));
  };
}

/**
 * Answers a gateway error on a raw response (the proxy routes bypass Fastify's reply). Returns
 * the status code written.
 */
export function writeGatewayError(
  res: ServerResponse,
  kind: GatewayErrorKind,
  requestId: string,
  defaults: DefaultResponseHeaders,
  extraHeaders: readonly string[],
  message?: string,
  retryAfterSeconds?: number,
): number {
  const body = JSON.stringify(gatewayErrorBody(kind, requestId, message));
  const headers = ['content-type', 'application/json; charset=utf-8', 'content-length', String(Buffer.byteLength(body)), 'x-request-id', requestId, 'cache-control', 'no-store'];
  if (retryAfterSeconds !== undefined) headers.push('retry-after', String(retryAfterSeconds));
  defaults.appendMissing(headers, 0);
  for (const value of extraHeaders) headers.push(value);
  const statusCode = gatewayErrorBody(kind).statusCode;
  res.writeHead(statusCode, headers);
  res.end(body);
  return statusCode;
}
