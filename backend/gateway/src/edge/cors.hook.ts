import type { FastifyReply, FastifyRequest } from 'fastify';

const ALLOWED_METHODS = 'GET, HEAD, POST, PUT, PATCH, DELETE, OPTIONS';
const EXPOSED_HEADERS = 'x-request-id, retry-after, x-ratelimit-limit, x-ratelimit-remaining, x-ratelimit-reset, mcp-session-id';

/**
 * CORS for the origins in CORS_ORIGINS (`*` allows any origin, without credentials). Requests
 * without an Origin header (same origin, servers) cost one property read. Preflights are answered
 * here and never reach an upstream.
 */
export function createCorsHook(origins: readonly string[]) {
  const anyOrigin = origins.includes('*');
  const allowed = new Set(origins);
  return function corsHook(request: FastifyRequest, reply: FastifyReply, done: () => void): void {
    const origin = request.headers.origin;
    if (origin === undefined) return done();
    if (!anyOrigin && !allowed.has(origin)) {
      // A same-origin request may still carry Origin (e.g. a POST from our own page).
      return done();
    }
    reply.header('access-control-allow-origin', anyOrigin ? '*' : origin);
    if (!anyOrigin) reply.header('access-control-allow-credentials', 'true');
    reply.header('vary', 'Origin');
    const preflightMethod = request.headers['access-control-request-method'];
    if (request.method === 'OPTIONS' && preflightMethod !== undefined) {
      reply.header('access-control-allow-methods', ALLOWED_METHODS);
      const requestedHeaders = request.headers['access-control-request-headers'];
      if (requestedHeaders !== undefined) reply.header('access-control-allow-headers', requestedHeaders);
      reply.header('access-control-max-age', '600');
      void reply.code(204).send();
      return;
    }
    reply.header('access-control-expose-headers', EXPOSED_HEADERS);
    done();
  };
}
