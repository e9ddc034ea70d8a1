import { connect, type Socket } from 'node:net';
import { type DeadlineSweeper, type DeadlineWatched, upstreamDeadlines } from './deadline-sweeper.js';
import { Http1ResponseParser, type ResponseEvents } from './http1-response-parser.js';

/*
 * The gateway's keep-alive client for one replica: plain `net` sockets speaking HTTP/1.1, one
 * request at a time per connection (no pipelining). Profiling the proxy under the bench showed
 * undici's client (its wasm parser, request objects and per-request scheduling) as the largest
 * cost after Node's own HTTP server; the gateway needs a small part of it. Every request is
 * written with a Content-Length (bodies are read whole before forwarding) and responses are
 * framed by `Http1ResponseParser`.
 */

/** Error codes of the client, on `error.code`. */
export const UPSTREAM_ERROR = {
  /** The connection closed (or was reset) before the response was complete. */
  socket: 'UPSTREAM_ERR_SOCKET',
  headersTimeout: 'UPSTREAM_ERR_HEADERS_TIMEOUT',
  bodyTimeout: 'UPSTREAM_ERR_BODY_TIMEOUT',
  connectTimeout: 'UPSTREAM_ERR_CONNECT_TIMEOUT',
  /** The pool was closed with the request still waiting. */
  closed: 'UPSTREAM_ERR_CLOSED',
  /** Aborted by its handler (the client went away). */
  aborted: 'UPSTREAM_ERR_ABORTED',
} as const;

export class UpstreamError extends Error {
  constructor(
    readonly code: string,
    message: string,
  ) {
    super(message);
  }
}

/** One request as sent upstream. */
export interface UpstreamRequest {
  method: string;
  /** Path and query, as the client sent them. */
  path: string;
  headers: Record<string, string | string[]>;
  body: Buffer | null;
  /** Longest wait for the response head, from the moment the request is written. */
  headersTimeoutMs: number;
  /** Longest silence between body bytes; 0 for none (long-lived streams). */
  bodyTimeoutMs: number;
}

/**
 * Receives one exchange's events, in order: `onConnect` once the request has a connection, then
 * `onHeaders`, `onData`* and `onComplete`, or `onError` at any point (exactly one of the two).
 */
export interface ExchangeHandler {
  /** `abort` ends the exchange (the connection is dropped) and leads to `onError`. */
  onConnect(abort: (error?: Error) => void): void;
  /** The final status and headers as [name, value, ...]; `resume` restarts a paused body. */
  onHeaders(statusCode: number, headers: string[], resume: () => void): boolean;
  /** Returns false to pause reading until `resume` is called. */
  onData(chunk: Buffer): boolean;
  onComplete(): void;
  onError(error: Error): void;
}

export interface ConnectionPoolOptions {
  /** Most connections open at once; further requests wait for one to free up. */
  connections: number;
  connectTimeoutMs?: number;
  /** How long an idle connection is kept (shortened by the upstream's own `Keep-Alive: timeout`). */
  keepAliveMs?: number;
  /** Enforces the connections' timeouts; the process-wide one unless a test brings its own. */
  deadlines?: DeadlineSweeper;
}

interface QueuedExchange {
  request: UpstreamRequest;
  handler: ExchangeHandler;
}

/**
 * The keep-alive connections to one replica (`http://host:port`). Idle connections are reused
 * most recent first, so a quiet period lets the others expire.
 */
export class UpstreamConnectionPool {
  readonly host: string;
  readonly port: number;
  private readonly hostHeader: string;
  private readonly maxConnections: number;
  readonly connectTimeoutMs: number;
  readonly keepAliveMs: number;
  readonly deadlines: DeadlineSweeper;
  private readonly idle: UpstreamConnection[] = [];
  private readonly queue: QueuedExchange[] = [];
  private queueHead = 0;
  private open = 0;
  private closed = false;
  private onDrained: (() => void) | undefined;

  constructor(origin: string, options: ConnectionPoolOptions) {
    const url = new URL(origin);
    if (url.protocol !== 'http:') throw new Error(`${origin}: only http:// upstreams are supported`);
    this.host = url.hostname.startsWith('[') ? url.hostname.slice(1, -1) : url.hostname;
    this.port = Number(url.port || 80);
    this.hostHeader = url.host;
    this.maxConnections = Math.max(1, options.connections);
    this.connectTimeoutMs = options.connectTimeoutMs ?? 2_000;
    this.keepAliveMs = options.keepAliveMs ?? 30_000;
    this.deadlines = options.deadlines ?? upstreamDeadlines;
  }

  /** Connections open now (busy or idle), for tests and metrics. */
  get connectionCount(): number {
    return this.open;
  }

  /** Sends `request` on an idle connection, a new one, or after the ones in use free up. */
  dispatch(request: UpstreamRequest, handler: ExchangeHandler): void {
    if (this.closed) {
      handler.onError(new UpstreamError(UPSTREAM_ERROR.closed, 'the upstream pool is closed'));
      return;
    }
    const connection = this.idle.pop() ?? (this.open < this.maxConnections ? this.newConnection() : undefined);
    if (connection === undefined) {
      this.queue.push({ request, handler });
      return;
    }
    connection.send(request, handler);
  }

  /** Writes a request head (and body) for `connection`: one write, one system call. */
  encode(request: UpstreamRequest): { head: string; body: Buffer | null } {
    let head = `${request.method} ${request.path} HTTP/1.1\r\n`;
    let hasHost = false;
    const headers = request.headers;
    for (const name in headers) {
      const value = headers[name]!;
      // The body is re-framed here: the client's framing headers describe its connection.
      if (name === 'content-length') continue;
      if (name === 'host') hasHost = true;
      if (typeof value === 'string') head += `${name}: ${value}\r\n`;
      else for (const each of value) head += `${name}: ${each}\r\n`;
    }
    if (!hasHost) head += `host: ${this.hostHeader}\r\n`;
    const body = request.body;
    if (body !== null) head += `content-length: ${body.length}\r\n`;
    else if (request.method === 'POST' || request.method === 'PUT' || request.method === 'PATCH') head += 'content-length: 0\r\n';
    return { head: `${head}\r\n`, body };
  }

  /** Called by a connection that finished an exchange and may be reused. */
  release(connection: UpstreamConnection): void {
    const next = this.nextQueued();
    if (next !== undefined) {
      connection.send(next.request, next.handler);
      return;
    }
    if (this.closed) {
      connection.destroy();
      return;
    }
    connection.idleSince();
    this.idle.push(connection);
  }

  /** Called by a connection once its socket is gone. */
  forget(connection: UpstreamConnection): void {
    this.open--;
    const at = this.idle.indexOf(connection);
    if (at !== -1) this.idle.splice(at, 1);
    // A slot freed up: a waiting request gets a new connection.
    if (!this.closed && this.open < this.maxConnections) {
      const next = this.nextQueued();
      if (next !== undefined) this.newConnection().send(next.request, next.handler);
    }
    if (this.closed && this.open === 0) this.onDrained?.();
  }

  /** Stops taking requests, fails those still waiting, and resolves once in-flight ones finish. */
  close(): Promise<void> {
    this.closed = true;
    for (let next = this.nextQueued(); next !== undefined; next = this.nextQueued()) {
      next.handler.onError(new UpstreamError(UPSTREAM_ERROR.closed, 'the upstream pool is closed'));
    }
    for (const connection of this.idle.splice(0)) connection.destroy();
    if (this.open === 0) return Promise.resolve();
    return new Promise((resolve) => {
      this.onDrained = resolve;
    });
  }

  private nextQueued(): QueuedExchange | undefined {
    if (this.queueHead >= this.queue.length) return undefined;
    const next = this.queue[this.queueHead]!;
    this.queue[this.queueHead++] = undefined as unknown as QueuedExchange;
    if (this.queueHead === this.queue.length) {
      this.queue.length = 0;
      this.queueHead = 0;
    }
    return next;
  }

  private newConnection(): UpstreamConnection {
    this.open++;
    return new UpstreamConnection(this);
  }
}

const enum Phase {
  Connecting,
  Idle,
  AwaitingHead,
  Body,
  Closed,
}

/** One socket to the replica and the exchange it carries. */
class UpstreamConnection implements ResponseEvents, DeadlineWatched {
  private readonly socket: Socket;
  private readonly parser: Http1ResponseParser;
  private phase = Phase.Connecting;
  private handler: ExchangeHandler | undefined;
  private request: UpstreamRequest | undefined;
  /** Exchanges this connection completed: a failure on a reused connection may be a stale one. */
  private served = 0;
  private paused = false;
  /** The handler of an exchange the parser just completed, told once the parser returns. */
  private completed: ExchangeHandler | undefined;
  private forgotten = false;
  /** When the current wait ends (read by the pool's DeadlineSweeper); Infinity when nothing is awaited. */
  deadlineAt = Number.POSITIVE_INFINITY;
  /** The current wait's length: bytes from the upstream push the deadline this far again, as a socket timeout would. */
  private waitMs = 0;
  private readonly abort = (error?: Error): void => {
    if (this.handler === undefined) return;
    this.fail(error ?? new UpstreamError(UPSTREAM_ERROR.aborted, 'the exchange was aborted'));
  };
  private readonly resume = (): void => {
    if (!this.paused || this.phase !== Phase.Body) return;
    this.paused = false;
    this.waitFor(this.request!.bodyTimeoutMs);
    this.socket.resume();
  };

  constructor(private readonly pool: UpstreamConnectionPool) {
    this.parser = new Http1ResponseParser(this);
    const socket = connect({ host: pool.host, port: pool.port, noDelay: true });
    this.socket = socket;
    this.waitFor(pool.connectTimeoutMs);
    pool.deadlines.watch(this);
    socket.on('connect', () => this.onSocketConnect());
    socket.on('data', (data: Buffer) => this.onSocketData(data));
    socket.on('end', () => this.onSocketEnd());
    socket.on('error', (error: Error) => this.onSocketError(error));
    socket.on('close', () => this.onSocketClose());
  }

  /** Takes an exchange: writes it now, or once connected. */
  send(request: UpstreamRequest, handler: ExchangeHandler): void {
    this.request = request;
    this.handler = handler;
    handler.onConnect(this.abort);
    if (this.handler !== handler) return; // aborted at once
    if (this.phase === Phase.Connecting) return;
    this.write();
  }

  idleSince(): void {
    this.phase = Phase.Idle;
    this.request = undefined;
    this.handler = undefined;
    const hint = this.parser.keepAliveHintMs;
    // An upstream that announced its idle limit closes at that time: stop reusing a second early.
    const lifetime = hint > 0 ? Math.min(this.pool.keepAliveMs, Math.max(hint - 1_000, 0)) : this.pool.keepAliveMs;
    if (lifetime === 0) {
      this.destroy();
      return;
    }
    this.waitFor(lifetime);
  }

  /** Starts a wait of `ms` (0: none), as `socket.setTimeout` did, without a Node timer per call. */
  private waitFor(ms: number): void {
    this.waitMs = ms;
    this.deadlineAt = ms > 0 ? Date.now() + ms : Number.POSITIVE_INFINITY;
  }

  destroy(): void {
    this.phase = Phase.Closed;
    this.socket.destroy();
  }

  private write(): void {
    const request = this.request!;
    this.phase = Phase.AwaitingHead;
    this.parser.expect(request.method === 'HEAD');
    this.waitFor(request.headersTimeoutMs);
    const { head, body } = this.pool.encode(request);
    if (body === null || body.length === 0) {
      this.socket.write(head, 'latin1');
      return;
    }
    this.socket.cork();
    this.socket.write(head, 'latin1');
    this.socket.write(body);
    this.socket.uncork();
  }

  private onSocketConnect(): void {
    if (this.phase !== Phase.Connecting) return;
    if (this.handler === undefined) {
      // Its exchange was aborted while connecting; keep the connection for the next one.
      this.pool.release(this);
      return;
    }
    this.write();
  }

  private onSocketData(data: Buffer): void {
    if (this.phase !== Phase.AwaitingHead && this.phase !== Phase.Body) {
      // Bytes nobody asked for: the connection is in an unknown state.
      this.destroy();
      return;
    }
    // Any byte from the upstream restarts the wait (the parser's events may then start another).
    if (this.waitMs > 0 && !this.paused) this.deadlineAt = Date.now() + this.waitMs;
    let leftover: number;
    try {
      leftover = this.parser.execute(data);
    } catch (error) {
      this.fail(error as Error);
      return;
    }
    // More bytes after a complete response: the upstream answered something unasked.
    this.settle(leftover === 0);
  }

  /** After the parser returned: hands a completed exchange back, then frees the connection. */
  private settle(reusable: boolean): void {
    const handler = this.completed;
    if (handler === undefined) return;
    this.completed = undefined;
    handler.onComplete();
    if (reusable && this.parser.keepAlive && this.phase !== Phase.Closed) this.pool.release(this);
    else this.destroy();
  }

  // ResponseEvents, from the parser.
  onHead(statusCode: number, headers: string[]): void {
    const handler = this.handler;
    if (handler === undefined) return;
    this.phase = Phase.Body;
    this.waitFor(this.request!.bodyTimeoutMs);
    handler.onHeaders(statusCode, headers, this.resume);
  }

  onBody(chunk: Buffer): void {
    const handler = this.handler;
    if (handler === undefined || chunk.length === 0) return;
    if (!handler.onData(chunk) && !this.paused && this.phase === Phase.Body) {
      this.paused = true;
      // Waiting on the client is not the upstream's silence.
      this.waitFor(0);
      this.socket.pause();
    }
  }

  onEnd(): void {
    const handler = this.handler;
    if (handler === undefined) return;
    this.served++;
    this.handler = undefined;
    this.request = undefined;
    this.completed = handler;
    if (this.paused) {
      this.paused = false;
      this.socket.resume();
    }
  }

  /** The current wait ran out (called by the sweeper). */
  onDeadline(): void {
    switch (this.phase) {
      case Phase.Connecting:
        this.fail(new UpstreamError(UPSTREAM_ERROR.connectTimeout, `no connection to ${this.pool.host}:${this.pool.port} within ${this.pool.connectTimeoutMs} ms`));
        return;
      case Phase.AwaitingHead:
        this.fail(new UpstreamError(UPSTREAM_ERROR.headersTimeout, `no response head within ${this.request!.headersTimeoutMs} ms`));
        return;
      case Phase.Body:
        this.fail(new UpstreamError(UPSTREAM_ERROR.bodyTimeout, `the response body stalled for ${this.request!.bodyTimeoutMs} ms`));
        return;
      default:
        // Idle for its whole lifetime.
        this.destroy();
    }
  }

  private onSocketEnd(): void {
    if (this.handler !== undefined && this.phase === Phase.Body && this.parser.endOfStream()) {
      // A body delimited by the close.
      this.settle(false);
      return;
    }
    this.closedUnderExchange(new UpstreamError(UPSTREAM_ERROR.socket, 'the upstream closed the connection before the response was complete'));
  }

  private onSocketError(error: Error): void {
    this.closedUnderExchange(error);
  }

  private onSocketClose(): void {
    this.pool.deadlines.unwatch(this);
    this.deadlineAt = Number.POSITIVE_INFINITY;
    this.closedUnderExchange(new UpstreamError(UPSTREAM_ERROR.socket, 'the upstream connection closed before the response was complete'));
    if (!this.forgotten) {
      this.phase = Phase.Closed;
      this.forgotten = true;
      this.pool.forget(this);
    }
  }

  /**
   * The connection failed. With an exchange on it that got no byte back on a reused connection,
   * the upstream most likely closed it while idle, just as the request left: a GET, HEAD or
   * OPTIONS is sent again on a new connection, once. Anything else fails.
   */
  private closedUnderExchange(error: Error): void {
    const handler = this.handler;
    const request = this.request;
    if (handler === undefined || request === undefined) {
      this.destroy();
      return;
    }
    const stale = this.served > 0 && this.phase === Phase.AwaitingHead && !this.parser.started;
    if (stale && (request.method === 'GET' || request.method === 'HEAD' || request.method === 'OPTIONS')) {
      this.handler = undefined;
      this.request = undefined;
      this.destroy();
      this.pool.dispatch(request, handler);
      return;
    }
    this.fail(error);
  }

  private fail(error: Error): void {
    const handler = this.handler;
    this.handler = undefined;
    this.request = undefined;
    this.destroy();
    handler?.onError(error);
  }
}
