import { loadConfig, runService } from '@codiesvibe/shared';
import { buildApp, SERVICE_NAME } from './app.js';
import { httpEnvSchema } from './config/env.schema.js';
import { MCP_PATH } from './http/mcp.routes.js';
import { SERVICE_INFO } from './service-info.js';
import { createToolsApiClient } from './tools-api/tools-api.factory.js';

// The HTTP entry point (`node dist/main.js`): MCP Streamable HTTP at /mcp, for the gateway.
const config = loadConfig(httpEnvSchema, { service: SERVICE_NAME });
await runService({
  service: SERVICE_NAME,
  config,
  start: ({ logger, health, metrics }) => ({
    app: buildApp({ toolsApi: createToolsApiClient(config), logger, instanceId: config.INSTANCE_ID, health, metrics }),
    listening: {
      message: `${SERVICE_NAME} listening on http://${config.HOST}:${config.PORT}${MCP_PATH}`,
      fields: { version: SERVICE_INFO.version, toolsApiUrl: config.TOOLS_API_URL, mcpPath: MCP_PATH },
    },
  }),
});
