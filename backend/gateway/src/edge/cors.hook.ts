import type { FastifyReply, FastifyRequest } from 'fastify';

const ALLOWED_METHODS = 'GET, HEAD, POST, PUT, PATCH, DELETE, OPTIONS';
const EXPOSED_HEADERS = 'x-request-id, retry-after, x-ratelimit-limit, x-ratelimit-remaining, x-ratelimit-reset, mcp-session-id';

/** What CORS adds to one request's answer: headers as [name, value, ...], and whether it is a preflight to answer here. */
export interface CorsAnswer {
  headers: string[];
  preflight: boolean;
}

/**
 * CORS for the origins in CORS_ORIGINS (`*` allows any origin, without credentials). Returns
 * undefined for requests without an allowed Origin (same origin, servers: one property read).
 * Preflights are answered by the gateway and never reach an upstream.
 */
export function createCorsPolicy(origins: readonly string[]) {
  const anyOrigin = origins.includes('*');
  const allowed = new Set(origins);
  return function corsFor(origin: string | undefined, method: string, preflightMethod: string | undefined, requestedHeaders: string | undefined): CorsAnswer | undefined {
    // A same-origin request may still carry Origin (e.g. a POST from our own page).
    if (origin === undefined || (!anyOrigin && !allowed.has(origin))) return undefined;
    const headers = ['access-control-allow-origin', anyOrigin ? '*' : origin];
    if (!anyOrigin) headers.push('access-control-allow-credentials', 'true');
    headers.push('vary', 'Origin');
    if (method === 'OPTIONS' && preflightMethod !== undefined) {
      headers.push('access-control-allow-methods', ALLOWED_METHODS);
      if (requestedHeaders !== undefined) headers.push('access-control-allow-headers', requestedHeaders);
      headers.push('access-control-max-age', '600');
      return { headers, preflight: true };
    }
    headers.push('access-control-expose-headers', EXPOSED_HEADERS);
    return { headers, preflight: false };
  };
}

/** The same policy as a Fastify onRequest hook, for the routes the gateway serves itself. */
export function createCorsHook(origins: readonly string[]) {
  const corsFor = createCorsPolicy(origins);
  return function corsHook(request: FastifyRequest, reply: FastifyReply, done: () => void): void {
    const headers = request.headers;
    const answer = corsFor(headers.origin, request.method, headers['access-control-request-method'], headers['access-control-request-headers']);
    if (answer === undefined) return done();
    for (let index = 0; index < answer.headers.length; index += 2) void reply.header(answer.headers[index]!, answer.headers[index + 1]!);
    if (answer.preflight) {
      void reply.code(204).send();
      return;
    }
    done();
  };
}
