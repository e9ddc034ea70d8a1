import { lookup } from 'node:dns/promises';
import { isIP } from 'node:net';
import type { UpstreamVariable } from '../config/gateway.config.js';
import type { Upstream } from './upstream.js';
import type { UpstreamsFile } from './upstreams-file.js';

/**
 * Keeps an upstream's replica list current. A single URL whose host is a name is looked up to
 * every address (under Compose, one per replica) and looked up again every `refreshMs`; an IP
 * URL or a comma-separated list is a static set of replicas. A list for the upstream's variable
 * in the UPSTREAMS_FILE wins over both, and follows the file.
 */
export class UpstreamResolver {
  private timer: NodeJS.Timeout | undefined;
  private readonly configuredMode: 'dns' | 'static';

  constructor(
    private readonly upstream: Upstream,
    private readonly urls: readonly URL[],
    private readonly refreshMs: number,
    private readonly file?: { source: UpstreamsFile; variable: UpstreamVariable },
  ) {
    const only = urls.length === 1 ? urls[0] : undefined;
    this.configuredMode = only && isIP(stripBrackets(only.hostname)) === 0 ? 'dns' : 'static';
  }

  /** Where the replica list comes from now. */
  get mode(): 'dns' | 'static' | 'file' {
    return this.fileList() ? 'file' : this.configuredMode;
  }

  /** Resolves once (waiting for the answer), then keeps refreshing in the background. */
  async start(): Promise<void> {
    if (this.file) {
      this.file.source.onChange(() => this.followFile());
      this.file.source.start();
      if (this.followFile()) return;
    }
    if (this.configuredMode === 'static') {
      this.upstream.setOrigins(this.urls.map((url) => url.origin));
      return;
    }
    await this.refresh();
    this.timer = setInterval(() => void this.refresh(), this.refreshMs);
    this.timer.unref();
  }

  /** Stops looking the name up and following the file. */
  stop(): void {
    this.stopLookups();
    this.file?.source.stop();
  }

  private stopLookups(): void {
    if (this.timer) clearInterval(this.timer);
    this.timer = undefined;
  }

  /** Looks the name up again; on failure keeps the last known replicas and reports the error. */
  async refresh(): Promise<void> {
    if (this.fileList()) return;
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

  private fileList(): URL[] | undefined {
    return this.file?.source.listOf(this.file.variable);
  }

  /** Takes the file's list, when it has one for this upstream; true when it did. */
  private followFile(): boolean {
    const list = this.fileList();
    if (!list) return false;
    this.stopLookups();
    this.upstream.setOrigins(list.map((url) => url.origin));
    this.upstream.resolutionError = undefined;
    return true;
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
