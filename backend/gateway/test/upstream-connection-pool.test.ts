import { once } from 'node:events';
import { createServer, type AddressInfo, type Server, type Socket } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { DeadlineSweeper } from '../src/upstream/deadline-sweeper.js';
import { UPSTREAM_ERROR, UpstreamConnectionPool, type UpstreamRequest } from '../src/upstream/upstream-connection-pool.js';

/** A request as the raw upstream received it. */
interface Received {
  head: string;
  body: string;
  connection: number;
  /** How many requests this connection had carried before. */
  indexOnConnection: number;
}

type Answer = (socket: Socket, request: Received) => void;

/**
 * An upstream written on `net`, so each test decides the exact bytes of every answer (framing
 * cases an HTTP server library would never produce). Requests are read by Content-Length.
 */
async function rawUpstream(answer: Answer): Promise<{ origin: string; received: Received[]; server: Server; connections: () => number }> {
  const received: Received[] = [];
  let connections = 0;
  const server = createServer((socket) => {
    const connection = ++connections;
    let served = 0;
    let buffer = Buffer.alloc(0);
    socket.on('error', () => undefined);
    socket.on('data', (data: Buffer) => {
      buffer = Buffer.concat([buffer, data]);
      for (;;) {
        const end = buffer.indexOf('\r\n\r\n');
        if (end === -1) return;
        const head = buffer.toString('latin1', 0, end);
        const length = Number(/\r\ncontent-length: (\d+)/i.exec(head)?.[1] ?? 0);
        if (buffer.length < end + 4 + length) return;
        const request = { head, body: buffer.toString('latin1', end + 4, end + 4 + length), connection, indexOnConnection: served++ };
        buffer = buffer.subarray(end + 4 + length);
        received.push(request);
        answer(socket, request);
      }
    });
  });
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  servers.push(server);
  return { origin: `http://127.0.0.1:${(server.address() as AddressInfo).port}`, received, server, connections: () => connections };
}

const servers: Server[] = [];
const pools: UpstreamConnectionPool[] = [];
afterEach(async () => {
  await Promise.all(pools.splice(0).map((pool) => pool.close()));
  for (const server of servers.splice(0)) server.close();
});

function poolFor(origin: string, connections = 4): UpstreamConnectionPool {
  const pool = new UpstreamConnectionPool(origin, { connections });
  pools.push(pool);
  return pool;
}

interface Answered {
  statusCode: number;
  headers: string[];
  body: string;
}

function send(pool: UpstreamConnectionPool, request: Partial<UpstreamRequest> & { path: string }): Promise<Answered> {
  return new Promise((resolve, reject) => {
    const answered: Answered = { statusCode: 0, headers: [], body: '' };
    pool.dispatch(
      { method: 'GET', headers: {}, body: null, headersTimeoutMs: 5_000, bodyTimeoutMs: 5_000, ...request },
      {
        onConnect: () => undefined,
        onHeaders: (statusCode, headers) => {
          answered.statusCode = statusCode;
          answered.headers = headers;
          return true;
        },
        onData: (chunk) => {
          answered.body += chunk.toString('latin1');
          return true;
        },
        onComplete: () => resolve(answered),
        onError: reject,
      },
    );
  });
}

const ok = (socket: Socket, body = 'ok', extra = '') => socket.write(`HTTP/1.1 200 OK\r\nContent-Length: ${body.length}\r\n${extra}\r\n${body}`);

describe('UpstreamConnectionPool', () => {
  it('keeps one connection alive across requests and frames request bodies itself', async () => {
    const upstream = await rawUpstream((socket) => ok(socket));
    const pool = poolFor(upstream.origin);
    expect((await send(pool, { path: '/a?x=1', headers: { 'x-request-id': 'r1' } })).body).toBe('ok');
    await send(pool, { path: '/b', method: 'POST', headers: { 'content-length': '999', 'content-type': 'text/plain' }, body: Buffer.from('abc') });
    await send(pool, { path: '/c', method: 'POST' });
    expect(upstream.connections()).toBe(1);
    const [first, post, empty] = upstream.received;
    expect(first!.head).toMatch(/^GET \/a\?x=1 HTTP\/1\.1\r\n/);
    expect(first!.head).toContain('x-request-id: r1');
    expect(first!.head).toMatch(/\r\nhost: 127\.0\.0\.1:\d+/);
    expect(post!.head).toContain('content-length: 3');
    expect(post!.head).not.toContain('999');
    expect(post!.body).toBe('abc');
    expect(empty!.head).toContain('content-length: 0');
  });

  it('never sends a second request on a connection before the first is answered (no pipelining)', async () => {
    let unanswered = 0;
    let overlapped = false;
    const upstream = await rawUpstream((socket) => {
      if (++unanswered > 1) overlapped = true;
      setTimeout(() => {
        unanswered--;
        ok(socket);
      }, 30);
    });
    const pool = poolFor(upstream.origin, 1);
    await Promise.all([send(pool, { path: '/1' }), send(pool, { path: '/2' }), send(pool, { path: '/3' })]);
    expect(overlapped).toBe(false);
    expect(upstream.connections()).toBe(1);
    expect(upstream.received.map((request) => request.indexOnConnection)).toEqual([0, 1, 2]);
  });

  it('opens a new connection after Connection: close, and after a body delimited by the close', async () => {
    const upstream = await rawUpstream((socket, request) => {
      if (request.head.startsWith('GET /close ')) ok(socket, 'bye', 'Connection: close\r\n');
      else if (request.head.startsWith('GET /until-close ')) socket.end('HTTP/1.1 200 OK\r\n\r\nall of it');
      else ok(socket);
    });
    const pool = poolFor(upstream.origin);
    expect((await send(pool, { path: '/close' })).body).toBe('bye');
    expect((await send(pool, { path: '/until-close' })).body).toBe('all of it');
    await send(pool, { path: '/next' });
    expect(upstream.connections()).toBe(3);
  });

  it('reads no body after HEAD and reuses the connection', async () => {
    const upstream = await rawUpstream((socket, request) => {
      if (request.head.startsWith('HEAD ')) socket.write('HTTP/1.1 200 OK\r\nContent-Length: 1000\r\n\r\n');
      else ok(socket);
    });
    const pool = poolFor(upstream.origin);
    const head = await send(pool, { path: '/', method: 'HEAD' });
    expect(head).toMatchObject({ statusCode: 200, body: '' });
    expect((await send(pool, { path: '/' })).body).toBe('ok');
    expect(upstream.connections()).toBe(1);
  });

  it('relays a chunked body decoded and skips 100 Continue', async () => {
    const upstream = await rawUpstream((socket) => {
      socket.write('HTTP/1.1 100 Continue\r\n\r\n');
      socket.write('HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n3\r\nabc\r\n');
      setTimeout(() => socket.write('2\r\nde\r\n0\r\n\r\n'), 10);
    });
    const pool = poolFor(upstream.origin);
    const answered = await send(pool, { path: '/' });
    expect(answered).toMatchObject({ statusCode: 200, body: 'abcde' });
  });

  it('refuses a protocol switch and drops the connection', async () => {
    let answered = 0;
    const upstream = await rawUpstream((socket) => {
      if (answered++ === 0) socket.write('HTTP/1.1 101 Switching Protocols\r\nUpgrade: websocket\r\nConnection: upgrade\r\n\r\n');
      else ok(socket);
    });
    const pool = poolFor(upstream.origin);
    await expect(send(pool, { path: '/' })).rejects.toMatchObject({ code: 'UPSTREAM_ERR_PROTOCOL' });
    expect((await send(pool, { path: '/' })).body).toBe('ok');
    expect(upstream.connections()).toBe(2);
  });

  it('sends a GET again on a new connection when a reused one closes unanswered, but never a POST', async () => {
    // The second request on every connection is dropped unread: a keep-alive connection the
    // upstream closed while the request was on its way.
    const upstream = await rawUpstream((socket, request) => {
      if (request.indexOnConnection === 1) socket.destroy();
      else ok(socket);
    });
    const pool = poolFor(upstream.origin, 1);
    await send(pool, { path: '/first' });
    expect((await send(pool, { path: '/again' })).body).toBe('ok');
    expect(upstream.received.map((request) => request.head.split(' ')[1])).toEqual(['/first', '/again', '/again']);
    await expect(send(pool, { path: '/post', method: 'POST', body: Buffer.from('x') })).rejects.toMatchObject({ code: UPSTREAM_ERROR.socket });
  });

  it('fails with a headers timeout, and with a body timeout when the body stalls', async () => {
    const upstream = await rawUpstream((socket, request) => {
      if (request.head.startsWith('GET /stall-body ')) socket.write('HTTP/1.1 200 OK\r\nContent-Length: 10\r\n\r\nabc');
      // /silent: never answered
    });
    const pool = poolFor(upstream.origin);
    const started = Date.now();
    await expect(send(pool, { path: '/silent', headersTimeoutMs: 150 })).rejects.toMatchObject({ code: UPSTREAM_ERROR.headersTimeout });
    expect(Date.now() - started).toBeGreaterThanOrEqual(140);
    await expect(send(pool, { path: '/stall-body', bodyTimeoutMs: 150 })).rejects.toMatchObject({ code: UPSTREAM_ERROR.bodyTimeout });
  });

  it('keeps a body that trickles in slower than a whole timeout but never stalls for one', async () => {
    const upstream = await rawUpstream((socket) => {
      socket.write('HTTP/1.1 200 OK\r\nContent-Length: 5\r\n\r\n');
      let sent = 0;
      const drip = setInterval(() => {
        socket.write('x');
        if (++sent === 5) clearInterval(drip);
      }, 60);
    });
    // 5 x 60 ms = 300 ms in all, twice the body timeout, yet never 150 ms without a byte.
    expect((await send(poolFor(upstream.origin), { path: '/drip', bodyTimeoutMs: 150 })).body).toBe('xxxxx');
  });

  it('enforces its timeouts with one shared timer that stops once its connections are closed', async () => {
    const deadlines = new DeadlineSweeper(10);
    const upstream = await rawUpstream((socket, request) => {
      if (!request.head.startsWith('GET /silent ')) ok(socket);
    });
    const pool = new UpstreamConnectionPool(upstream.origin, { connections: 2, deadlines });
    pools.push(pool);
    await expect(send(pool, { path: '/silent', headersTimeoutMs: 100 })).rejects.toMatchObject({ code: UPSTREAM_ERROR.headersTimeout });
    // The timed-out connection is gone and nothing is watched, so no timer runs.
    await new Promise((resolve) => setTimeout(resolve, 20));
    expect(pool.connectionCount).toBe(0);
    expect(deadlines.size).toBe(0);
    expect(deadlines.running).toBe(false);
    // A finished request leaves its connection idle and watched (for its lifetime), nothing more.
    await send(pool, { path: '/answered' });
    await send(pool, { path: '/answered' });
    expect(pool.connectionCount).toBe(1);
    expect(deadlines.size).toBe(1);
    expect(deadlines.running).toBe(true);
    await pool.close();
    await new Promise((resolve) => setTimeout(resolve, 20));
    expect(deadlines.size).toBe(0);
    expect(deadlines.running).toBe(false);
  });

  it('closes an idle connection when its keep-alive lifetime runs out', async () => {
    const deadlines = new DeadlineSweeper(10);
    const upstream = await rawUpstream((socket) => ok(socket));
    const pool = new UpstreamConnectionPool(upstream.origin, { connections: 1, keepAliveMs: 80, deadlines });
    pools.push(pool);
    await send(pool, { path: '/' });
    expect(pool.connectionCount).toBe(1);
    await new Promise((resolve) => setTimeout(resolve, 200));
    expect(pool.connectionCount).toBe(0);
    expect(deadlines.running).toBe(false);
  });

  it('fails with ECONNREFUSED when nothing listens', async () => {
    const upstream = await rawUpstream(() => undefined);
    const origin = upstream.origin;
    await new Promise((resolve) => upstream.server.close(resolve));
    await expect(send(poolFor(origin), { path: '/' })).rejects.toMatchObject({ code: 'ECONNREFUSED' });
  });

  it('fails the requests still waiting when it closes, after the one in flight finishes', async () => {
    const upstream = await rawUpstream((socket) => setTimeout(() => ok(socket), 50));
    const pool = new UpstreamConnectionPool(upstream.origin, { connections: 1 });
    const inFlight = send(pool, { path: '/1' });
    const waiting = send(pool, { path: '/2' });
    const closed = pool.close();
    await expect(waiting).rejects.toMatchObject({ code: UPSTREAM_ERROR.closed });
    expect((await inFlight).body).toBe('ok');
    await closed;
    expect(pool.connectionCount).toBe(0);
  });
});
