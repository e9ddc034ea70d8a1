import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import {
  decodeJsonLogsRequest,
  decodeJsonTraceRequest,
  decodeLogsRequest,
  decodeTraceRequest,
  type ReceivedLog,
  type ReceivedSpan,
} from './otlp-protobuf.js';

export interface OtlpReceiver {
  /** The value for `OTEL_EXPORTER_OTLP_ENDPOINT`. */
  endpoint: string;
  /** The spans received so far, decoded from the wire. */
  readonly spans: ReceivedSpan[];
  /** The log records received so far, decoded from the wire. */
  readonly logs: ReceivedLog[];
  /** Content types of the requests received, in order (`application/x-protobuf`, `application/json`). */
  contentTypes: string[];
  /** Resolves once `predicate` holds for what was received, rejects after `timeoutMs`. */
  waitFor(predicate: (receiver: OtlpReceiver) => boolean, timeoutMs: number, what: string): Promise<void>;
  close(): Promise<void>;
}

export interface OtlpReceiverOptions {
  /**
   * Keep trace bodies as received and decode them when `spans` is read: a benchmark's receiver
   * then costs the measured services almost no CPU while they run.
   */
  decodeOnRead?: boolean;
}

/**
 * An OTLP/HTTP receiver on 127.0.0.1 (port 0) for tests: `/v1/traces` and `/v1/logs`, protobuf
 * or JSON, decoded into plain spans and log records. Answers 200 as a collector does.
 */
export async function startOtlpReceiver(options: OtlpReceiverOptions = {}): Promise<OtlpReceiver> {
  // Bodies kept as they came, decoded when `spans` or `logs` is read (decodeOnRead).
  const undecodedTraces: { body: Buffer; json: boolean }[] = [];
  const undecodedLogs: { body: Buffer; json: boolean }[] = [];
  const decodedSpans: ReceivedSpan[] = [];
  const decodedLogs: ReceivedLog[] = [];
  const decodeTraces = (body: Buffer, json: boolean): ReceivedSpan[] => (json ? decodeJsonTraceRequest(JSON.parse(body.toString('utf8'))) : decodeTraceRequest(body));
  const decodeLogs = (body: Buffer, json: boolean): ReceivedLog[] => (json ? decodeJsonLogsRequest(JSON.parse(body.toString('utf8'))) : decodeLogsRequest(body));
  const server = createServer((request, response) => {
    const chunks: Buffer[] = [];
    request.on('data', (chunk: Buffer) => chunks.push(chunk));
    request.on('end', () => {
      const body = Buffer.concat(chunks);
      const type = (request.headers['content-type'] ?? '').split(';')[0]!.trim();
      const json = type === 'application/json';
      try {
        if (request.url === '/v1/traces') {
          if (options.decodeOnRead) undecodedTraces.push({ body, json });
          else decodedSpans.push(...decodeTraces(body, json));
        } else if (request.url === '/v1/logs') {
          if (options.decodeOnRead) undecodedLogs.push({ body, json });
          else decodedLogs.push(...decodeLogs(body, json));
        } else {
          response.writeHead(404).end();
          return;
        }
      } catch (error) {
        response.writeHead(400, { 'content-type': 'text/plain' }).end(String(error));
        return;
      }
      receiver.contentTypes.push(type);
      response.writeHead(200, { 'content-type': json ? 'application/json' : 'application/x-protobuf' }).end(json ? '{}' : '');
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  const receiver: OtlpReceiver = {
    endpoint: `http://127.0.0.1:${port}`,
    get spans() {
      for (const { body, json } of undecodedTraces.splice(0)) decodedSpans.push(...decodeTraces(body, json));
      return decodedSpans;
    },
    get logs() {
      for (const { body, json } of undecodedLogs.splice(0)) decodedLogs.push(...decodeLogs(body, json));
      return decodedLogs;
    },
    contentTypes: [],
    async waitFor(predicate, timeoutMs, what) {
      const deadline = Date.now() + timeoutMs;
      while (!predicate(receiver)) {
        if (Date.now() > deadline) throw new Error(`OTLP receiver: ${what} not received within ${timeoutMs} ms (${receiver.spans.length} spans, ${receiver.logs.length} logs)`);
        await new Promise((resolve) => setTimeout(resolve, 50));
      }
    },
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
  return receiver;
}
