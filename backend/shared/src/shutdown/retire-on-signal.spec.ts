import { EventEmitter } from 'node:events';
import { Agent, createServer, request, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo, Socket } from 'node:net';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { retireOnSignal } from './retire-on-signal.js';

interface Answer {
  status: number;
  connection: string | undefined;
  socket: Socket;
}

let server: Server | undefined;
let agent: Agent | undefined;
afterEach(async () => {
  agent?.destroy();
  server?.closeAllConnections();
  await new Promise((resolve) => (server ? server.close(resolve) : resolve(undefined)));
  server = undefined;
});

/** A server whose `/slow` answers when `release()` is called, everything else at once. */
async function start(quietMs: number) {
  let release: () => void = () => undefined;
  const waiting = new Promise<void>((resolve) => (release = resolve));
  server = createServer((req, res) => {
    if (req.url === '/slow') void waiting.then(() => res.end('slow'));
    else res.end('ok');
  });
  const signals = new EventEmitter();
  const retirement = retireOnSignal(server, { logger: { info: vi.fn() }, quietMs, signalSource: signals });
  await new Promise<void>((resolve) => server!.listen(0, '127.0.0.1', resolve));
  agent = new Agent({ keepAlive: true, maxSockets: 4 });
  const port = (server.address() as AddressInfo).port;
  const get = (path: string) =>
    new Promise<Answer>((resolve, reject) => {
      const req = request({ host: '127.0.0.1', port, path, agent }, (res: IncomingMessage) => {
        res.resume();
        res.once('end', () => resolve({ status: res.statusCode ?? 0, connection: res.headers.connection, socket: req.socket! }));
      });
      req.once('error', reject);
      req.end();
    });
  return { signals, retirement, get, release };
}

const closed = (socket: Socket) => new Promise<void>((resolve) => (socket.destroyed ? resolve() : socket.once('close', () => resolve())));

describe('retireOnSignal', () => {
  it('keeps connections alive until the signal, then answers Connection: close and ends each connection after its response', async () => {
    const { signals, retirement, get } = await start(60_000);
    const before = await get('/');
    expect(before.connection).toBe('keep-alive');
    expect((await get('/')).socket).toBe(before.socket);

    signals.emit('SIGUSR2');
    expect(retirement.retiring).toBe(true);
    const after = await get('/');
    expect(after.status).toBe(200);
    expect(after.connection).toBe('close');
    await closed(after.socket);
  });

  it('tells a request in flight at the signal to close its connection, and does not cut it short', async () => {
    const { retirement, get, release } = await start(0);
    const slow = get('/slow');
    await new Promise((resolve) => setTimeout(resolve, 50));
    retirement.retire();
    // quietMs 0: idle connections close at once, but this one is busy.
    await new Promise((resolve) => setTimeout(resolve, 300));
    release();
    const answer = await slow;
    expect(answer.status).toBe(200);
    expect(answer.connection).toBe('close');
  });

  it('closes an idle connection once it has been quiet for quietMs, not before', async () => {
    const { retirement, get } = await start(600);
    const idle = (await get('/')).socket;
    retirement.retire();
    await new Promise((resolve) => setTimeout(resolve, 200));
    expect(idle.destroyed).toBe(false);
    await closed(idle);
  });

  it('stops listening for the signal once disposed', async () => {
    const { signals, retirement, get } = await start(60_000);
    retirement.dispose();
    signals.emit('SIGUSR2');
    expect(retirement.retiring).toBe(false);
    expect((await get('/')).connection).toBe('keep-alive');
  });
});
