import { readFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { describe, expect, it } from 'vitest';
import { pickFreePort } from './free-port.js';

const ephemeralStart = Number(readFileSync('/proc/sys/net/ipv4/ip_local_port_range', 'utf8').trim().split(/\s+/)[0]);

function listenOn(port: number): Promise<ReturnType<typeof createServer>> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen({ port, host: '127.0.0.1', exclusive: true }, () => resolve(server));
  });
}

describe('pickFreePort', () => {
  it('picks ports outside the range outgoing connections take their source ports from, that a server can bind', async () => {
    for (let i = 0; i < 20; i++) {
      const port = await pickFreePort();
      expect(port).toBeLessThan(ephemeralStart);
      const server = await listenOn(port);
      await new Promise((resolve) => server.close(resolve));
    }
  });

  it('never picks a port that is being listened on', async () => {
    const held = await Promise.all(Array.from({ length: 20 }, async () => listenOn(await pickFreePort())));
    const heldPorts = new Set(held.map((server) => (server.address() as { port: number }).port));
    for (let i = 0; i < 200; i++) expect(heldPorts.has(await pickFreePort())).toBe(false);
    await Promise.all(held.map((server) => new Promise((resolve) => server.close(resolve))));
  });
});
