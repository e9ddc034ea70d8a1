import { HealthRegistry, createMetrics, serviceFastifyOptions, servicePlugin, toErrorResponse, traceParentOf, type Logger, type ServiceMetrics } from '@codiesvibe/shared';
import { fastify, type FastifyInstance } from 'fastify';
import type { Redis } from 'ioredis';
import type { GatewayConfig } from './config/gateway.config.js';
import { createPeerTrust } from './edge/client-trust.js';
import { createCorsHook } from './edge/cors.hook.js';
import { registerRateLimit } from './edge/rate-limit.plugin.js';
import { securityHeaders } from './edge/security-headers.js';
import { registerStaticFrontend } from './frontend/static-frontend.plugin.js';
import { describeUpstream } from './health/upstream-check.js';
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
    }),
  );

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
  void app.register(async (scope) => {
    scope.setErrorHandler((error, request, reply) => {
      const response = toErrorResponse(error, request.id);
      if (response.serverFault) request.log.error({ err: error, requestId: request.id }, 'request failed');
      return reply.code(response.statusCode).type('application/json; charset=utf-8').send(response.body);
    });
    await registerRateLimit(scope, {
      maxPerAddress: config.RATE_LIMIT_MAX,
      maxPerApiKey: config.RATE_LIMIT_KEY_MAX,
      windowMs: config.RATE_LIMIT_WINDOW_MS,
      ...(deps.redis ? { redis: deps.redis } : {}),
    });
    for (const { route, paths } of table) {
      if (config.ACCESS_LOG) route.accessLog = logger;
      const defaults = route.name === 'frontend' ? documentDefaults : apiDefaults;
      const handler = createProxyHandler(route, { defaults, isTrustedPeer, traceparentOf: (request) => traceParentOf(requestContextOf(request.raw)) });
      for (const url of paths) scope.route({ method: PROXIED_METHODS, url, handler, config: { rateLimit: {} } });
    }
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
      await deps.redis.connect().catch((error: Error) => logger.warn({ err: error }, 'redis is unreachable; rate limits are not enforced until it is back'));
    }
    // Wait briefly for the first DNS answers, never long: a name that does not resolve yet (a
    // service still starting) must not hold the gateway back; its routes answer 503 meanwhile.
    const resolved = Promise.all(table.map(({ resolver }) => resolver.start()));
    await Promise.race([resolved, new Promise((resolve) => setTimeout(resolve, 1_000).unref())]);
    poller.start();
  });
  app.addHook('onClose', async () => {
    poller.stop();
    for (const { resolver } of table) resolver.stop();
    await Promise.all(table.map(({ route }) => route.upstream.close()));
    if (deps.redis) await deps.redis.quit().catch(() => undefined);
  });
  return app;
}
