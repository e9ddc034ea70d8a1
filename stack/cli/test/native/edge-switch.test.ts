import { Agent, createServer, request, type Server } from 'node:http';
import { createServer as createTcpServer, type Socket } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { startEdgeSwitches, type EdgeSwitch } from '../../src/native/edge-switch.js';
import { pickFreePort } from '../../src/native/ports.js';

/** An HTTP server answering its own name, each answer held back `delayMs`. */
async function upstream(name: string, delayMs = 0): Promise<{ server: Server; port: number }> {
  const server = createServer((_req, res) => setTimeout(() => res.end(name), delayMs));
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return { server, port: (server.address() as { port: number }).port };
}

/** One request on a fresh connection (as the edge sends them: no upstream keep-alive). */
function get(port: number): Promise<string> {
  return new Promise((resolve, reject) => {
    const req = request({ host: '127.0.0.1', port, path: '/', agent: false }, (res) => {
      let body = '';
      res.on('data', (chunk: Buffer) => (body += chunk.toString()));
      res.on('end', () => resolve(body));
    });
    req.on('error', reject);
    req.end();
  });
}

/** One request over `agent` (keep-alive): its answer and the client socket it went on. */
function getOn(agent: Agent, port: number, method = 'GET'): Promise<{ body: string; socket: Socket }> {
  return new Promise((resolve, reject) => {
    const req = request({ host: '127.0.0.1', port, path: '/', agent, method }, (res) => {
      let body = '';
      res.on('data', (chunk: Buffer) => (body += chunk.toString()));
      res.on('end', () => resolve({ body, socket: req.socket! }));
    });
    req.on('error', reject);
    req.end();
  });
}

const servers: Server[] = [];
let switches: EdgeSwitch[] = [];
afterEach(async () => {
  await Promise.all(switches.map((edgeSwitch) => edgeSwitch.close()));
  for (const server of servers.splice(0)) server.close();
});

describe('EdgeSwitch', () => {
  it('forwards to its target, and after a move sends new connections to the new one while an open one finishes on the old', async () => {
    const blue = await upstream('blue', 300);
    const green = await upstream('green');
    servers.push(blue.server, green.server);
    const port = await pickFreePort();
    switches = await startEdgeSwitches([{ service: 'gateway', port, target: blue.port }]);
    const edgeSwitch = switches[0]!;

    expect(await get(port)).toBe('blue');
    const inFlight = get(port);
    await new Promise((resolve) => setTimeout(resolve, 100));
    expect(edgeSwitch.openTo(blue.port)).toBe(1);
    edgeSwitch.moveTo(green.port);
    expect(await get(port)).toBe('green');
    expect(await inFlight).toBe('blue');
    await new Promise((resolve) => setTimeout(resolve, 50));
    expect(edgeSwitch.openTo(blue.port)).toBe(0);
    expect(edgeSwitch.openTo(green.port)).toBe(0);
  });

  it('moves a keep-alive connection the old target closes between answers to the new target, unseen by the client', async () => {
    const blue = await upstream('blue');
    const green = await upstream('green');
    servers.push(blue.server, green.server);
    const port = await pickFreePort();
    switches = await startEdgeSwitches([{ service: 'gateway', port, target: blue.port }]);
    const edgeSwitch = switches[0]!;
    const agent = new Agent({ keepAlive: true, maxSockets: 1 });
    const first = await getOn(agent, port);
    expect(first.body).toBe('blue');
    edgeSwitch.moveTo(green.port);
    // The old target retires: it closes the connection, idle between requests.
    blue.server.closeIdleConnections();
    await new Promise((resolve) => setTimeout(resolve, 100));
    expect(edgeSwitch.openTo(blue.port)).toBe(0);
    const second = await getOn(agent, port);
    expect(second.body).toBe('green');
    expect(second.socket).toBe(first.socket);
    agent.destroy();
  });

  it('sends a GET the old target closed its connection on unanswered to the new target, but never a POST', async () => {
    // The old target answers the first request, then drops the connection on the next one unread,
    // as a retiring server does that closes a connection it saw idle just as a request arrives.
    const blue = createTcpServer((socket) => {
      let requests = 0;
      socket.on('data', () => {
        requests += 1;
        if (requests === 1) socket.write('HTTP/1.1 200 OK\r\nContent-Length: 4\r\nConnection: keep-alive\r\n\r\nblue');
        else socket.destroy();
      });
    });
    await new Promise<void>((resolve) => blue.listen(0, '127.0.0.1', resolve));
    const green = await upstream('green');
    servers.push(green.server);
    const port = await pickFreePort();
    switches = await startEdgeSwitches([{ service: 'gateway', port, target: (blue.address() as { port: number }).port }]);
    const ask = async (method: string) => {
      const agent = new Agent({ keepAlive: true, maxSockets: 1 });
      try {
        switches[0]!.moveTo((blue.address() as { port: number }).port);
        expect((await getOn(agent, port)).body).toBe('blue');
        switches[0]!.moveTo(green.port);
        return await getOn(agent, port, method);
      } finally {
        agent.destroy();
      }
    };
    try {
      expect((await ask('GET')).body).toBe('green');
      await expect(ask('POST')).rejects.toThrow(/socket hang up|ECONNRESET/);
    } finally {
      blue.close();
    }
  });

  it('still ends the client connection when its target closes it before the switch moved', async () => {
    const blue = await upstream('blue');
    servers.push(blue.server);
    const port = await pickFreePort();
    switches = await startEdgeSwitches([{ service: 'gateway', port, target: blue.port }]);
    const agent = new Agent({ keepAlive: true, maxSockets: 1 });
    const first = await getOn(agent, port);
    const ended = new Promise((resolve) => first.socket.once('close', resolve));
    blue.server.closeIdleConnections();
    await ended;
    agent.destroy();
  });

  it('closes the connection when its target does not answer, as a dead upstream would', async () => {
    const dead = await pickFreePort();
    const port = await pickFreePort();
    switches = await startEdgeSwitches([{ service: 'gateway', port, target: dead }]);
    await expect(get(port)).rejects.toThrow();
    expect(switches[0]!.openTo(dead)).toBe(0);
  });

  it('refuses to start when its port is taken, and leaves nothing listening', async () => {
    const taken = await upstream('taken');
    servers.push(taken.server);
    const free = await pickFreePort();
    await expect(startEdgeSwitches([{ service: 'frontend', port: free, target: 1 }, { service: 'gateway', port: taken.port, target: 1 }])).rejects.toThrow(/EADDRINUSE/);
    // The first switch was closed again: its port can be bound.
    const probe = createServer();
    await new Promise<void>((resolve, reject) => probe.once('error', reject).listen(free, '127.0.0.1', resolve));
    probe.close();
  });
});
