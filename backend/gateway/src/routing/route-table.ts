import type { GatewayConfig, UpstreamVariable } from '../config/gateway.config.js';
import { RouteStats } from '../observability/gateway.metrics.js';
import type { ProxyRoute } from '../proxy/proxy-route.js';
import { SessionAffinity } from '../proxy/session-affinity.js';
import { Upstream, type UpstreamPolicy } from '../upstream/upstream.js';
import { UpstreamResolver } from '../upstream/upstream-resolver.js';
import { UpstreamsFile } from '../upstream/upstreams-file.js';

/** A route of the table with the paths it serves and where its replicas come from. */
export interface RouteEntry {
  route: ProxyRoute;
  /** The path prefix it serves (`/api` serves `/api` and `/api/...`); `/` serves every other path. */
  prefix: string;
  resolver: UpstreamResolver;
  /** Polled on every replica by active health checking. */
  healthPath: string;
}

/**
 * The gateway's route table, from config: `/api` → nestjs-api, `/ai` → fastify-api (streams;
 * no idle limit beyond AI_TIMEOUT_MS), `/mcp` → mcp-server (long-lived SSE, sessions pinned to
 * their replica), everything else → the frontend upstream unless FRONTEND_DIR serves it.
 */
export function buildRouteTable(config: GatewayConfig, onFileError: (message: string) => void = () => undefined): RouteEntry[] {
  const file = config.UPSTREAMS_FILE === undefined ? undefined : new UpstreamsFile(config.UPSTREAMS_FILE, onFileError);
  const policy: UpstreamPolicy = {
    ejectAfterFailures: config.EJECT_AFTER_FAILURES,
    ejectCooldownMs: config.EJECT_COOLDOWN_MS,
    breakerFailures: config.BREAKER_FAILURES,
    breakerCooldownMs: config.BREAKER_COOLDOWN_MS,
    pool: { connections: config.UPSTREAM_CONNECTIONS },
  };
  const entry = (name: string, upstreamName: string, variable: UpstreamVariable, prefix: string, timeouts: { headers: number; body: number }, healthPath: string, affinity?: SessionAffinity): RouteEntry => {
    const upstream = new Upstream(upstreamName, policy);
    return {
      route: {
        name,
        upstream,
        stats: new RouteStats(name, upstream),
        headersTimeoutMs: timeouts.headers,
        bodyTimeoutMs: timeouts.body,
        ...(affinity ? { affinity } : {}),
      },
      prefix,
      resolver: new UpstreamResolver(upstream, config[variable], config.DNS_REFRESH_MS, file && { source: file, variable }),
      healthPath,
    };
  };
  const table = [
    entry('api', 'nestjs-api', 'API_UPSTREAM', '/api', { headers: config.API_TIMEOUT_MS, body: config.API_TIMEOUT_MS }, '/health/ready'),
    entry('ai', 'fastify-api', 'AI_UPSTREAM', '/ai', { headers: config.AI_TIMEOUT_MS, body: config.AI_TIMEOUT_MS }, '/health/ready'),
    // An MCP GET stream may stay silent for minutes between server notifications.
    entry('mcp', 'mcp-server', 'MCP_UPSTREAM', '/mcp', { headers: config.MCP_TIMEOUT_MS, body: 0 }, '/health/ready', new SessionAffinity('mcp-session-id')),
  ];
  if (config.FRONTEND_DIR === undefined) {
    // The dev server and the frontend's nginx have no readiness endpoint; their index page is one.
    table.push(entry('frontend', 'frontend', 'FRONTEND_UPSTREAM', '/', { headers: config.FRONTEND_TIMEOUT_MS, body: config.FRONTEND_TIMEOUT_MS }, '/'));
  }
  return table;
}
