// @vitest-environment node
import { createServer, type IncomingHttpHeaders, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { fetchEventSource } from './fetch-event-source.js';
import { openAiSearchStream } from './ai-search-stream.js';
import type { AiSearchStreamEvent } from '@codiesvibe/shared/domain';

/*
 * A real HTTP server writing `text/event-stream` in awkward pieces (lines cut in two, CRLF, a
 * comment, a multi-line data field), read by the fetch-based event source the app uses.
 */

const closers: (() => Promise<void>)[] = [];
afterEach(async () => {
  for (const close of closers.splice(0)) await close();
});

async function streamServer(write: (response: ServerResponse) => Promise<void>) {
  const requests: IncomingHttpHeaders[] = [];
  const server = createServer((request, response) => {
    requests.push(request.headers);
    response.writeHead(200, { 'content-type': 'text/event-stream', 'cache-control': 'no-store' });
    void write(response);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  closers.push(
    () =>
      new Promise((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  );
  return { url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`, requests };
}

const pause = () => new Promise((resolve) => setTimeout(resolve, 10));

describe('fetchEventSource', () => {
  it('sends a new trace in traceparent and reads events cut across chunks', async () => {
    const { url, requests } = await streamServer(async (response) => {
      for (const piece of [
        ': hello\r\n',
        'event: res',
        'ults\r\ndata: {"results":',
        '[]}\r\n\r\n',
        'event: explanation\ndata: line one\ndata: line two\n',
        '\n',
      ]) {
        response.write(piece);
        await pause();
      }
    });
    const received: { type: string; data: string }[] = [];
    const source = fetchEventSource(`${url}/ai/search/stream?query=x`);
    await new Promise<void>((resolve) => {
      for (const type of ['results', 'explanation']) {
        source.addEventListener(type, (event) => {
          received.push({ type, data: (event as MessageEvent<string>).data });
          if (received.length === 2) resolve();
        });
      }
    });
    source.close();
    expect(received).toEqual([
      { type: 'results', data: '{"results":[]}' },
      { type: 'explanation', data: 'line one\nline two' },
    ]);
    expect(requests[0]?.accept).toBe('text/event-stream');
    expect(requests[0]?.traceparent).toMatch(/^00-[0-9a-f]{32}-[0-9a-f]{16}-01$/);
    // A new trace for each stream, never a fixed id.
    const again = fetchEventSource(`${url}/again`);
    await expect.poll(() => requests.length).toBe(2);
    again.close();
    const traceIdOf = (headers: IncomingHttpHeaders | undefined) =>
      String(headers?.traceparent).split('-')[1];
    expect(traceIdOf(requests[1])).not.toBe(traceIdOf(requests[0]));
  });

  it('drives the AI search stream to done, and a connection dropped before done is one error', async () => {
    const complete = await streamServer(async (response) => {
      response.write('event: results\ndata: {"results":[]}\n\n');
      await pause();
      response.end('event: done\ndata: {"mode":"fallback","tookMs":3}\n\n');
    });
    const events: AiSearchStreamEvent[] = [];
    await new Promise<void>((resolve) => {
      openAiSearchStream({
        baseUrl: complete.url,
        query: 'agents',
        onEvent: (event) => {
          events.push(event);
          if (event.event === 'done') resolve();
        },
      });
    });
    expect(events.map((event) => event.event)).toEqual(['results', 'done']);

    const dropped = await streamServer(async (response) => {
      response.write('event: results\ndata: {"results":[]}\n\n');
      await pause();
      response.destroy();
    });
    const afterDrop: AiSearchStreamEvent[] = [];
    await new Promise<void>((resolve) => {
      openAiSearchStream({
        baseUrl: dropped.url,
        query: 'agents',
        onEvent: (event) => {
          afterDrop.push(event);
          if (event.event === 'error') resolve();
        },
      });
    });
    expect(afterDrop.map((event) => event.event)).toEqual(['results', 'error']);
    expect(afterDrop[1]?.data).toEqual({
      message: 'The AI search connection was interrupted. Please try again.',
    });
  });
});
