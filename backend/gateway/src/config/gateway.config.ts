import { isIP } from 'node:net';
import { baseServiceEnv, env, loadConfig } from '@codiesvibe/shared';
import { z } from 'zod';

/*
 * The gateway's environment, validated once at start. Every variable has a default that matches
 * the Compose service names, so only native mode and tests need to set the upstreams.
 */

/** `http://name:port` (resolved to every address) or a comma-separated static list of URLs. */
const upstreamList = z.string().transform((value, context) => {
      const items = value
        .split(',')
        .map((item) => item.trim())
        .filter((item) => item.length > 0);
      if (items.length === 0) {
        context.addIssue({ code: 'custom', message: 'is an empty list of URLs' });
        return z.NEVER;
      }
      const urls: URL[] = [];
      for (const item of items) {
        const candidate = URL.canParse(item) ? new URL(item) : undefined;
        if (candidate === undefined || candidate.protocol !== 'http:' || candidate.pathname !== '/' || candidate.search !== '') {
          context.addIssue({ code: 'custom', message: `has "${item}"; expected http://host:port without a path` });
          return z.NEVER;
        }
        urls.push(candidate);
      }
      return urls;
    });
const upstream = (fallback: string) => z.string().default(fallback).pipe(upstreamList);

/** The variables an UPSTREAMS_FILE may override: the balanced upstreams. */
export const UPSTREAM_VARIABLES = ['API_UPSTREAM', 'AI_UPSTREAM', 'MCP_UPSTREAM', 'FRONTEND_UPSTREAM'] as const;
export type UpstreamVariable = (typeof UPSTREAM_VARIABLES)[number];

/**
 * An UPSTREAMS_FILE's text: a JSON object of upstream variables, each valued as in the
 * environment (`{"API_UPSTREAM": "http://127.0.0.1:4101,http://127.0.0.1:4102"}`).
 * @throws Error with a one-line reason when it is not.
 */
export function parseUpstreamsFile(text: string): Partial<Record<UpstreamVariable, URL[]>> {
  const parsed = z.partialRecord(z.enum(UPSTREAM_VARIABLES), upstreamList).safeParse(JSON.parse(text));
  if (!parsed.success) throw new Error(parsed.error.issues.map((issue) => `${issue.path.join('.') || 'the file'} ${issue.message}`).join('; '));
  return parsed.data;
}

const PROXY_NAMES = new Set(['loopback', 'linklocal', 'uniquelocal']);

/** TRUSTED_PROXIES: IPs, CIDR ranges, or proxy-addr's names for whole address classes. */
const trustedProxies = env
  .list()
  .refine(
    (entries) =>
      entries.every((entry) => {
        const [address = '', bits] = entry.split('/');
        return PROXY_NAMES.has(entry) || (isIP(address) !== 0 && (bits === undefined || /^\d{1,3}$/.test(bits)));
      }),
    'has an entry that is not an IP, a CIDR range, or loopback/linklocal/uniquelocal',
  )
  .default([]);

export const gatewayEnvSchema = z.object({
  ...baseServiceEnv(4000),
  API_UPSTREAM: upstream('http://nestjs-api:4001'),
  AI_UPSTREAM: upstream('http://fastify-api:4002'),
  MCP_UPSTREAM: upstream('http://mcp-server:3001'),
  FRONTEND_UPSTREAM: upstream('http://frontend:3000'),
  /**
   * A JSON file of upstream variables that wins over the environment's and is read again when it
   * changes: how a native deploy moves replicas in and out of the gateway's upstream set.
   */
  UPSTREAMS_FILE: z.string().trim().min(1).optional(),
  /** Built frontend to serve directly (native mode, no nginx); wins over FRONTEND_UPSTREAM. */
  FRONTEND_DIR: z.string().trim().min(1).optional(),
  /** The site's public origin (https://codiesvibe.example) for canonical URLs, the sitemap and robots.txt; unset: the request's. */
  PUBLIC_URL: env.url(['http', 'https']).optional(),
  REDIS_URL: env.url(['redis', 'rediss']).optional(),
  TRUSTED_PROXIES: trustedProxies,
  CORS_ORIGINS: env.list().default([]),
  BODY_LIMIT_BYTES: env.positiveInt(1_048_576),
  RATE_LIMIT_MAX: env.positiveInt(600),
  RATE_LIMIT_KEY_MAX: env.positiveInt(3_000),
  RATE_LIMIT_WINDOW_MS: env.positiveInt(60_000),
  /** How often each instance pushes its admissions to Redis and learns the shared counts. */
  RATE_LIMIT_SYNC_MS: env.positiveInt(100),
  /** Most admissions per client an instance makes before Redis acknowledges them (bounds over-admission). */
  RATE_LIMIT_SYNC_BATCH: env.positiveInt(1_000),
  /** Longest wait for Redis before an instance enforces the limits on its own (degraded). */
  RATE_LIMIT_SYNC_TIMEOUT_MS: env.positiveInt(250),
  API_TIMEOUT_MS: env.positiveInt(10_000),
  AI_TIMEOUT_MS: env.positiveInt(60_000),
  MCP_TIMEOUT_MS: env.positiveInt(30_000),
  FRONTEND_TIMEOUT_MS: env.positiveInt(10_000),
  UPSTREAM_CONNECTIONS: env.positiveInt(256),
  DNS_REFRESH_MS: env.positiveInt(5_000),
  HEALTH_POLL_MS: env.positiveInt(5_000),
  EJECT_AFTER_FAILURES: env.positiveInt(5),
  EJECT_COOLDOWN_MS: env.positiveInt(10_000),
  BREAKER_FAILURES: env.positiveInt(20),
  BREAKER_COOLDOWN_MS: env.positiveInt(10_000),
  /** One log line per proxied request; on by default in staging and production. */
  ACCESS_LOG: env.boolean().optional(),
});

export type GatewayConfig = Omit<z.output<typeof gatewayEnvSchema>, 'ACCESS_LOG'> & { ACCESS_LOG: boolean };

/**
 * Reads and validates the gateway's environment. By default prints one line per bad variable
 * and exits 1; `onError: 'throw'` throws a ConfigError instead (tests).
 */
export function readGatewayConfig(environment: Record<string, string | undefined> = process.env, onError: 'exit' | 'throw' = 'exit'): GatewayConfig {
  // REDIS_URL: rate limits shared by every gateway instance. Only development may fall back to
  // per-process limits silently; staging and production need it or CODIESVIBE_EMBEDDED=REDIS_URL.
  const config = loadConfig(gatewayEnvSchema, { env: environment, service: 'gateway', onError, requiredInProduction: ['REDIS_URL'] });
  return { ...config, ACCESS_LOG: config.ACCESS_LOG ?? (config.NODE_ENV === 'staging' || config.NODE_ENV === 'production') };
}
