import { createLogger, createMetrics, createShutdown, HealthRegistry, withoutVariable } from '@codiesvibe/shared';
import { buildApp, SERVICE_NAME } from './app.js';
import { openResponseCache } from './cache/open-response-cache.js';
import type { Config } from './config.js';
import { loadSeedTools, SEED_VERSION } from './seed/seed-data.js';
import { openToolRepository } from './storage/open-tool-repository.js';

/**
 * Opens the store and the cache, seeds, builds the app and listens; registers everything with an
 * ordered shutdown (SIGTERM/SIGINT). A failed start closes what was opened and exits 1.
 */
export async function start(config: Config): Promise<void> {
  const logger = createLogger({ service: SERVICE_NAME, env: config.NODE_ENV, instanceId: config.INSTANCE_ID, level: config.LOG_LEVEL });
  const health = new HealthRegistry();
  const metrics = createMetrics({ service: SERVICE_NAME, instanceId: config.INSTANCE_ID });
  let startupFailed = false;
  const shutdown = createShutdown({
    logger,
    graceMs: config.SHUTDOWN_GRACE_MS,
    onStart: () => health.markDraining(),
    // A failed start closes what was opened like a shutdown does, but must still exit non-zero.
    exit: (code) => process.exit(startupFailed ? 1 : code),
  });

  try {
    const tools = await openToolRepository(config, logger);
    shutdown.add('tool store', () => tools.close());
    const seeding = await tools.seed(loadSeedTools(), SEED_VERSION);
    logger.info(seeding, seeding.applied ? 'seed data applied' : 'seed data already applied');

    const cache = await openResponseCache(config, logger, tools);
    shutdown.add('cache', () => cache.close());

    health.register(tools.kind, async () => {
      await tools.ping();
    });
    // Without the cache the API still answers from the store: degraded, not down.
    health.register(
      'cache',
      async () => {
        await cache.ping();
        return { details: { kind: cache.kind } };
      },
      { critical: false, timeoutMs: 1000 },
    );
    if (!config.ADMIN_API_KEY) logger.warn(`${withoutVariable(config, 'ADMIN_API_KEY')}: write endpoints answer 401`);

    const app = await buildApp({ logger, health, metrics, instanceId: config.INSTANCE_ID, tools, cache, adminApiKey: config.ADMIN_API_KEY });
    await app.listen({ port: config.PORT, host: config.HOST });
    shutdown.add('http', () => app.close());
    logger.info({ port: config.PORT, host: config.HOST, store: tools.kind, cache: cache.kind }, 'nestjs-api listening');
  } catch (error) {
    startupFailed = true;
    logger.fatal({ err: error }, `nestjs-api failed to start: ${error instanceof Error ? error.message : String(error)}`);
    await shutdown.run('startup failure');
  }
}
