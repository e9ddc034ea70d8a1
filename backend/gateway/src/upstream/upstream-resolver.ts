import { lookup } from 'node:dns/promises';
import { isIP } from 'node:net';
import type { Upstream } from './upstream.js';

/**
 * Keeps an upstream's replica list current. A single URL whose host is a name is looked up to
 * every address (under Compose, one per replica) and looked up again every `refreshMs`; an IP
 * URL or a comma-separated list is a static set of replicas.
 */
export class UpstreamResolver {
  private timer: NodeJS.Timeout | undefined;
  readonly mode: 'dns' | 'static';

  constructor(
    private readonly upstream: Upstream,
    private readonly urls: readonly URL[],
    private readonly refreshMs: number,
  ) {
    const only = urls.length === 1 ? urls[0] : undefined;
    this.mode = only && isIP(stripBrackets(only.hostname)) === 0 ? 'dns' : 'static';
  }

  /** Resolves once (waiting for the answer), then keeps refreshing in the background. */
  async start(): Promise<void> {
    if (this.mode === 'static') {
      this.upstream.setOrigins(this.urls.map((url) => url.origin));
      return;
    }
    await this.refresh();
    this.timer = setInterval(() => void this.refresh(), this.refreshMs);
    this.timer.unref();
  }

  stop(): void {
    if (this.timer) clearInterval(this.timer);
    this.timer = undefined;
  }

  /** Looks the name up again; on failure keeps the last known replicas and reports the error. */
  async refresh(): Promise<void> {
    const url = this.urls[0]!;
    const port = url.port || '80';
    try {
      const addresses = await lookupAddresses(url.hostname);
      const origins = [...new Set(addresses)].sort().map((address) => `http://${isIP(address) === 6 ? `[${address}]` : address}:${port}`);
      this.upstream.setOrigins(origins);
      this.upstream.resolutionError = undefined;
    } catch (error) {
      this.upstream.resolutionError = `cannot resolve ${url.hostname}: ${(error as NodeJS.ErrnoException).code ?? String(error)}`;
    }
  }
}

/**
 * IPv4 addresses when the name has any (Compose networks are IPv4, and `localhost` would
 * otherwise count twice, once per family), else every address.
 */
async function lookupAddresses(hostname: string): Promise<string[]> {
  const all = await lookup(hostname, { all: true, verbatim: true });
  const v4 = all.filter((entry) => entry.family === 4);
  return (v4.length > 0 ? v4 : all).map((entry) => entry.address);
}

function stripBrackets(hostname: string): string {
  return hostname.startsWith('[') ? hostname.slice(1, -1) : hostname;
}
