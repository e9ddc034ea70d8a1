import { createHash } from 'node:crypto';
import type { IncomingHttpHeaders } from 'node:http';

export interface RateLimitBudgets {
  /** Requests per window for a client identified by its address. */
  maxPerAddress: number;
  /** Requests per window for a client identified by an API key. */
  maxPerApiKey: number;
}

/** Who a request counts against, and that client's budget. */
export interface RateLimitClient {
  key: string;
  limit: number;
}

/**
 * Rate limits apply per API key when the client sends one (`x-api-key`, or a bearer token), per
 * client address otherwise. Keys are hashed so raw secrets never sit in Redis; the hashes of
 * recent keys are remembered, so a client's key is hashed once, not on every request.
 */
export function createRateLimitClients(budgets: RateLimitBudgets) {
  const hashedKeys = new Map<string, string>();
  // One client object per recent address: no key string built (and hashed again by the limiter's
  // map) on every request.
  const addressClients = new Map<string, RateLimitClient>();
  const keyOf = (apiKey: string): string => {
    let hashed = hashedKeys.get(apiKey);
    if (hashed === undefined) {
      hashed = `k:${createHash('sha256').update(apiKey).digest('base64url').slice(0, 22)}`;
      if (hashedKeys.size >= 10_000) hashedKeys.clear();
      hashedKeys.set(apiKey, hashed);
    }
    return hashed;
  };
  return function clientOf(headers: IncomingHttpHeaders, clientAddress: string): RateLimitClient {
    const explicit = headers['x-api-key'];
    if (typeof explicit === 'string' && explicit.length > 0) return { key: keyOf(explicit), limit: budgets.maxPerApiKey };
    const authorization = headers.authorization;
    if (authorization !== undefined && authorization.startsWith('Bearer ')) return { key: keyOf(authorization.slice(7)), limit: budgets.maxPerApiKey };
    let byAddress = addressClients.get(clientAddress);
    if (byAddress === undefined) {
      byAddress = { key: `a:${clientAddress}`, limit: budgets.maxPerAddress };
      if (addressClients.size >= 10_000) addressClients.clear();
      addressClients.set(clientAddress, byAddress);
    }
    return byAddress;
  };
}
