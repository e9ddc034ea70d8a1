import { retireOnSignal, runService, withoutVariable } from '@codiesvibe/shared';
import { buildApp } from './app.js';
import { readGatewayConfig } from './config/gateway.config.js';

const config = readGatewayConfig();
await runService({
  service: 'gateway',
  config,
  async start({ logger, health, metrics, shutdown }) {
    // Fail fast and quietly while Redis is away: the limiter then decides alone rather than wait.
    // ioredis is loaded only when used (about 2 MiB of heap).
    const redis = config.REDIS_URL
      ? new (await import('ioredis')).Redis(config.REDIS_URL, { lazyConnect: true, enableOfflineQueue: false, maxRetriesPerRequest: 1, connectTimeout: 2_000, commandTimeout: 1_000 })
      : undefined;
    redis?.on('error', (error: Error) => logger.debug({ err: error }, 'redis error'));
    if (!redis) logger.info(`${withoutVariable(config, 'REDIS_URL')}: rate limits are counted in this process only`);

    const app = buildApp({ config, logger, health, metrics, ...(redis ? { redis } : {}) });
    // A native deploy sends SIGUSR2 once the switch in front of the gateway has moved to the new
    // release (x-native.retireSignal): the clients' keep-alive connections end between requests.
    const retirement = retireOnSignal(app.server, { logger, signal: 'SIGUSR2' });
    shutdown.add('retirement', () => retirement.dispose());
    return {
      app,
      listening: {
        message: 'gateway listening',
        fields: { port: config.PORT, rateLimitStore: redis ? 'redis' : 'memory', frontend: config.FRONTEND_DIR ?? config.FRONTEND_UPSTREAM.map(String).join(',') },
      },
    };
  },
});
