import type { AddressInfo } from 'node:net';

/**
 * The URL a service listens on, for its "listening" log line, from what its app's `listen`
 * resolved with: Fastify gives the URL itself, NestJS the `http.Server`, whose bound address is
 * read (so port 0 shows the port it got). Anything else falls back to the configured address.
 */
export function listeningAddress(listened: unknown, configured: { PORT: number; HOST: string }): string {
  if (typeof listened === 'string') return listened;
  const bound = (listened as { address?: () => AddressInfo | string | null } | null)?.address?.();
  if (bound && typeof bound === 'object') return httpUrl(bound.address, bound.port);
  return httpUrl(configured.HOST, configured.PORT);
}

/** An IPv6 host goes in brackets, as in any URL. */
const httpUrl = (host: string, port: number) => `http://${host.includes(':') ? `[${host}]` : host}:${port}`;
