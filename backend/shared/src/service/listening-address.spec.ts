import { createServer, type Server } from 'node:http';
import { once } from 'node:events';
import { afterEach, describe, expect, it } from 'vitest';
import { listeningAddress } from './listening-address.js';

let server: Server | undefined;
afterEach(() => {
  server?.close();
  server = undefined;
});

describe('listeningAddress: the URL in a service\'s "listening" line', () => {
  it('keeps the URL Fastify resolves with', () => {
    expect(listeningAddress('http://127.0.0.1:4002', { HOST: '0.0.0.0', PORT: 4002 })).toBe('http://127.0.0.1:4002');
  });

  it("reads the bound address of the http.Server NestJS resolves with, not '[object Object]'", async () => {
    server = createServer().listen(0, '127.0.0.1');
    await once(server, 'listening');
    const { port } = server.address() as { port: number };
    expect(listeningAddress(server, { HOST: '127.0.0.1', PORT: 0 })).toBe(`http://127.0.0.1:${port}`);
  });

  it('brackets an IPv6 host, and falls back to the configured address when nothing else is known', () => {
    expect(listeningAddress({ address: () => ({ address: '::1', port: 4001, family: 'IPv6' }) }, { HOST: '::', PORT: 4001 })).toBe('http://[::1]:4001');
    expect(listeningAddress(undefined, { HOST: '0.0.0.0', PORT: 4001 })).toBe('http://0.0.0.0:4001');
  });
});
