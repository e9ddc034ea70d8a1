import type { AddressInfo } from 'node:net';
import { createLogger, createMetrics, HealthRegistry } from '@codiesvibe/shared';
import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import { buildApp } from '../../src/app.js';
import { MemoryResponseCache } from '../../src/cache/memory-response-cache.js';
import { RedisResponseCache } from '../../src/cache/redis-response-cache.js';
import type { ResponseCache } from '../../src/cache/response-cache.js';
import { loadSeedTools, SEED_VERSION } from '../../src/seed/seed-data.js';
import { EmbeddedToolRepository } from '../../src/storage/embedded-tool.repository.js';
import type { ToolRepository } from '../../src/storage/tool.repository.js';

export const ADMIN_KEY = 'test-admin-key-0123456789abcdef';

export interface ApiServerOptions {
  /** Persist the embedded store here; in memory otherwise. */
  dataDir?: string;
  /** Cache in this Redis; in-process otherwise. */
  redisUrl?: string;
  /** `null` starts the API without an admin key (writes disabled). */
  adminApiKey?: string | null;
  /** Share a store between two API instances (replicas). */
  tools?: ToolRepository;
}

/** The API listening on a loopback port, as main.ts wires it but with test resources. */
export interface ApiServer {
  url: string;
  app: NestFastifyApplication;
  tools: ToolRepository;
  cache: ResponseCache;
  health: HealthRegistry;
  close(): Promise<void>;
}

export async function startApiServer(options: ApiServerOptions = {}): Promise<ApiServer> {
  const logger = createLogger({ service: 'nestjs-api', env: 'test', instanceId: 'test', level: 'silent' });
  const ownsTools = options.tools === undefined;
  const tools = options.tools ?? (await EmbeddedToolRepository.open(options.dataDir ? { dataDir: options.dataDir } : {}));
  await tools.seed(loadSeedTools(), SEED_VERSION);
  let cache: ResponseCache;
  if (options.redisUrl) {
    const redis = new RedisResponseCache({ url: options.redisUrl, ttlSeconds: 60, logger, prefix: `test:${process.pid}` });
    await redis.connect();
    cache = redis;
  } else {
    cache = new MemoryResponseCache({ ttlSeconds: 60 });
  }
  const health = new HealthRegistry();
  health.register(tools.kind, () => tools.ping());
  health.register('cache', () => cache.ping(), { critical: false, timeoutMs: 1000 });
  const metrics = createMetrics({ service: 'nestjs-api', instanceId: 'test' });
  const adminApiKey = options.adminApiKey === null ? undefined : (options.adminApiKey ?? ADMIN_KEY);
  const app = await buildApp({ logger, health, metrics, instanceId: 'test', tools, cache, adminApiKey });
  await app.listen({ port: 0, host: '127.0.0.1' });
  const { port } = app.getHttpServer().address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    app,
    tools,
    cache,
    health,
    async close() {
      await app.close();
      await cache.close();
      if (ownsTools) await tools.close();
    },
  };
}
