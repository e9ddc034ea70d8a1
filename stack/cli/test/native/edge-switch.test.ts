import { createServer, type Server } from 'node:http';
import { request } from 'node:http';
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
