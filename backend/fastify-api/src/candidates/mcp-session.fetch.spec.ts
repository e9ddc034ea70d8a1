import { getEventListeners } from 'node:events';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sessionFetch } from './mcp-session.fetch.js';

let server: Server;
let url: string;
beforeAll(async () => {
  server = createServer((request, response) => {
    if (request.url === '/slow') {
      // A body that never ends unless the client goes away.
      response.writeHead(200, { 'content-type': 'text/event-stream' });
      response.write('data: first\n\n');
      return;
    }
    response.writeHead(200, { 'content-type': 'application/json' });
    response.end('{"ok":true}');
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});
afterAll(() => {
  server.closeAllConnections();
  server.close();
});

describe('sessionFetch (the MCP transport fetch)', () => {
  it('leaves no abort listener on the session signal once each response body is read', async () => {
    const session = new AbortController();
    const fetchInSession = sessionFetch();
    for (let request = 0; request < 50; request++) {
      const response = await fetchInSession(`${url}/json`, { signal: session.signal });
      expect(await response.json()).toEqual({ ok: true });
    }
    expect(getEventListeners(session.signal, 'abort')).toHaveLength(0);
  });

  it('still aborts a request in flight when the session closes, and then unlinks it', async () => {
    const session = new AbortController();
    const response = await sessionFetch()(`${url}/slow`, { signal: session.signal });
    const reader = (response.body as ReadableStream<Uint8Array>).getReader();
    expect(new TextDecoder().decode((await reader.read()).value)).toContain('first');
    expect(getEventListeners(session.signal, 'abort')).toHaveLength(1);
    const next = reader.read();
    session.abort(new Error('session closed'));
    await expect(next).rejects.toThrow();
    expect(getEventListeners(session.signal, 'abort')).toHaveLength(0);
  });
});
