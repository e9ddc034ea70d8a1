import type { IncomingMessage } from 'node:http';
import proxyAddr from 'proxy-addr';

/** What the gateway believes about who sent a request. */
export interface ClientTrust {
  /** Whether a TCP peer is one of TRUSTED_PROXIES, whose X-Forwarded-* claims may be believed. */
  isTrustedPeer: (address: string) => boolean;
  /**
   * The client's address: the peer's, or when the peer is trusted, the first untrusted address
   * walking X-Forwarded-For from the right (what Fastify's `request.ip` gives with trustProxy).
   */
  clientAddressOf: (request: IncomingMessage, peerAddress: string, peerTrusted: boolean) => string;
}

/**
 * Trust in peers from TRUSTED_PROXIES (IPs, CIDR ranges, or the names loopback/linklocal/
 * uniquelocal). Verdicts per peer address are cached: peers are few (proxies, load balancers).
 */
export function createClientTrust(trustedProxies: readonly string[]): ClientTrust {
  if (trustedProxies.length === 0) return { isTrustedPeer: () => false, clientAddressOf: (_request, peerAddress) => peerAddress };
  const trust = proxyAddr.compile([...trustedProxies]);
  const cache = new Map<string, boolean>();
  return {
    isTrustedPeer: (address) => {
      let trusted = cache.get(address);
      if (trusted === undefined) {
        trusted = trust(address, 0);
        if (cache.size > 10_000) cache.clear();
        cache.set(address, trusted);
      }
      return trusted;
    },
    // Without X-Forwarded-For there is no chain to walk: proxy-addr would answer the peer too,
    // after parsing the headers and allocating the address list.
    clientAddressOf: (request, peerAddress, peerTrusted) => (peerTrusted && request.headers['x-forwarded-for'] !== undefined ? proxyAddr(request, trust) : peerAddress),
  };
}
