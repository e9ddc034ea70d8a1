import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { healthcheckUrl, runHealthcheck } from './run-healthcheck.js';

describe('runHealthcheck', () => {
  let server: Server;
  let port: number;
  let readyStatus = 200;

  beforeAll(async () => {
    server = createServer((request, response) => {
      response.statusCode = request.url === '/health/ready' ? readyStatus : 404;
      response.end('{}');
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    port = (server.address() as AddressInfo).port;
  });
  afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));

  it('probes 127.0.0.1:$PORT/health/ready by default', () => {
    expect(healthcheckUrl({ env: { PORT: '4002' } })).toBe('http://127.0.0.1:4002/health/ready');
    expect(healthcheckUrl({ env: {}, defaultPort: 4001 })).toBe('http://127.0.0.1:4001/health/ready');
  });

  it('exits 0 when the service is ready', async () => {
    readyStatus = 200;
    const exit = vi.fn();
    expect(await runHealthcheck({ env: { PORT: String(port) }, exit, print: vi.fn() })).toBe(0);
    expect(exit).toHaveBeenCalledWith(0);
  });

  it('exits 1 and says why when the service answers 503', async () => {
    readyStatus = 503;
    const print = vi.fn();
    expect(await runHealthcheck({ env: { PORT: String(port) }, exit: vi.fn(), print })).toBe(1);
    expect(print).toHaveBeenCalledWith(`healthcheck: http://127.0.0.1:${port}/health/ready answered 503`);
  });

  it('exits 1 when nothing listens', async () => {
    const closed = createServer();
    await new Promise<void>((resolve) => closed.listen(0, '127.0.0.1', resolve));
    const freePort = (closed.address() as AddressInfo).port;
    await new Promise<void>((resolve) => closed.close(() => resolve()));
    const print = vi.fn();
    expect(
      await runHealthcheck({ url: `http://127.0.0.1:${freePort}/health/ready`, exit: vi.fn(), print }),
    ).toBe(1);
    expect(print).toHaveBeenCalledWith(expect.stringContaining('unreachable (connect ECONNREFUSED'));
  });
});
