import { createHash } from 'node:crypto';
import { ERROR_CODES, HttpError } from '@codiesvibe/shared';
import type { FastifyReply, FastifyRequest } from 'fastify';
import type { Admission, RateLimiter } from './rate-limiter.js';

export interface RateLimitBudgets {
  /** Requests per window for a client identified by its address. */
  maxPerAddress: number;
  /** Requests per window for a client identified by an API key. */
  maxPerApiKey: number;
  windowMs: number;
}

/**
 * The API key of a request (`x-api-key`, or a bearer token); undefined for anonymous clients.
 */
function apiKeyOf(request: FastifyRequest): string | undefined {
  const explicit = request.headers['x-api-key'];
  if (typeof explicit === 'string' && explicit.length > 0) return explicit;
  const authorization = request.headers.authorization;
  if (authorization !== undefined && authorization.startsWith('Bearer ')) return authorization.slice(7);
  return undefined;
}

/**
 * Rate limiting per API key when the client sends one, per client address otherwise, as an
 * onRequest hook for the proxy routes (not health or metrics). Keys are hashed so raw secrets
 * never sit in Redis; the hashes of recent keys are remembered, so a client's key is hashed once.
 * A refused request gets 429 with Retry-After and the X-RateLimit-* headers.
 */
export function createRateLimitHook(limiter: RateLimiter, budgets: RateLimitBudgets) {
  const hashedKeys = new Map<string, string>();
  const limitKey = (apiKey: string): string => {
    let hashed = hashedKeys.get(apiKey);
    if (hashed === undefined) {
      hashed = `k:${createHash('sha256').update(apiKey).digest('base64url').slice(0, 22)}`;
      if (hashedKeys.size >= 10_000) hashedKeys.clear();
      hashedKeys.set(apiKey, hashed);
    }
    return hashed;
  };
  const windowSeconds = Math.ceil(budgets.windowMs / 1000);

  const refuse = (reply: FastifyReply, limit: number, resetMs: number, done: (error?: Error) => void) => {
    const seconds = Math.max(1, Math.ceil(resetMs / 1000));
    void reply.header('retry-after', String(seconds)).header('x-ratelimit-limit', String(limit)).header('x-ratelimit-remaining', '0').header('x-ratelimit-reset', String(seconds));
    done(new HttpError(429, ERROR_CODES.RATE_LIMITED, `Rate limit exceeded: ${limit} requests per ${windowSeconds} s; retry in ${seconds} s`));
  };

  return function rateLimitHook(request: FastifyRequest, reply: FastifyReply, done: (error?: Error) => void): void {
    const apiKey = apiKeyOf(request);
    const key = apiKey === undefined ? `a:${request.ip}` : limitKey(apiKey);
    const limit = apiKey === undefined ? budgets.maxPerAddress : budgets.maxPerApiKey;
    const admission = limiter.take(key, limit, Date.now());
    if (admission === true) {
      done();
      return;
    }
    if (typeof admission === 'number') {
      refuse(reply, limit, admission, done);
      return;
    }
    void admission.then((settled: Admission) => (settled === true ? done() : refuse(reply, limit, settled, done)));
  };
}
