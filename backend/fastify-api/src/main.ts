import { runService } from '@codiesvibe/shared';
import { buildApp } from './app.js';
import { readConfig } from './config.js';
import { SERVICE_NAME } from './service-info.js';
import {
  createMcpCandidateSource,
  createOllamaPipeline,
  createSearchService,
  openSearchStore,
  registerHealthChecks,
  warmUpSearch,
} from './service-wiring.js';

const config = readConfig();
await runService({
  service: SERVICE_NAME,
  config,
  async start({ logger, health, metrics, shutdown }) {
    const store = await openSearchStore(config, logger);
    shutdown.add('store', () => store.close());
    const candidates = createMcpCandidateSource(config);
    shutdown.add('mcp-client', () => candidates.close());
    const ollama = createOllamaPipeline(config, store, logger);
    const components = { candidates, store, ollama };
    registerHealthChecks(health, components);

    const search = createSearchService(components, { logger, metrics, instanceId: config.INSTANCE_ID });
    const warmUp = await warmUpSearch(search);
    logger.info(warmUp, warmUp.warmed ? 'search warmed up' : 'search not warmed up; the first search connects');
    const app = buildApp({ logger, health, metrics, instanceId: config.INSTANCE_ID, search });
    return {
      app,
      listening: {
        message: `${SERVICE_NAME} listening on ${config.HOST}:${config.PORT}`,
        fields: {
          store: store.kind,
          mcpServer: config.MCP_SERVER_URL,
          ollama: config.OLLAMA_URL ?? 'off (built-in ranker)',
        },
      },
    };
  },
});
