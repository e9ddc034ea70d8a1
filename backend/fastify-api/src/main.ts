import { createLogger, createMetrics, createShutdown, HealthRegistry } from '@codiesvibe/shared';
import { buildApp } from './app.js';
import { readConfig } from './config.js';
import { SERVICE_NAME } from './service-info.js';
import {
  createMcpCandidateSource,
  createOllamaPipeline,
  createSearchService,
  openSearchStore,
  registerHealthChecks,
} from './service-wiring.js';

const config = readConfig();
const logger = createLogger({
  service: SERVICE_NAME,
  env: config.NODE_ENV,
  instanceId: config.INSTANCE_ID,
  level: config.LOG_LEVEL,
});
const health = new HealthRegistry();
const metrics = createMetrics({ service: SERVICE_NAME, instanceId: config.INSTANCE_ID });
let failedToStart = false;
const shutdown = createShutdown({
  logger,
  graceMs: config.SHUTDOWN_GRACE_MS,
  onStart: () => health.markDraining(),
  // A failed start closes what was opened like a shutdown does, but must still exit non-zero.
  exit: (code) => process.exit(failedToStart ? 1 : code),
});

try {
  const store = await openSearchStore(config, logger);
  shutdown.add('store', () => store.close());
  const candidates = createMcpCandidateSource(config);
  shutdown.add('mcp-client', () => candidates.close());
  const ollama = createOllamaPipeline(config, store, logger);
  const components = { candidates, store, ollama };
  registerHealthChecks(health, components);

  const search = createSearchService(components, { logger, metrics, instanceId: config.INSTANCE_ID });
  const app = buildApp({ logger, health, metrics, instanceId: config.INSTANCE_ID, search });
  await app.listen({ port: config.PORT, host: config.HOST });
  // Registered last, closed first: stop accepting, let in-flight searches finish.
  shutdown.add('http', () => app.close());
  logger.info(
    {
      store: store.kind,
      mcpServer: config.MCP_SERVER_URL,
      ollama: config.OLLAMA_URL ?? 'off (built-in ranker)',
    },
    `${SERVICE_NAME} listening on ${config.HOST}:${config.PORT}`,
  );
} catch (error) {
  failedToStart = true;
  logger.fatal(
    { err: error },
    `${SERVICE_NAME} failed to start: ${error instanceof Error ? error.message : String(error)}`,
  );
  await shutdown.run('startup failure');
}
