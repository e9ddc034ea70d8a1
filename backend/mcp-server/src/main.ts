import { createLogger, createShutdown, HealthRegistry, loadConfig } from '@codiesvibe/shared';
import { buildApp, SERVICE_NAME } from './app.js';
import { httpEnvSchema } from './config/env.schema.js';
import { MCP_PATH } from './http/mcp.routes.js';
import { SERVICE_INFO } from './service-info.js';
import { createToolsApiClient } from './tools-api/tools-api.factory.js';

// The HTTP entry point (`node dist/main.js`): MCP Streamable HTTP at /mcp, for the gateway.
const config = loadConfig(httpEnvSchema, { service: SERVICE_NAME });
const logger = createLogger({
  service: SERVICE_NAME,
  env: config.NODE_ENV,
  instanceId: config.INSTANCE_ID,
  level: config.LOG_LEVEL,
});
const health = new HealthRegistry();
const shutdown = createShutdown({
  logger,
  graceMs: config.SHUTDOWN_GRACE_MS,
  onStart: () => health.markDraining(),
});

const app = buildApp({
  toolsApi: createToolsApiClient(config),
  logger,
  instanceId: config.INSTANCE_ID,
  health,
});
try {
  await app.listen({ port: config.PORT, host: config.HOST });
} catch (error) {
  const reason =
    (error as NodeJS.ErrnoException).code ?? (error instanceof Error ? error.message : String(error));
  logger.fatal({ err: error }, `cannot listen on ${config.HOST}:${config.PORT} (${reason})`);
  process.exit(1);
}
// Registered last so it closes first: stop accepting and drain in-flight MCP calls.
shutdown.add('http', () => app.close());
logger.info(
  { version: SERVICE_INFO.version, toolsApiUrl: config.TOOLS_API_URL, mcpPath: MCP_PATH },
  `${SERVICE_NAME} listening on http://${config.HOST}:${config.PORT}${MCP_PATH}`,
);
