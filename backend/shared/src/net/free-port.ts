import { readFileSync } from 'node:fs';
import { createServer } from 'node:net';

/** Linux's default when /proc cannot be read: outgoing connections take source ports from here. */
const DEFAULT_EPHEMERAL_RANGE = { low: 32_768, high: 60_999 };
/** Listening ports are picked at or above this, below the ephemeral range. */
const LOWEST_PICKED_PORT = 20_000;
const ATTEMPTS = 50;

/**
 * A loopback TCP port that is free right now, for a server that another process (or a later
 * step) will bind.
 *
 * Why not simply `listen(0)`: the kernel picks that port from the ephemeral range, the same range
 * outgoing connections take their source ports from. Between our probe closing and the server
 * binding, any connection on the machine (a load generator, a proxy to its upstream) may take it,
 * and the server fails with EADDRINUSE. Ports below the ephemeral range are never handed out that
 * way, so a pick there stays free unless another program binds it on purpose.
 */
export async function pickFreePort(host = '127.0.0.1'): Promise<number> {
  const highest = ephemeralRangeStart() - 1;
  if (highest > LOWEST_PICKED_PORT) {
    for (let attempt = 0; attempt < ATTEMPTS; attempt++) {
      const port = LOWEST_PICKED_PORT + Math.floor(Math.random() * (highest - LOWEST_PICKED_PORT + 1));
      if ((await bindProbe(port, host)) !== undefined) return port;
    }
  }
  // A machine whose ephemeral range starts low, or whose low ports are all taken: the kernel's pick.
  const port = await bindProbe(0, host);
  if (port === undefined) throw new Error(`no free TCP port on ${host}`);
  return port;
}

/** The first port of the kernel's ephemeral (source) port range. */
function ephemeralRangeStart(): number {
  try {
    const [low] = readFileSync('/proc/sys/net/ipv4/ip_local_port_range', 'utf8').trim().split(/\s+/).map(Number);
    return low !== undefined && Number.isInteger(low) && low > 0 ? low : DEFAULT_EPHEMERAL_RANGE.low;
  } catch {
    return DEFAULT_EPHEMERAL_RANGE.low;
  }
}

/** Binds `port` (0: any) exclusively and releases it; the bound port, or undefined when taken. */
function bindProbe(port: number, host: string): Promise<number | undefined> {
  return new Promise((resolve) => {
    const probe = createServer();
    probe.once('error', () => resolve(undefined));
    probe.listen({ port, host, exclusive: true }, () => {
      const address = probe.address();
      const bound = typeof address === 'object' && address ? address.port : undefined;
      probe.close(() => resolve(bound));
    });
  });
}
