import { destination as pinoDestination } from 'pino';

/** Where access lines go: anything with a synchronous `write(text)` (pino's destinations). */
export interface LineSink {
  write(text: string): unknown;
}

/** One proxied request as the access log records it. */
export interface AccessEntry {
  requestId: string;
  route: string;
  method: string;
  url: string;
  statusCode: number;
  durationMs: number;
  replica: string;
  attempts: number;
  error: string | undefined;
}

export interface AccessLogOptions {
  service: string;
  env: string;
  instanceId: string;
  /** stdout (synchronous, as the service logger) unless told. */
  sink?: LineSink;
  /** Longest time a line waits in the buffer. */
  flushMs?: number;
  /** Buffered bytes that trigger a write at once. */
  maxBufferBytes?: number;
}

/**
 * The gateway's access log: one JSON line per proxied request, in the service logger's format
 * (`level`, `time`, `service`, `env`, `instanceId`, then the request's fields and
 * `msg: "request proxied"`), so log pipelines read both alike.
 *
 * Two things make it cheap enough to leave on in production. Lines are written by hand (every
 * field's type is known; only the URL, which the client chose, needs JSON escaping) instead of
 * through pino's serializers, redaction and mixin. And they are written in batches: a write when
 * 16 KiB are buffered or 50 ms have passed, so under load one system call carries a hundred lines
 * instead of one each. The buffer is written out on close and at process exit.
 */
export class AccessLog {
  private readonly prefix: string;
  private readonly sink: LineSink;
  private readonly flushMs: number;
  private readonly maxBufferBytes: number;
  private buffer = '';
  private timer: NodeJS.Timeout | undefined;
  private readonly flushAtExit = (): void => this.flush();

  constructor(options: AccessLogOptions) {
    this.prefix = `,"service":${JSON.stringify(options.service)},"env":${JSON.stringify(options.env)},"instanceId":${JSON.stringify(options.instanceId)},"requestId":"`;
    this.sink = options.sink ?? pinoDestination({ dest: 1, sync: true });
    this.flushMs = options.flushMs ?? 50;
    this.maxBufferBytes = options.maxBufferBytes ?? 16_384;
    process.on('exit', this.flushAtExit);
  }

  record(entry: AccessEntry): void {
    // Request ids are either ours (hex) or a client's that passed the safe-id check (no quotes,
    // backslashes or control characters), so they need no escaping; route, method and replica
    // are the gateway's own words.
    this.buffer += `{"level":"info","time":"${new Date().toISOString()}"${this.prefix}${entry.requestId}","route":"${entry.route}","method":"${entry.method}","url":${JSON.stringify(entry.url)},"statusCode":${entry.statusCode},"durationMs":${entry.durationMs},"replica":"${entry.replica}","attempts":${entry.attempts}${entry.error === undefined ? '' : `,"error":"${entry.error}"`},"msg":"request proxied"}\n`;
    if (this.buffer.length >= this.maxBufferBytes) this.flush();
    else if (this.timer === undefined) {
      this.timer = setTimeout(() => this.flush(), this.flushMs);
      this.timer.unref();
    }
  }

  /** Writes out every buffered line now. */
  flush(): void {
    if (this.timer !== undefined) {
      clearTimeout(this.timer);
      this.timer = undefined;
    }
    if (this.buffer.length === 0) return;
    const text = this.buffer;
    this.buffer = '';
    this.sink.write(text);
  }

  /** Flushes and stops listening for process exit. */
  close(): void {
    this.flush();
    process.removeListener('exit', this.flushAtExit);
  }
}
