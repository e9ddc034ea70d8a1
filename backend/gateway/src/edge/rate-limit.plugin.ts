import { createHash } from 'node:crypto';
import rateLimit from '@fastify/rate-limit';
import type { FastifyInstance, FastifyRequest } from 'fastify';
import type { Redis } from 'ioredis';
import { ERROR_CODES, HttpError } from '@codiesvibe/shared';

export interface RateLimitSettings {
  /** Requests per window for a client identified by its address. */
  maxPerAddress: number;
  /** Requests per window for a client identified by an API key. */
  maxPerApiKey: number;
  windowMs: number;
  /** Shared counters across gateway instances; in-process counters when absent. */
  redis?: Redis;
}

/**
 * The API key of a request (`x-api-key`, or a bearer token), hashed so raw secrets never sit in
 * Redis; undefined for anonymous clients.
 */
function apiKeyOf(request: FastifyRequest): string | undefined {
  const explicit = request.headers['x-api-key'];
  if (typeof explicit === 'string' && explicit.length > 0) return explicit;
  const authorization = request.headers.authorization;
  if (authorization !== undefined && authorization.startsWith('Bearer ')) return authorization.slice(7);
  return undefined;
}

/**
 * Rate limiting per API key when the client sends one, per client address otherwise. Only the
 * routes that opt in with `config.rateLimit` are limited (proxied traffic, not health or metrics).
 * If Redis fails, requests pass: the limiter must not take the platform down with it.
 */
export async function registerRateLimit(app: FastifyInstance, settings: RateLimitSettings): Promise<void> {
  await app.register(rateLimit, {
    global: false,
    hook: 'onRequest',
    timeWindow: settings.windowMs,
    max: (_request, key) => (key.charCodeAt(0) === 107 /* "k" */ ? settings.maxPerApiKey : settings.maxPerAddress),
    keyGenerator: (request) => {
      const apiKey = apiKeyOf(request);
      return apiKey === undefined ? `a:${request.ip}` : `k:${createHash('sha256').update(apiKey).digest('base64url').slice(0, 22)}`;
    },
    skipOnError: true,
    // Limits are announced on 429s (with Retry-After), not on every answer: three headers fewer
    // on the hot path.
    addHeadersOnExceeding: { 'x-ratelimit-limit': false, 'x-ratelimit-remaining': false, 'x-ratelimit-reset': false },
    nameSpace: 'codiesvibe-gateway-rl:',
    ...(settings.redis ? { redis: settings.redis } : {}),
    errorResponseBuilder: (_request, context) => new HttpError(429, ERROR_CODES.RATE_LIMITED, `Rate limit exceeded: ${context.max} requests per ${context.after}; retry later`),
  });
}
