import proxyAddr from 'proxy-addr';

/**
 * Decides whether a TCP peer is one of TRUSTED_PROXIES (IPs, CIDR ranges, or the names
 * loopback/linklocal/uniquelocal), whose X-Forwarded-* claims may then be believed.
 */
export function createPeerTrust(trustedProxies: readonly string[]): (address: string) => boolean {
  if (trustedProxies.length === 0) return () => false;
  const trust = proxyAddr.compile([...trustedProxies]);
  const cache = new Map<string, boolean>();
  return (address) => {
    let trusted = cache.get(address);
    if (trusted === undefined) {
      trusted = trust(address, 0);
      // Peers are few (proxies, load balancers, clients); bound the cache anyway.
      if (cache.size > 10_000) cache.clear();
      cache.set(address, trusted);
    }
    return trusted;
  };
}
