import {
  createServer,
  request as httpRequest,
  type IncomingHttpHeaders,
  type IncomingMessage,
  type ServerResponse,
} from 'node:http';
import type { AddressInfo } from 'node:net';
import { errorCodeForStatus, HttpError } from '../errors.js';
import { toErrorResponse } from '../http/error-response.js';

/** One request the proxy passed on (or answered itself). */
export interface RecordedRequest {
  method: string;
  path: string;
  query: URLSearchParams;
  headers: IncomingHttpHeaders;
}

/**
 * A pass-through in front of a real service, for tests that must see what a client sent (request
 * ids, trace context, query strings) or play a failing dependency. It forwards everything
 * unchanged unless `failWith` is set; then it answers that status with the kit's error body.
 */
export interface RecordingProxy {
  url: string;
  /** Every request received, in order. */
  received: RecordedRequest[];
  /** When set, every request is answered with this status and an `ApiErrorBody`, not forwarded. */
  failWith: number | undefined;
  /** Stops listening and drops open connections; a client then meets a refused connection. */
  close(): Promise<void>;
}

function answerFailure(response: ServerResponse, status: number): void {
  const { body } = toErrorResponse(
    new HttpError(status, errorCodeForStatus(status), 'failure injected by the test proxy'),
    undefined,
  );
  response.writeHead(status, { 'content-type': 'application/json; charset=utf-8' }).end(JSON.stringify(body));
}

function forward(target: URL, request: IncomingMessage, response: ServerResponse): void {
  const upstream = httpRequest(
    {
      host: target.hostname,
      port: target.port,
      method: request.method,
      path: request.url,
      headers: { ...request.headers, host: target.host },
    },
    (answer) => {
      response.writeHead(answer.statusCode ?? 502, answer.headers);
      answer.pipe(response);
    },
  );
  upstream.on('error', () => {
    if (!response.headersSent) answerFailure(response, 502);
    else response.destroy();
  });
  request.pipe(upstream);
}

/**
 * Starts a recording proxy to `target` (an `http://host:port` origin) on a free loopback port.
 *
 * @example
 * const proxy = await startRecordingProxy(nestjsApiUrl);
 * await client.getTool('aider');
 * expect(proxy.received.at(-1)?.headers['x-request-id']).toBe('req-42');
 */
export async function startRecordingProxy(target: string): Promise<RecordingProxy> {
  const targetUrl = new URL(target);
  const proxy: RecordingProxy = {
    url: '',
    received: [],
    failWith: undefined,
    close: () => Promise.resolve(),
  };
  const server = createServer((request, response) => {
    const url = new URL(request.url ?? '/', 'http://proxy');
    proxy.received.push({
      method: request.method ?? 'GET',
      path: url.pathname,
      query: url.searchParams,
      headers: request.headers,
    });
    if (proxy.failWith !== undefined) {
      request.resume();
      answerFailure(response, proxy.failWith);
      return;
    }
    forward(targetUrl, request, response);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  proxy.url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  proxy.close = () => {
    if (!server.listening) return Promise.resolve();
    server.closeAllConnections();
    return new Promise((resolve, reject) => server.close((error) => (error ? reject(error) : resolve())));
  };
  return proxy;
}
