import { createLogger, createMetrics, createShutdown, HealthRegistry, withoutVariable } from '@codiesvibe/shared';
import { buildApp } from './app.js';
import { readGatewayConfig } from './config/gateway.config.js';

const config = readGatewayConfig();
const logger = createLogger({ service: 'gateway', env: config.NODE_ENV, instanceId: config.INSTANCE_ID, level: config.LOG_LEVEL });
const health = new HealthRegistry();
const metrics = createMetrics({ service: 'gateway', instanceId: config.INSTANCE_ID });
const shutdown = createShutdown({ logger, graceMs: config.SHUTDOWN_GRACE_MS, onStart: () => health.markDraining() });

// Fail fast and quietly while Redis is away: the limiter then decides alone rather than wait.
// ioredis is loaded only when used (about 2 MiB of heap).
const redis = config.REDIS_URL
  ? new (await import('ioredis')).Redis(config.REDIS_URL, { lazyConnect: true, enableOfflineQueue: false, maxRetriesPerRequest: 1, connectTimeout: 2_000, commandTimeout: 1_000 })
  : undefined;
redis?.on('error', (error: Error) => logger.debug({ err: error }, 'redis error'));
if (!redis) logger.info(`${withoutVariable(config, 'REDIS_URL')}: rate limits are counted in this process only`);

const app = buildApp({ config, logger, health, metrics, ...(redis ? { redis } : {}) });
try {
  await app.listen({ port: config.PORT, host: config.HOST });
} catch (error) {
  logger.fatal({ err: error }, `cannot listen on ${config.HOST}:${config.PORT}: ${(error as Error).message}`);
  process.exit(1);
}
logger.info(
  { port: config.PORT, rateLimitStore: redis ? 'redis' : 'memory', frontend: config.FRONTEND_DIR ?? config.FRONTEND_UPSTREAM.map(String).join(',') },
  'gateway listening',
);
// Registered last so it closes first: stop accepting, drain in-flight requests, then the pools.
shutdown.add('http', () => app.close());
