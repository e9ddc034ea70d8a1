import { activeLogLineExporter, type EmittedLog } from '@codiesvibe/shared';
import { destination as pinoDestination } from 'pino';

/** Where access lines go: anything with a synchronous `write(text)` (pino's destinations). */
export interface LineSink {
  write(text: string): unknown;
}

/** One proxied request as the access log records it. */
export interface AccessEntry {
  requestId: string;
  /** The request's trace, and the gateway's span in it: the `trace_id` and `span_id` of the line. */
  traceId: string;
  spanId: string;
  route: string;
  method: string;
  url: string;
  statusCode: number;
  durationMs: number;
  replica: string;
  attempts: number;
  error: string | undefined;
}

/**
 * Whether JSON.stringify would escape anything in `text`: quotes, backslashes, control characters
 * or surrogates (Node's parser hands URLs over as latin1, so these are rare).
 */
function needsJsonEscape(text: string): boolean {
  for (let index = 0; index < text.length; index++) {
    const code = text.charCodeAt(index);
    if (code < 0x20 || code === 0x22 || code === 0x5c || (code >= 0xd800 && code <= 0xdfff)) return true;
  }
  return false;
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
 * The fields of one access line as the line names them (`trace_id`, `span_id` beside `traceId`,
 * as the service logger's mixin writes them): what its OTLP record is encoded from.
 */
type AccessFields = Omit<AccessEntry, 'spanId'> & { trace_id: string; span_id: string };

const NO_SERIALIZERS: Record<string, unknown> = {};

/**
 * The gateway's access log: one JSON line per proxied request, in the service logger's format
 * (`level`, `time`, `service`, `env`, `instanceId`, then `requestId`, `traceId`, `trace_id` and
 * `span_id` as the logger's request mixin writes them, the request's fields and
 * `msg: "request proxied"`), so log pipelines read both alike. With tracing on, each line also
 * goes to the collector as an OTLP log record, as the service logger's lines do: the access log
 * reaches Loki with no log shipper, and each line links to the gateway's span.
 *
 * Two things make it cheap enough to leave on in production. Lines are written by hand (every
 * field's type is known; only the URL, which the client chose, needs JSON escaping) instead of
 * through pino's serializers, redaction and mixin. And they are written in batches: a write when
 * 16 KiB are buffered or 50 ms have passed, so under load one system call carries a hundred lines
 * instead of one each. The buffer is written out on close and at process exit.
 */
export class AccessLog {
  private readonly prefix: string;
  /** `,"service":...,"env":...,"instanceId":...`: the line's part a logger's bindings would be. */
  private readonly bindings: string;
  private readonly sink: LineSink;
  private readonly flushMs: number;
  private readonly maxBufferBytes: number;
  private buffer = '';
  private timer: NodeJS.Timeout | undefined;
  /** The ISO time up to the seconds (`2026-12-04T18:45:02.`) of `second`, rebuilt once a second. */
  private second = -1;
  private secondText = '';
  private readonly flushAtExit = (): void => this.flush();

  constructor(options: AccessLogOptions) {
    this.bindings = `,"service":${JSON.stringify(options.service)},"env":${JSON.stringify(options.env)},"instanceId":${JSON.stringify(options.instanceId)}`;
    this.prefix = `${this.bindings},"requestId":"`;
    this.sink = options.sink ?? pinoDestination({ dest: 1, sync: true });
    this.flushMs = options.flushMs ?? 50;
    this.maxBufferBytes = options.maxBufferBytes ?? 16_384;
    process.on('exit', this.flushAtExit);
  }

  record(entry: AccessEntry): void {
    // Request ids are either ours (hex) or a client's that passed the safe-id check (no quotes,
    // backslashes or control characters), so they need no escaping; route, method and replica
    // are the gateway's own words. The URL is the client's: escaped when it needs it (rarely).
    // Trace and span ids are hex digits: no escaping either.
    const url = needsJsonEscape(entry.url) ? JSON.stringify(entry.url) : `"${entry.url}"`;
    const time = this.isoTime(Date.now());
    const line = `{"level":"info","time":"${time}"${this.prefix}${entry.requestId}","traceId":"${entry.traceId}","trace_id":"${entry.traceId}","span_id":"${entry.spanId}","route":"${entry.route}","method":"${entry.method}","url":${url},"statusCode":${entry.statusCode},"durationMs":${entry.durationMs},"replica":"${entry.replica}","attempts":${entry.attempts}${entry.error === undefined ? '' : `,"error":"${entry.error}"`},"msg":"request proxied"}\n`;
    this.buffer += line;
    const exportLine = activeLogLineExporter();
    if (exportLine !== undefined) exportLine(line, this.emittedOf(entry, time));
    if (this.buffer.length >= this.maxBufferBytes) this.flush();
    else if (this.timer === undefined) {
      this.timer = setTimeout(() => this.flush(), this.flushMs);
      this.timer.unref();
    }
  }

  /**
   * What the line was written from, for the log exporter to encode without parsing the line back:
   * the same fields in the same order, the time as JSON text and the service fields as bindings.
   */
  private emittedOf(entry: AccessEntry, time: string): EmittedLog {
    const fields: AccessFields = {
      requestId: entry.requestId,
      traceId: entry.traceId,
      trace_id: entry.traceId,
      span_id: entry.spanId,
      route: entry.route,
      method: entry.method,
      url: entry.url,
      statusCode: entry.statusCode,
      durationMs: entry.durationMs,
      replica: entry.replica,
      attempts: entry.attempts,
      error: entry.error,
    };
    return { fields, message: 'request proxied', level: 'info', time: `"${time}"`, bindings: this.bindings, serializers: NO_SERIALIZERS };
  }

  /**
   * `new Date(now).toISOString()`, with the part up to the seconds built once a second: a Date
   * and its formatting per line was the access log's largest cost under load.
   */
  private isoTime(now: number): string {
    const second = Math.floor(now / 1000);
    if (second !== this.second) {
      this.second = second;
      this.secondText = new Date(second * 1000).toISOString().slice(0, 20);
    }
    const millis = now - second * 1000;
    return `${this.secondText}${millis < 10 ? '00' : millis < 100 ? '0' : ''}${millis}Z`;
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
