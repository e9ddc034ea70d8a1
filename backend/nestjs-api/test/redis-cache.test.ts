import { requireProgram } from '@codiesvibe/shared/testing';
import { createLogger } from '@codiesvibe/shared';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { RedisResponseCache } from '../src/cache/redis-response-cache.js';
import { startRedisServer, type RedisServer } from './support/redis-server.js';

const redisProgram = requireProgram('redis-server');
const logger = createLogger({ service: 'nestjs-api', env: 'test', instanceId: 'test', level: 'silent' });

describe.skipIf(!redisProgram)('RedisResponseCache against a real redis-server', () => {
  let server: RedisServer;
  let cache: RedisResponseCache;
  let dataDir: string;

  beforeAll(async () => {
    dataDir = await mkdtemp(join(tmpdir(), 'nestjs-api-redis-'));
    server = await startRedisServer(redisProgram ?? '', { dataDir });
    cache = new RedisResponseCache({ url: server.url, ttlSeconds: 60, logger, prefix: `test:${process.pid}` });
    await cache.connect();
  });
  afterAll(async () => {
    await cache.close();
    await server.stop();
    await rm(dataDir, { recursive: true, force: true });
  });

  it('misses, stores, hits, and misses again after invalidation', async () => {
    const first = await cache.lookup('list:a');
    expect(first.value).toBeUndefined();
    expect(first.generation).toBeDefined();
    await cache.store(first.generation ?? '', 'list:a', '{"items":[]}');
    expect((await cache.lookup('list:a')).value).toBe('{"items":[]}');
    await cache.invalidate();
    const after = await cache.lookup('list:a');
    expect(after.value).toBeUndefined();
    expect(after.generation).not.toBe(first.generation);
  });

  it('never serves a value computed before an invalidation', async () => {
    const lookup = await cache.lookup('detail:x');
    await cache.invalidate(); // a write lands while the value is being computed
    await cache.store(lookup.generation ?? '', 'detail:x', 'stale');
    expect((await cache.lookup('detail:x')).value).toBeUndefined();
  });

  it('keeps answering while Redis is down and drops entries cached before the outage once it is back', async () => {
    const lookup = await cache.lookup('facets:y');
    await cache.store(lookup.generation ?? '', 'facets:y', 'before-outage');
    await server.stop(); // saves the dataset: the entry survives the restart

    await expect(cache.ping()).rejects.toThrow(/redis is/);
    expect(await cache.lookup('facets:y')).toEqual({ generation: undefined, value: undefined });
    await expect(cache.store('1', 'facets:y', 'v')).resolves.toBeUndefined();
    await expect(cache.invalidate()).resolves.toBeUndefined(); // a write whose invalidation is lost

    server = await startRedisServer(redisProgram ?? '', { port: server.port, dataDir });
    await expect.poll(() => cache.ping().then(() => 'up', () => 'down'), { timeout: 10_000, interval: 100 }).toBe('up');
    await expect.poll(async () => (await cache.lookup('facets:y')).generation, { timeout: 5000, interval: 50 }).toBeDefined();
    expect((await cache.lookup('facets:y')).value).toBeUndefined();
  });
});
