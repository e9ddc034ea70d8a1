import type { FastifyInstance } from 'fastify';
import type { Tool } from '@codiesvibe/shared/domain';
import { createLogger, createMetrics, HealthRegistry } from '@codiesvibe/shared';
import { buildApp } from '../../src/app.js';
import type { CandidateSource } from '../../src/candidates/candidate-source.js';
import { InMemoryCandidateSource } from '../../src/candidates/in-memory.candidate-source.js';
import { readConfig } from '../../src/config.js';
import { createOllamaPipeline, createSearchService, registerHealthChecks, warmUpSearch } from '../../src/service-wiring.js';
import { EmbeddedSearchStore } from '../../src/store/embedded.search-store.js';
import { loadSeedTools } from './seed-tools.js';

export interface TestService {
  url: string;
  app: FastifyInstance;
  store: EmbeddedSearchStore;
  /** The tools the in-memory candidate source serves; tests may replace entries. */
  tools: Tool[];
  close(): Promise<void>;
}

export interface TestServiceOptions {
  /** Environment on top of the defaults, e.g. OLLAMA_URL of a stand-in. */
  env?: Record<string, string>;
  /** Defaults to the seed data in memory. */
  candidates?: CandidateSource;
  /** Warm up retrieval before listening, as main.ts does (off by default: tests count MCP calls). */
  warmUp?: boolean;
}

/**
 * The service as main.ts wires it (config, store, Ollama pipeline, health, metrics), listening
 * on a free loopback port, with an in-memory store and, unless told, the seed data as candidates.
 */
export async function startTestService(options: TestServiceOptions = {}): Promise<TestService> {
  const config = readConfig({ NODE_ENV: 'test', LOG_LEVEL: 'silent', PORT: '0', ...options.env }, 'throw');
  const logger = createLogger({ service: 'fastify-api', env: 'test', instanceId: 'test', level: 'silent' });
  const health = new HealthRegistry();
  const metrics = createMetrics({ service: 'fastify-api', instanceId: 'test', defaultMetrics: false });
  const store = await EmbeddedSearchStore.open();
  const tools = loadSeedTools();
  const candidates = options.candidates ?? new InMemoryCandidateSource(tools);
  const components = { candidates, store, ollama: createOllamaPipeline(config, store, logger) };
  registerHealthChecks(health, components);
  const search = createSearchService(components, { logger, metrics, instanceId: 'test' });
  if (options.warmUp) await warmUpSearch(search);
  const app = buildApp({ logger, health, metrics, instanceId: 'test', search });
  const address = await app.listen({ port: 0, host: '127.0.0.1' });
  return {
    url: address,
    app,
    store,
    tools,
    async close() {
      await app.close();
      await candidates.close();
      await store.close();
    },
  };
}

/** One server-sent event as received. */
export interface ReceivedEvent {
  event: string;
  data: unknown;
}

/** Reads a whole text/event-stream body into its events. */
export function parseEventStream(body: string): ReceivedEvent[] {
  return body
    .split('\n\n')
    .filter((block) => block.trim().length > 0)
    .map((block) => {
      const lines = block.split('\n');
      const event = lines.find((line) => line.startsWith('event: '))?.slice(7) ?? 'message';
      const data = lines
        .filter((line) => line.startsWith('data: '))
        .map((line) => line.slice(6))
        .join('\n');
      return { event, data: JSON.parse(data) as unknown };
    });
}
