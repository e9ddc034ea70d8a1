import type { IncomingMessage, ServerResponse } from 'node:http';
import type { DefaultResponseHeaders } from '../proxy/forward-headers.js';
import type { ProxyHandler } from '../proxy/proxy.handler.js';

/** Methods the proxy routes relay; any other goes to Fastify (and gets its 404). */
const PROXIED_METHODS = new Set(['DELETE', 'GET', 'HEAD', 'OPTIONS', 'PATCH', 'POST', 'PUT']);

/** A path prefix served by a proxy route (`/api` serves `/api` and `/api/...`); `/` serves the rest. */
export interface PrefixRoute {
  prefix: string;
  defaults: DefaultResponseHeaders;
  handler: ProxyHandler;
}

type NamedPrefixRoute = PrefixRoute & { spanRoute: string };

/** `routeName` names the request's span: the route's prefix, never the URL. */
export type Intake = (raw: IncomingMessage, res: ServerResponse, defaults: DefaultResponseHeaders, forward: ProxyHandler, routeName: string) => void;

/**
 * Decides, per raw request, whether a proxy route serves it (and hands it to the intake) or the
 * gateway's own Fastify routes do (health, metrics, the static frontend): returns false for the
 * latter. Matching is by path prefix, on the percent-decoded path as Fastify's router matches,
 * and exact paths registered with Fastify (`ownPaths`), and paths under the static part of its
 * parametric routes (`ownPrefixes`, e.g. `/tools/`), always stay with Fastify.
 */
export function createRequestRouter(routes: readonly PrefixRoute[], ownPaths: ReadonlySet<string>, ownPrefixes: readonly string[], intake: Intake) {
  const prefixed: NamedPrefixRoute[] = routes
    .filter((route) => route.prefix !== '/')
    .map((route) => ({ ...route, spanRoute: `${route.prefix}/*` }));
  const fallback = routes.find((route) => route.prefix === '/');
  return function routeRequest(raw: IncomingMessage, res: ServerResponse): boolean {
    if (!PROXIED_METHODS.has(raw.method!)) return false;
    const url = raw.url ?? '/';
    const queryAt = url.indexOf('?');
    let path = queryAt === -1 ? url : url.slice(0, queryAt);
    if (path.includes('%')) {
      try {
        path = decodeURI(path);
      } catch {
        // A malformed escape: Fastify answers it with 400.
        return false;
      }
    }
    for (const route of prefixed) {
      const prefix = route.prefix;
      if (path.startsWith(prefix) && (path.length === prefix.length || path.charCodeAt(prefix.length) === 47 /* "/" */)) {
        intake(raw, res, route.defaults, route.handler, route.spanRoute);
        return true;
      }
    }
    if (fallback === undefined || ownPaths.has(path)) return false;
    for (const prefix of ownPrefixes) if (path.startsWith(prefix)) return false;
    intake(raw, res, fallback.defaults, fallback.handler, '/*');
    return true;
  };
}
