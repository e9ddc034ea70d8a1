import { HealthRegistry, createMetrics, serviceFastifyOptions, servicePlugin, toErrorResponse, traceParentOf, type Logger, type ServiceMetrics } from '@codiesvibe/shared';
import { fastify, type FastifyInstance } from 'fastify';
import type { Redis } from 'ioredis';
import type { GatewayConfig } from './config/gateway.config.js';
import { createPeerTrust } from './edge/client-trust.js';
import { createCorsHook } from './edge/cors.hook.js';
import { createRateLimitHook } from './edge/rate-limit.hook.js';
import { RateLimiter } from './edge/rate-limiter.js';
import { redisSharedCounters } from './edge/redis-shared-counters.js';
import { securityHeaders } from './edge/security-headers.js';
import { registerStaticFrontend } from './frontend/static-frontend.plugin.js';
import { describeUpstream } from './health/upstream-check.js';
import { AccessLog, type LineSink } from './observability/access-log.js';
import { registerGatewayMetrics } from './observability/gateway.metrics.js';
import { DefaultResponseHeaders } from './proxy/forward-headers.js';
import { createProxyHandler } from './proxy/proxy.handler.js';
import { generateRequestId, requestContextOf } from './proxy/request-context.js';
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

const PROXIED_METHODS = ['DELETE', 'GET', 'HEAD', 'OPTIONS', 'PATCH', 'POST', 'PUT'];

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
  const table = buildRouteTable(config);
  const isTrustedPeer = createPeerTrust(config.TRUSTED_PROXIES);
  const mode = config.NODE_ENV === 'development' ? 'development' : 'production';
  const security = securityHeaders(mode, 'document');
  const documentDefaults = new DefaultResponseHeaders(security);
  const apiDefaults = new DefaultResponseHeaders(securityHeaders(mode, 'api'));
  const poller = new HealthPoller(
    table.map(({ route, healthPath }) => ({ upstream: route.upstream, healthPath })),
    config.HEALTH_POLL_MS,
  );

  const app = fastify(
    serviceFastifyOptions(logger, {
      genReqId: generateRequestId,
      trustProxy: config.TRUSTED_PROXIES.length > 0 ? config.TRUSTED_PROXIES : false,
      bodyLimit: config.BODY_LIMIT_BYTES,
      exposeHeadRoutes: false,
      return503OnClosing: true,
      // No child logger per request: the proxy logs with explicit request ids, and the kit's
      // routes get theirs from the request context the logger's mixin reads.
      childLoggerFactory: (parent) => parent,
    }),
  );
  const limiter = new RateLimiter({
    windowMs: config.RATE_LIMIT_WINDOW_MS,
    shared: deps.redis ? redisSharedCounters(deps.redis) : undefined,
    maxBatch: config.RATE_LIMIT_SYNC_BATCH,
    syncIntervalMs: config.RATE_LIMIT_SYNC_MS,
    onSharedStateChange: (usable, error) =>
      usable
        ? logger.info('redis is back; rate limits are shared across gateway instances again')
        : logger.warn({ err: error }, 'redis is unreachable; each gateway instance enforces the rate limits on its own until it is back'),
  });
  const accessLog = config.ACCESS_LOG
    ? new AccessLog({ service: 'gateway', env: config.NODE_ENV, instanceId: config.INSTANCE_ID, ...(deps.accessLogSink ? { sink: deps.accessLogSink } : {}) })
    : undefined;

  // Bodies are relayed as bytes, whatever their type; Fastify still enforces BODY_LIMIT_BYTES.
  app.removeAllContentTypeParsers();
  app.addContentTypeParser('*', { parseAs: 'buffer' }, (_request, body, done) => done(null, body));

  // Responses the gateway answers itself (errors, 429, health, static files) get the same headers.
  app.addHook('onSend', (_request, reply, payload, done) => {
    for (const [name, value] of Object.entries(security)) if (!reply.hasHeader(name)) reply.header(name, value);
    done(null, payload);
  });
  if (config.CORS_ORIGINS.length > 0) app.addHook('onRequest', createCorsHook(config.CORS_ORIGINS));

  // The proxy routes live in their own context, without the service kit's per-request hooks: the
  // proxy records its own metrics and access log (with the upstream's real status, which the kit
  // cannot see on a hijacked reply) at a fraction of the cost.
  void app.register((scope, _options, registered) => {
    scope.setErrorHandler((error, request, reply) => {
      const response = toErrorResponse(error, request.id);
      if (response.serverFault) request.log.error({ err: error, requestId: request.id }, 'request failed');
      return reply.code(response.statusCode).type('application/json; charset=utf-8').send(response.body);
    });
    scope.addHook(
      'onRequest',
      createRateLimitHook(limiter, { maxPerAddress: config.RATE_LIMIT_MAX, maxPerApiKey: config.RATE_LIMIT_KEY_MAX, windowMs: config.RATE_LIMIT_WINDOW_MS }),
    );
    for (const { route, paths } of table) {
      if (accessLog !== undefined) route.accessLog = accessLog;
      const defaults = route.name === 'frontend' ? documentDefaults : apiDefaults;
      const handler = createProxyHandler(route, { defaults, isTrustedPeer, traceparentOf: (request) => traceParentOf(requestContextOf(request.raw)) });
      for (const url of paths) scope.route({ method: PROXIED_METHODS, url, handler });
    }
    registered();
  });
  // The kit lives in its own context too: its hooks cover its routes (health, metrics) and the
  // static frontend, never the proxy routes above.
  void app.register(async (kitScope) => {
    await kitScope.register(servicePlugin, {
      service: 'gateway',
      instanceId: config.INSTANCE_ID,
      health,
      metrics,
      notFoundHandler: config.FRONTEND_DIR === undefined,
    });
    if (config.FRONTEND_DIR !== undefined) registerStaticFrontend(kitScope, config.FRONTEND_DIR);
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
