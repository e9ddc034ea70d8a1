import { requireProgram } from '@codiesvibe/shared/testing';
import type { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Admission, batchFor, RateLimiter } from '../src/edge/rate-limiter.js';
import { redisSharedCounters } from '../src/edge/redis-shared-counters.js';
import { RedisServerProcess } from './support/redis-server-process.js';

const redisServer = requireProgram('redis-server');

/** A small deterministic generator, so a failing interleaving can be replayed from its seed. */
function random(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state * 1_664_525 + 1_013_904_223) >>> 0;
    return state / 2 ** 32;
  };
}

describe.skipIf(redisServer === undefined)('RateLimiter instances sharing a real redis-server', () => {
  let redis: RedisServerProcess;
  const clients: Redis[] = [];

  beforeAll(async () => {
    redis = await new RedisServerProcess(redisServer!).start();
  });
  afterAll(async () => {
    for (const client of clients) client.disconnect();
    await redis?.kill();
  });

  it.each([1, 2, 3])('never admits more than limit + (N - 1) x batch for random interleavings (seed %i)', async (seed) => {
    const instances = 3;
    const limit = 400;
    const maxBatch = 20;
    const next = random(seed);
    const limiters = Array.from({ length: instances }, () => {
      const client = redis.client();
      clients.push(client);
      return new RateLimiter({ windowMs: 3_600_000, shared: redisSharedCounters(client, `seed-${seed}:`), maxBatch, syncIntervalMs: 5, syncTimeoutMs: 5_000 });
    });
    for (const client of clients) if (client.status === 'wait') await client.connect();
    // Bursts of concurrent requests on random instances, with random pauses that let syncs land.
    const answers: Promise<Admission>[] = [];
    for (let burst = 0; burst < 60; burst++) {
      const size = 1 + Math.floor(next() * 40);
      for (let index = 0; index < size; index++) answers.push(Promise.resolve(limiters[Math.floor(next() * instances)]!.take('a:client', limit, Date.now())));
      if (next() < 0.5) await new Promise((resolve) => setTimeout(resolve, Math.floor(next() * 4)));
    }
    const settled = await Promise.all(answers);
    for (const limiter of limiters) limiter.close();
    const admitted = settled.filter((answer) => answer === true).length;
    expect(settled.length).toBeGreaterThan(limit + instances * maxBatch);
    expect(admitted).toBeGreaterThanOrEqual(limit);
    expect(admitted).toBeLessThanOrEqual(limit + (instances - 1) * batchFor(limit, maxBatch));
  });
});
