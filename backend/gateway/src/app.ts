import { createServer, type ServerOptions } from 'node:http';
import { HealthRegistry, createMetrics, serviceFastifyOptions, servicePlugin, type Logger, type ServiceMetrics } from '@codiesvibe/shared';
import { fastify, type FastifyInstance } from 'fastify';
import type { Redis } from 'ioredis';
import type { GatewayConfig } from './config/gateway.config.js';
import { createClientTrust } from './edge/client-trust.js';
import { createCorsHook, createCorsPolicy } from './edge/cors.hook.js';
import { createRateLimitClients } from './edge/rate-limit-client.js';
import { RateLimiter } from './edge/rate-limiter.js';
import { createRequestIntake } from './edge/request-intake.js';
import { redisSharedCounters } from './edge/redis-shared-counters.js';
import { securityHeaders } from './edge/security-headers.js';
import { registerStaticFrontend } from './frontend/static-frontend.plugin.js';
import { DirectoryReader, fileTemplate, upstreamTemplate } from './pages/page-sources.js';
import { registerSeoPages } from './pages/seo-pages.plugin.js';
import { describeUpstream } from './health/upstream-check.js';
import { AccessLog, type LineSink } from './observability/access-log.js';
import { registerGatewayMetrics } from './observability/gateway.metrics.js';
import { DefaultResponseHeaders } from './proxy/forward-headers.js';
import { createProxyHandler } from './proxy/proxy.handler.js';
import { createRequestRouter } from './routing/request-router.js';
import { buildRouteTable } from './routing/route-table.js';
import { HealthPoller } from './upstream/health-poller.js';

export interface GatewayDeps {
  config: GatewayConfig;
  logger: Logger;
  health?: HealthRegistry;
  metrics?: ServiceMetrics;
  /** Shared rate-limit counters (REDIS_URL); the app connects it when ready and quits it on close. */
  redis?: Redis;
  /** Where access lines go when ACCESS_LOG is on; stdout unless told (tests read them back). */
  accessLogSink?: LineSink;
}

/**
 * Builds the gateway (never listens): the service kit (request ids, traces, health, metrics,
 * errors), the edge duties (CORS, rate limit, security headers, body limit, client trust) and
 * one proxy route per upstream. Upstream names are resolved and health polling starts when the
 * app is ready; both stop, and every upstream pool closes, when it closes.
 */
export function buildApp(deps: GatewayDeps): FastifyInstance {
  const { config, logger } = deps;
  const health = deps.health ?? new HealthRegistry();
  const metrics = deps.metrics ?? createMetrics({ service: 'gateway', instanceId: config.INSTANCE_ID });
  const table = buildRouteTable(config, (message) => logger.warn(message));
  const trust = createClientTrust(config.TRUSTED_PROXIES);
  const mode = config.NODE_ENV === 'development' ? 'development' : 'production';
  const security = securityHeaders(mode, 'document');
  const documentDefaults = new DefaultResponseHeaders(security);
  const apiDefaults = new DefaultResponseHeaders(securityHeaders(mode, 'api'));
  const poller = new HealthPoller(
    table.map(({ route, healthPath }) => ({ upstream: route.upstream, healthPath })),
    config.HEALTH_POLL_MS,
  );

  const limiter = new RateLimiter({
    windowMs: config.RATE_LIMIT_WINDOW_MS,
    shared: deps.redis ? redisSharedCounters(deps.redis) : undefined,
    maxBatch: config.RATE_LIMIT_SYNC_BATCH,
    syncIntervalMs: config.RATE_LIMIT_SYNC_MS,
    syncTimeoutMs: config.RATE_LIMIT_SYNC_TIMEOUT_MS,
    onSharedStateChange: (usable, error) =>
      usable
        ? logger.info('redis is back; rate limits are shared across gateway instances again')
        : logger.warn({ err: error }, 'redis is unreachable; each gateway instance enforces the rate limits on its own until it is back'),
  });
  const accessLog = config.ACCESS_LOG
    ? new AccessLog({ service: 'gateway', env: config.NODE_ENV, instanceId: config.INSTANCE_ID, ...(deps.accessLogSink ? { sink: deps.accessLogSink } : {}) })
    : undefined;

  // The proxy routes bypass Fastify: a router on the raw server hands them to the intake (request
  // id, CORS, rate limit, body) and then to their route's handler, which records its own metrics
  // and access log with the upstream's real status. Fastify serves the rest (health, metrics, the
  // static frontend): the paths it registers are collected so the catch-all frontend route
  // never shadows them.
  let draining = false;
  const ownPaths = new Set<string>();
  const ownPrefixes: string[] = [];
  const routeRequest = createRequestRouter(
    table.map(({ route, prefix }) => {
      if (accessLog !== undefined) route.accessLog = accessLog;
      const defaults = route.name === 'frontend' ? documentDefaults : apiDefaults;
      return { prefix, defaults, handler: createProxyHandler(route, defaults) };
    }),
    ownPaths,
    ownPrefixes,
    createRequestIntake({
      trust,
      cors: config.CORS_ORIGINS.length > 0 ? createCorsPolicy(config.CORS_ORIGINS) : undefined,
      limiter,
      rateLimitClientOf: createRateLimitClients({ maxPerAddress: config.RATE_LIMIT_MAX, maxPerApiKey: config.RATE_LIMIT_KEY_MAX }),
      bodyLimitBytes: config.BODY_LIMIT_BYTES,
      logger,
      isDraining: () => draining,
    }),
  );

  const app = fastify(
    serviceFastifyOptions(logger, {
      trustProxy: config.TRUSTED_PROXIES.length > 0 ? config.TRUSTED_PROXIES : false,
      bodyLimit: config.BODY_LIMIT_BYTES,
      exposeHeadRoutes: false,
      return503OnClosing: true,
      serverFactory: (fastifyHandler, options) => {
        const settings = options as { http?: ServerOptions; keepAliveTimeout?: number; requestTimeout?: number; connectionTimeout?: number };
        const server = createServer(settings.http ?? {}, (raw, res) => {
          if (!routeRequest(raw, res)) fastifyHandler(raw, res);
        });
        // What Fastify sets on a server it creates itself.
        server.keepAliveTimeout = settings.keepAliveTimeout ?? 72_000;
        server.requestTimeout = settings.requestTimeout ?? 0;
        server.setTimeout(settings.connectionTimeout ?? 0);
        return server;
      },
    }),
  );
  app.addHook('onRoute', (route) => {
    if (!route.url.includes('*') && !route.url.includes(':')) ownPaths.add(route.url);
    // A route with a parameter (`/tools/:slug`) keeps its static part: the frontend catch-all must not take it.
    else if (!route.url.includes('*')) ownPrefixes.push(route.url.slice(0, route.url.indexOf(':')));
  });
  app.addHook('preClose', (done) => {
    draining = true;
    done();
  });

  // Responses the gateway answers itself (errors, health, static files) get the same headers.
  app.addHook('onSend', (_request, reply, payload, done) => {
    for (const [name, value] of Object.entries(security)) if (!reply.hasHeader(name)) reply.header(name, value);
    done(null, payload);
  });
  if (config.CORS_ORIGINS.length > 0) app.addHook('onRequest', createCorsHook(config.CORS_ORIGINS));

  // The kit lives in its own context too: its hooks cover its routes (health, metrics) and the
  // static frontend; the proxy routes never reach Fastify.
  void app.register(async (kitScope) => {
    await kitScope.register(servicePlugin, {
      service: 'gateway',
      instanceId: config.INSTANCE_ID,
      health,
      metrics,
      notFoundHandler: config.FRONTEND_DIR === undefined,
    });
    if (config.FRONTEND_DIR !== undefined) registerStaticFrontend(kitScope, config.FRONTEND_DIR);
    const frontendRoute = table.find(({ route }) => route.name === 'frontend')?.route;
    const apiRoute = table.find(({ route }) => route.name === 'api')!.route;
    registerSeoPages(kitScope, {
      template:
        config.FRONTEND_DIR !== undefined || frontendRoute === undefined
          ? fileTemplate(config.FRONTEND_DIR ?? '')
          : upstreamTemplate(frontendRoute.upstream, config.FRONTEND_UPSTREAM[0], config.FRONTEND_TIMEOUT_MS),
      directory: new DirectoryReader(apiRoute.upstream, config.API_UPSTREAM[0], config.API_TIMEOUT_MS),
      publicUrl: config.PUBLIC_URL === undefined ? undefined : new URL(config.PUBLIC_URL),
      logger,
    });
  });

  // Readiness follows the dependency matrix: the gateway needs nestjs-api and fastify-api. The
  // frontend starts after the gateway (and mcp-server is optional), so those only degrade it;
  // making them critical would deadlock a start in dependency order.
  for (const { route } of table) {
    const critical = route.name === 'api' || route.name === 'ai';
    health.register(`upstream:${route.upstream.name}`, () => describeUpstream(route.upstream), { timeoutMs: 500, critical });
  }
  registerGatewayMetrics(
    metrics.registry,
    table.map(({ route }) => route.stats),
  );

  app.addHook('onReady', async () => {
    if (deps.redis && deps.redis.status === 'wait') {
      await deps.redis.connect().catch((error: Error) => logger.warn({ err: error }, 'redis is unreachable; each gateway instance enforces the rate limits on its own until it is back'));
    }
    // Wait briefly for the first DNS answers, never long: a name that does not resolve yet (a
    // service still starting) must not hold the gateway back; its routes answer 503 meanwhile.
    const resolved = Promise.all(table.map(({ resolver }) => resolver.start()));
    await Promise.race([resolved, new Promise((resolve) => setTimeout(resolve, 1_000).unref())]);
    poller.start();
  });
  app.addHook('onClose', async () => {
    limiter.close();
    accessLog?.close();
    poller.stop();
    for (const { resolver } of table) resolver.stop();
    await Promise.all(table.map(({ route }) => route.upstream.close()));
    if (deps.redis) await deps.redis.quit().catch(() => undefined);
  });
  return app;
}
