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
  spans: ReceivedSpan[];
  logs: ReceivedLog[];
  /** Content types of the requests received, in order (`application/x-protobuf`, `application/json`). */
  contentTypes: string[];
  /** Resolves once `predicate` holds for what was received, rejects after `timeoutMs`. */
  waitFor(predicate: (receiver: OtlpReceiver) => boolean, timeoutMs: number, what: string): Promise<void>;
  close(): Promise<void>;
}

/**
 * An OTLP/HTTP receiver on 127.0.0.1 (port 0) for tests: `/v1/traces` and `/v1/logs`, protobuf
 * or JSON, decoded into plain spans and log records. Answers 200 as a collector does.
 */
export async function startOtlpReceiver(): Promise<OtlpReceiver> {
  const server = createServer((request, response) => {
    const chunks: Buffer[] = [];
    request.on('data', (chunk: Buffer) => chunks.push(chunk));
    request.on('end', () => {
      const body = Buffer.concat(chunks);
      const type = (request.headers['content-type'] ?? '').split(';')[0]!.trim();
      const json = type === 'application/json';
      try {
        if (request.url === '/v1/traces') {
          receiver.spans.push(...(json ? decodeJsonTraceRequest(JSON.parse(body.toString('utf8'))) : decodeTraceRequest(body)));
        } else if (request.url === '/v1/logs') {
          receiver.logs.push(...(json ? decodeJsonLogsRequest(JSON.parse(body.toString('utf8'))) : decodeLogsRequest(body)));
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
    spans: [],
    logs: [],
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
