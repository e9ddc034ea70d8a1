import type { HealthRegistry, Logger, ServiceMetrics } from '@codiesvibe/shared';
import { McpCandidateSource } from './candidates/mcp.candidate-source.js';
import type { CandidateSource } from './candidates/candidate-source.js';
import type { Config } from './config.js';
import { OllamaClient } from './ollama/ollama.client.js';
import { ToolRanker } from './ranking/tool-ranker.js';
import { AiSearchService, type OllamaPipeline } from './search/ai-search.service.js';
import { EmbeddingScorer } from './search/embedding.scorer.js';
import { OllamaCircuit } from './search/ollama-circuit.js';
import { createSearchMetrics } from './search/search.metrics.js';
import type { SearchStore } from './store/search.store.js';

export { openSearchStore } from './store/open-search-store.js';

/** After an Ollama failure, requests skip it for this long before one tries again. */
const OLLAMA_COOL_DOWN_MS = 30_000;

/** The production candidate source: mcp-server over MCP Streamable HTTP. */
export function createMcpCandidateSource(
  config: Pick<Config, 'MCP_SERVER_URL' | 'MCP_TIMEOUT_MS'>,
): McpCandidateSource {
  return new McpCandidateSource({
    url: config.MCP_SERVER_URL,
    requestTimeoutMs: config.MCP_TIMEOUT_MS,
  });
}

/** Ollama with its embedding cache and circuit, or undefined when OLLAMA_URL is unset. */
export function createOllamaPipeline(
  config: Config,
  store: SearchStore,
  logger: Logger,
): OllamaPipeline | undefined {
  if (!config.OLLAMA_URL) return undefined;
  const client = new OllamaClient({
    url: config.OLLAMA_URL,
    chatModel: config.OLLAMA_CHAT_MODEL,
    embedModel: config.OLLAMA_EMBED_MODEL,
    intentTimeoutMs: config.OLLAMA_INTENT_TIMEOUT_MS,
    embedTimeoutMs: config.OLLAMA_EMBED_TIMEOUT_MS,
    explainTimeoutMs: config.OLLAMA_EXPLAIN_TIMEOUT_MS,
  });
  return {
    client,
    embeddings: new EmbeddingScorer(client, store, logger),
    circuit: new OllamaCircuit(OLLAMA_COOL_DOWN_MS),
  };
}

export interface SearchComponents {
  candidates: CandidateSource;
  store: SearchStore;
  ollama: OllamaPipeline | undefined;
}

/** The search service over its components, with its metrics on the service registry. */
export function createSearchService(
  components: SearchComponents,
  deps: { logger: Logger; metrics: ServiceMetrics; instanceId: string },
): AiSearchService {
  return new AiSearchService({
    candidates: components.candidates,
    ranker: new ToolRanker(),
    store: components.store,
    logger: deps.logger,
    metrics: createSearchMetrics(deps.metrics.registry),
    instanceId: deps.instanceId,
    ...(components.ollama && { ollama: components.ollama }),
  });
}

/** How long a start waits for the warm-up before listening anyway. */
const WARM_UP_BUDGET_MS = 2000;

/**
 * Runs one retrieval and ranking before the service listens (see AiSearchService.warmUp), within
 * a time budget. mcp-server not answering yet is not an error: the first search then connects,
 * as it would have without the warm-up. Resolves with what happened, for the start log.
 */
export async function warmUpSearch(search: AiSearchService): Promise<{ warmed: boolean; ms: number; reason?: string }> {
  const started = performance.now();
  let timer: NodeJS.Timeout | undefined;
  const budget = new Promise<string>((resolve) => {
    timer = setTimeout(() => resolve(`not done within ${WARM_UP_BUDGET_MS} ms`), WARM_UP_BUDGET_MS);
  });
  try {
    const reason = await Promise.race([
      search.warmUp().then(() => undefined),
      budget,
    ]);
    return { warmed: reason === undefined, ms: Math.round(performance.now() - started), ...(reason !== undefined && { reason }) };
  } catch (error) {
    return { warmed: false, ms: Math.round(performance.now() - started), reason: error instanceof Error ? error.message : String(error) };
  } finally {
    clearTimeout(timer);
  }
}

/**
 * Readiness: mcp-server is required (no candidates, no answers). The store and Ollama are
 * reported but not required: search answers without them (embeddings recomputed, log lost,
 * built-in ranker).
 */
export function registerHealthChecks(health: HealthRegistry, components: SearchComponents): void {
  health.register('mcp-server', () => components.candidates.ping());
  health.register(
    'store',
    async () => {
      await components.store.ping();
      return { details: { kind: components.store.kind } };
    },
    { critical: false },
  );
  const { ollama } = components;
  health.register(
    'ollama',
    async () => {
      if (!ollama) return { details: { configured: false, mode: 'fallback' } };
      const status = await ollama.client.status();
      if (!status.reachable)
        throw new Error(`unreachable (${status.error ?? 'no answer'}); answering with the built-in ranker`);
      const missing = [status.chatModel, status.embedModel]
        .filter((model) => !model.available)
        .map((model) => model.name);
      if (missing.length > 0)
        throw new Error(`model(s) not pulled: ${missing.join(', ')}; answering with the built-in ranker`);
      return {
        details: {
          configured: true,
          chatModel: status.chatModel.name,
          embedModel: status.embedModel.name,
          circuit: ollama.circuit.state(),
        },
      };
    },
    { critical: false, timeoutMs: 2500 },
  );
}
