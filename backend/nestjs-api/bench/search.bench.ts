/**
 * `npm run bench`: throughput of `GET /api/tools?q=...` through the whole API (NestJS, kit hooks,
 * validation, cache), cached and uncached, against a bare Fastify "hello" route measured in the
 * same run on the same machine. Everything runs in this process on loopback.
 * Target: the cached search reaches at least 35% of the bare route's requests per second.
 *
 * BENCH_DURATION (seconds, default 5) and BENCH_CONNECTIONS (default 20) tune the run.
 */
import type { AddressInfo } from 'node:net';
import autocannon from 'autocannon';
import { fastify } from 'fastify';
import { createLogger, createMetrics, HealthRegistry } from '@codiesvibe/shared';
import { findProgram } from '@codiesvibe/shared/testing';
import { buildApp } from '../src/app.js';
import { MemoryResponseCache } from '../src/cache/memory-response-cache.js';
import { RedisResponseCache } from '../src/cache/redis-response-cache.js';
import type { CacheLookup, ResponseCache } from '../src/cache/response-cache.js';
import { loadSeedTools, SEED_VERSION } from '../src/seed/seed-data.js';
import { EmbeddedToolRepository } from '../src/storage/embedded-tool.repository.js';
import { startRedisServer, type RedisServer } from '../test/support/redis-server.js';

const DURATION = Number(process.env.BENCH_DURATION ?? 5);
const CONNECTIONS = Number(process.env.BENCH_CONNECTIONS ?? 20);
const SEARCH_PATH = '/api/tools?q=code+review&limit=20';
const TARGET_RATIO = 0.35;

/** A cache that never holds anything: every request goes to the store. */
class NoCache implements ResponseCache {
  readonly kind = 'memory' as const;
  lookup(): Promise<CacheLookup> {
    return Promise.resolve({ generation: undefined, value: undefined });
  }
  store(): Promise<void> {
    return Promise.resolve();
  }
  invalidate(): Promise<void> {
    return Promise.resolve();
  }
  ping(): Promise<void> {
    return Promise.resolve();
  }
  close(): Promise<void> {
    return Promise.resolve();
  }
}

interface Measurement {
  name: string;
  requestsPerSecond: number;
  p50: number;
  p99: number;
  errors: number;
}

async function measure(name: string, url: string): Promise<Measurement> {
  // Warm up: JIT, caches, connection pools.
  await autocannon({ url, connections: CONNECTIONS, duration: 1 });
  const result = await autocannon({ url, connections: CONNECTIONS, duration: DURATION });
  return {
    name,
    requestsPerSecond: result.requests.average,
    p50: result.latency.p50,
    p99: result.latency.p99,
    errors: result.errors + result.non2xx,
  };
}

async function withApi(cache: ResponseCache, run: (baseUrl: string) => Promise<Measurement>): Promise<Measurement> {
  const logger = createLogger({ service: 'nestjs-api', env: 'test', instanceId: 'bench', level: 'silent' });
  const tools = await EmbeddedToolRepository.open();
  await tools.seed(loadSeedTools(), SEED_VERSION);
  const app = await buildApp({
    logger,
    health: new HealthRegistry(),
    metrics: createMetrics({ service: 'nestjs-api', instanceId: 'bench' }),
    instanceId: 'bench',
    tools,
    cache,
  });
  await app.listen({ port: 0, host: '127.0.0.1' });
  try {
    const { port } = app.getHttpServer().address() as AddressInfo;
    return await run(`http://127.0.0.1:${port}`);
  } finally {
    await app.close();
    await cache.close();
    await tools.close();
  }
}

async function bareFastify(): Promise<Measurement> {
  const app = fastify({ logger: false });
  app.get('/hello', () => ({ hello: 'world' }));
  await app.listen({ port: 0, host: '127.0.0.1' });
  try {
    const { port } = app.server.address() as AddressInfo;
    return await measure('bare fastify GET /hello', `http://127.0.0.1:${port}/hello`);
  } finally {
    await app.close();
  }
}

const results: Measurement[] = [];
results.push(await bareFastify());
results.push(await withApi(new MemoryResponseCache({ ttlSeconds: 600 }), (base) => measure('search, cached (in-process LRU)', `${base}${SEARCH_PATH}`)));

const redisProgram = findProgram('redis-server');
let redis: RedisServer | undefined;
if (redisProgram) {
  redis = await startRedisServer(redisProgram);
  const logger = createLogger({ service: 'nestjs-api', env: 'test', instanceId: 'bench', level: 'silent' });
  const cache = new RedisResponseCache({ url: redis.url, ttlSeconds: 600, logger, prefix: 'bench' });
  await cache.connect();
  try {
    results.push(await withApi(cache, (base) => measure('search, cached (Redis)', `${base}${SEARCH_PATH}`)));
  } finally {
    await redis.stop();
  }
} else {
  console.warn('SKIPPED: Redis-cached run (redis-server is not installed)');
}
results.push(await withApi(new NoCache(), (base) => measure('search, uncached (embedded store)', `${base}${SEARCH_PATH}`)));

const bare = results[0]?.requestsPerSecond ?? 1;
console.log(`\nGET ${SEARCH_PATH}: ${DURATION}s per run, ${CONNECTIONS} connections, ${loadSeedTools().length} tools\n`);
console.log('| run | req/s | p50 ms | p99 ms | vs bare | errors |');
console.log('|---|---:|---:|---:|---:|---:|');
for (const result of results) {
  const ratio = `${Math.round((result.requestsPerSecond / bare) * 100)}%`;
  console.log(`| ${result.name} | ${Math.round(result.requestsPerSecond)} | ${result.p50} | ${result.p99} | ${ratio} | ${result.errors} |`);
}
const cached = results.find((result) => result.name.startsWith('search, cached (in-process'));
const ratio = (cached?.requestsPerSecond ?? 0) / bare;
console.log(`\nTarget: cached search >= ${TARGET_RATIO * 100}% of bare: ${ratio >= TARGET_RATIO ? 'met' : 'NOT MET'} (${Math.round(ratio * 100)}%)`);
