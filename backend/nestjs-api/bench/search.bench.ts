/**
 * `npm run bench`: throughput of `GET /api/tools?q=...` through the whole API (NestJS, kit hooks,
 * validation, cache), cached and uncached, against a bare Fastify "hello" route measured in the
 * same run. Everything runs in this process on loopback. The targets are measured in interleaved
 * rounds and the median of each is reported, so a load spike on a shared machine hits all of
 * them alike instead of skewing one.
 * Target: the cached search reaches at least 35% of the bare route's requests per second.
 *
 * At scale (issues 12 and 18): for each size of BENCH_STORE_TOOLS (default `10000,100000`), the
 * embedded store on disk filled with the bundled seed and that many synthetic tools, uncached,
 * queried through one replica with a rotating set of realistic `q=` and `q=&category=` searches,
 * and with the facet counts of the same searches plus the unfiltered home page. Targets: p99 at
 * most 50 ms for searches and facets at every size, and at 10,000 tools at least 10% of the bare
 * route's requests per second, in the same run.
 *
 * BENCH_DURATION (seconds per measurement, default 3), BENCH_ROUNDS (default 3) and
 * BENCH_CONNECTIONS (default 20) tune the run.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import type { AddressInfo } from 'node:net';
import { availableParallelism, loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import autocannon from 'autocannon';
import { fastify } from 'fastify';
import { createLogger, createMetrics, HealthRegistry } from '@codiesvibe/shared';
import { findProgram } from '@codiesvibe/shared/testing';
import { buildApp } from '../src/app.js';
import { MemoryResponseCache } from '../src/cache/memory-response-cache.js';
import { RedisResponseCache } from '../src/cache/redis-response-cache.js';
import type { CacheLookup, ResponseCache } from '../src/cache/response-cache.js';
import { loadSeedTools, SEED_VERSION } from '../src/seed/seed-data.js';
import { seedSyntheticStore } from '../src/seed/synthetic-store.js';
import { EmbeddedToolRepository } from '../src/storage/embedded-tool.repository.js';
import { startRedisServer, type RedisServer } from '../test/support/redis-server.js';

const DURATION = Number(process.env.BENCH_DURATION ?? 3);
const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 3);
const CONNECTIONS = Number(process.env.BENCH_CONNECTIONS ?? 20);
const SEARCH_PATH = '/api/tools?q=code+review&limit=20';
const TARGET_RATIO = 0.35;
const STORE_SIZES = (process.env.BENCH_STORE_TOOLS ?? '10000,100000').split(',').map(Number);
if (STORE_SIZES.some((size) => !Number.isInteger(size) || size < 0)) {
  console.error(`BENCH_STORE_TOOLS must be whole numbers separated by commas, got "${process.env.BENCH_STORE_TOOLS}"`);
  process.exit(2);
}
/** The throughput target holds at this size; the p99 target at every size. */
const SCALE_RATIO_SIZE = 10_000;
const SCALE_P99_TARGET_MS = 50;
const SCALE_RATIO_TARGET = 0.1;
/** Searches a visitor types, with and without a category filter; rotated per request. */
const SCALE_PATHS = [
  '/api/tools?q=code+review&limit=20',
  '/api/tools?q=test+generation&limit=20',
  '/api/tools?q=kubernetes&limit=20',
  '/api/tools?q=autocomplete&category=code-completion&limit=20',
  '/api/tools?q=vulnerabilities&category=security&limit=20',
  '/api/tools?q=agent+pull+requests&category=coding-agent&limit=20',
  '/api/tools?q=local+llm&limit=20',
  '/api/tools?q=docs&category=documentation&limit=20',
];
/** The facet counts of the same searches, and of the home page (no filter). */
const FACET_PATHS = ['/api/tools/facets', ...SCALE_PATHS.map((path) => path.replace('/api/tools?', '/api/tools/facets?').replace('&limit=20', ''))];

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

interface Target {
  name: string;
  url: string;
  /** Paths rotated over the requests (the url's own path when absent). */
  paths?: string[];
  close: () => Promise<void>;
}

interface Sample {
  requestsPerSecond: number;
  p50: number;
  p99: number;
  errors: number;
}

const logger = createLogger({ service: 'nestjs-api', env: 'test', instanceId: 'bench', level: 'silent' });

async function apiTarget(name: string, cache: ResponseCache, scale?: { dataDir: string; paths: string[] }): Promise<Target> {
  const tools = await EmbeddedToolRepository.open(scale ? { dataDir: scale.dataDir } : {});
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
  const { port } = app.getHttpServer().address() as AddressInfo;
  return {
    name,
    url: `http://127.0.0.1:${port}${SEARCH_PATH}`,
    ...(scale && { paths: scale.paths }),
    async close() {
      await app.close();
      await cache.close();
      await tools.close();
    },
  };
}

async function bareTarget(): Promise<Target> {
  const app = fastify({ logger: false });
  app.get('/hello', () => ({ hello: 'world' }));
  await app.listen({ port: 0, host: '127.0.0.1' });
  const { port } = app.server.address() as AddressInfo;
  return { name: 'bare fastify GET /hello', url: `http://127.0.0.1:${port}/hello`, close: () => app.close() };
}

async function sample(target: Target, duration: number): Promise<Sample> {
  const requests = target.paths?.map((path) => ({ method: 'GET' as const, path }));
  const result = await autocannon({ url: target.url, connections: CONNECTIONS, duration, ...(requests && { requests }) });
  return { requestsPerSecond: result.requests.average, p50: result.latency.p50, p99: result.latency.p99, errors: result.errors + result.non2xx };
}

const median = (values: number[]): number => {
  const sorted = [...values].sort((a, b) => a - b);
  const middle = Math.floor(sorted.length / 2);
  return sorted.length % 2 === 1 ? (sorted[middle] ?? 0) : ((sorted[middle - 1] ?? 0) + (sorted[middle] ?? 0)) / 2;
};

const targets: Target[] = [await bareTarget(), await apiTarget('search, cached (in-process LRU)', new MemoryResponseCache({ ttlSeconds: 600 }))];
let redis: RedisServer | undefined;
const redisProgram = findProgram('redis-server');
if (redisProgram) {
  redis = await startRedisServer(redisProgram);
  const cache = new RedisResponseCache({ url: redis.url, ttlSeconds: 600, logger, prefix: 'bench' });
  await cache.connect();
  targets.push(await apiTarget('search, cached (Redis)', cache));
} else {
  console.warn('SKIPPED: Redis-cached run (redis-server is not installed)');
}
targets.push(await apiTarget('search, uncached (embedded store)', new NoCache()));
interface ScaleRun {
  tools: number;
  search: Target;
  facets: Target;
  dataDir: string;
}
const scaleRuns: ScaleRun[] = [];
for (const size of STORE_SIZES) {
  const dataDir = await mkdtemp(join(tmpdir(), 'nestjs-api-bench-store-'));
  const seeding = performance.now();
  const store = await seedSyntheticStore({ dataDir, count: size });
  process.stderr.write(`store of ${store.total} tools filled in ${Math.round(performance.now() - seeding)} ms\n`);
  const search = await apiTarget(`search, uncached, ${store.total} tools (embedded store on disk)`, new NoCache(), { dataDir, paths: SCALE_PATHS });
  // The facets run reuses the search run's store and process: one replica answers both.
  const facets: Target = { ...search, name: `facets, uncached, ${store.total} tools`, paths: FACET_PATHS, close: () => Promise.resolve() };
  scaleRuns.push({ tools: store.total, search, facets, dataDir });
  targets.push(search, facets);
}

const samples = new Map<Target, Sample[]>(targets.map((target) => [target, []]));
try {
  // Warm-up: JIT, caches, connection pools.
  for (const target of targets) await sample(target, 1);
  for (let round = 1; round <= ROUNDS; round++) {
    process.stderr.write(`round ${round}/${ROUNDS}...\n`);
    for (const target of targets) samples.get(target)?.push(await sample(target, DURATION));
  }
} finally {
  for (const target of targets) await target.close();
  await redis?.stop();
  for (const run of scaleRuns) await rm(run.dataDir, { recursive: true, force: true });
}

const summary = targets.map((target) => {
  const runs = samples.get(target) ?? [];
  return {
    name: target.name,
    requestsPerSecond: median(runs.map((run) => run.requestsPerSecond)),
    p50: median(runs.map((run) => run.p50)),
    p99: median(runs.map((run) => run.p99)),
    errors: runs.reduce((sum, run) => sum + run.errors, 0),
  };
});
const bare = summary[0]?.requestsPerSecond || 1;
console.log(`\nGET ${SEARCH_PATH} (${loadSeedTools().length} tools): median of ${ROUNDS} interleaved ${DURATION}s runs, ${CONNECTIONS} connections\n`);
console.log('| run | req/s | p50 ms | p99 ms | vs bare | errors |');
console.log('|---|---:|---:|---:|---:|---:|');
for (const row of summary) {
  console.log(`| ${row.name} | ${Math.round(row.requestsPerSecond)} | ${row.p50} | ${row.p99} | ${Math.round((row.requestsPerSecond / bare) * 100)}% | ${row.errors} |`);
}
const cached = summary.find((row) => row.name.startsWith('search, cached (in-process'));
const ratio = (cached?.requestsPerSecond ?? 0) / bare;
console.log(`\nTarget: cached search >= ${TARGET_RATIO * 100}% of the bare route: ${ratio >= TARGET_RATIO ? 'met' : 'NOT MET'} (${Math.round(ratio * 100)}%)`);

const verdict = (met: boolean) => (met ? 'PASS' : 'MISSED');
for (const run of scaleRuns) {
  const searchRow = summary.find((row) => row.name === run.search.name);
  const facetsRow = summary.find((row) => row.name === run.facets.name);
  if (!searchRow || !facetsRow) continue;
  const scaleRatio = searchRow.requestsPerSecond / bare;
  console.log(`\nEmbedded store at ${run.tools} tools, uncached, ${SCALE_PATHS.length} rotating searches (q=, q=&category=), one process:`);
  console.log(`  search p99 ${searchRow.p99} ms (target <= ${SCALE_P99_TARGET_MS} ms): ${verdict(searchRow.p99 <= SCALE_P99_TARGET_MS)}`);
  console.log(`  facets p99 ${facetsRow.p99} ms (target <= ${SCALE_P99_TARGET_MS} ms): ${verdict(facetsRow.p99 <= SCALE_P99_TARGET_MS)}`);
  const throughput = `  search ${Math.round(searchRow.requestsPerSecond)} req/s = ${Math.round(scaleRatio * 100)}% of the bare route's ${Math.round(bare)} req/s`;
  console.log(
    run.tools - loadSeedTools().length === SCALE_RATIO_SIZE
      ? `${throughput} (target >= ${SCALE_RATIO_TARGET * 100}%): ${verdict(scaleRatio >= SCALE_RATIO_TARGET)}`
      : `${throughput} (no target at this size)`,
  );
}
console.log(`\nLoad average at the end: ${loadavg().map((value) => value.toFixed(2)).join(' ')} on ${availableParallelism()} cores`);
