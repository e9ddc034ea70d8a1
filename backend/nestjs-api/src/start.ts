import { runService, traceMethods, withoutVariable } from '@codiesvibe/shared';
import { buildApp, SERVICE_NAME } from './app.js';
import { openResponseCache } from './cache/open-response-cache.js';
import type { Config } from './config.js';
import { loadSeedTools, SEED_VERSION } from './seed/seed-data.js';
import { openToolRepository } from './storage/open-tool-repository.js';

/**
 * Opens the store and the cache, seeds, builds the app; `runService` listens, shuts down in order
 * on SIGTERM/SIGINT, and turns a failed start into one fatal line and exit 1.
 */
export async function start(config: Config): Promise<void> {
  await runService({
    service: SERVICE_NAME,
    config,
    async start({ logger, health, metrics, shutdown }) {
      const opened = await openToolRepository(config, logger);
      // Each store and cache call is a span when tracing is on (the objects themselves otherwise).
      const tools = traceMethods(opened, opened.kind, { 'db.system': opened.kind === 'mongodb' ? 'mongodb' : 'sqlite' });
      shutdown.add('tool store', () => tools.close());
      const seeding = await tools.seed(loadSeedTools(), SEED_VERSION);
      logger.info(seeding, seeding.applied ? 'seed data applied' : 'seed data already applied');
      if (opened.warmUp) {
        // Before listening, so the first search does not pay for building the search index.
        const warming = performance.now();
        const indexed = await opened.warmUp();
        logger.info({ tools: indexed, ms: Math.round(performance.now() - warming) }, 'search index built');
      }

      // Redis calls are spans; the in-process cache's are not: a lookup there is a map read of a
      // microsecond or so (plus one counter read of the untraced store, to see other replicas'
      // writes), and a span for it cost more than the lookup itself on every request.
      const openedCache = await openResponseCache(config, logger, opened);
      const cache = openedCache.kind === 'redis' ? traceMethods(openedCache, 'cache redis', { 'db.system': 'redis' }) : openedCache;
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
      return {
        app,
        listening: { message: 'nestjs-api listening', fields: { port: config.PORT, host: config.HOST, store: tools.kind, cache: cache.kind } },
      };
    },
  });
}
