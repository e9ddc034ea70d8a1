import { Agent as HttpAgent, request as httpRequest, type IncomingMessage } from 'node:http';
import { Agent as HttpsAgent, request as httpsRequest } from 'node:https';
import { OtlpBody, type OtlpOrigin, type ProtobufWriter } from './otlp-body.js';

export interface OtlpExportQueueOptions {
  /** Where bodies are posted (`.../v1/traces` or `.../v1/logs`). */
  url: string;
  origin: OtlpOrigin;
  /** Records waiting (encoded, or in an export in flight) at most; more are dropped. */
  maxQueueSize: number;
  /** An export starts when this many records wait (512). */
  maxExportBatchSize?: number;
  /** ...or this long after the first of them was added (1000 ms). */
  scheduledDelayMs?: number;
  /** An export that takes longer is abandoned and its records counted as dropped (10 s). */
  timeoutMs?: number;
  /** Called with the number of records lost: queue full, or an export that failed. */
  onDropped: (count: number) => void;
}

/**
 * Records encoded as they come and posted over OTLP/HTTP protobuf in batches, over one keep-alive
 * connection pool of two sockets. Bounded: at most `maxQueueSize` records wait, the rest are
 * dropped and counted, so a dead or slow collector never holds the caller.
 */
export class OtlpExportQueue {
  private readonly body: OtlpBody;
  private readonly agent: HttpAgent;
  private readonly send: typeof httpRequest;
  private readonly maxExportBatchSize: number;
  private readonly scheduledDelayMs: number;
  private readonly timeoutMs: number;
  private timer: NodeJS.Timeout | undefined;
  private inFlight = 0;
  private readonly exports = new Set<Promise<void>>();

  constructor(private readonly options: OtlpExportQueueOptions) {
    this.body = new OtlpBody(options.origin);
    const https = options.url.startsWith('https:');
    this.agent = https ? new HttpsAgent({ keepAlive: true, maxSockets: 2 }) : new HttpAgent({ keepAlive: true, maxSockets: 2 });
    this.send = https ? httpsRequest : httpRequest;
    this.maxExportBatchSize = Math.min(options.maxExportBatchSize ?? 512, options.maxQueueSize);
    this.scheduledDelayMs = options.scheduledDelayMs ?? 1000;
    this.timeoutMs = options.timeoutMs ?? 10_000;
  }

  /** Records waiting for export now (encoded, or in an export in flight). */
  get pending(): number {
    return this.body.count + this.inFlight;
  }

  /** Encodes `item` with `write` into the next export, or drops and counts it when the queue is full. */
  add<T>(write: (writer: ProtobufWriter, item: T) => void, item: T): void {
    if (this.pending >= this.options.maxQueueSize) {
      this.options.onDropped(1);
      return;
    }
    this.body.add(write, item);
    if (this.body.count >= this.maxExportBatchSize) this.exportNow();
    else if (this.timer === undefined) {
      this.timer = setTimeout(() => this.exportNow(), this.scheduledDelayMs);
      this.timer.unref();
    }
  }

  private exportNow(): void {
    clearTimeout(this.timer);
    this.timer = undefined;
    const count = this.body.count;
    if (count === 0) return;
    const body = this.body.take();
    this.inFlight += count;
    const done = this.post(body).then((exported) => {
      this.inFlight -= count;
      if (!exported) this.options.onDropped(count);
    });
    this.exports.add(done);
    void done.finally(() => this.exports.delete(done));
  }

  /** Posts one body; true when the collector answered 2xx. Never rejects. */
  private post(body: Buffer): Promise<boolean> {
    return new Promise((resolve) => {
      const request = this.send(this.options.url, {
        method: 'POST',
        agent: this.agent,
        headers: { 'content-type': 'application/x-protobuf', 'content-length': body.length },
        timeout: this.timeoutMs,
      });
      request.on('response', (response: IncomingMessage) => {
        response.resume();
        response.on('end', () => resolve(response.statusCode !== undefined && response.statusCode >= 200 && response.statusCode < 300));
        response.on('error', () => resolve(false));
      });
      request.on('timeout', () => request.destroy(new Error('OTLP export timed out')));
      request.on('error', () => resolve(false));
      request.end(body);
    });
  }

  /** Exports what waits now and resolves when every export in flight has settled. */
  async forceFlush(): Promise<void> {
    this.exportNow();
    await Promise.all(this.exports);
  }

  /** Closes the connections at once, an export in flight included. */
  close(): void {
    clearTimeout(this.timer);
    this.timer = undefined;
    this.agent.destroy();
  }
}
