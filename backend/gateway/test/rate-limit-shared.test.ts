import { requireProgram } from '@codiesvibe/shared/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { GatewayProcess } from './support/gateway-process.js';
import { pause } from './support/gateway-under-test.js';
import { RedisServerProcess } from './support/redis-server-process.js';
import { startReplicas, type UpstreamProcess } from './support/upstream-process.js';

const redisServer = requireProgram('redis-server');

// One long window, so the test never straddles a window boundary (checked before each test).
const WINDOW_MS = 3_600_000;
const ADDRESS_LIMIT = 100;
const KEY_LIMIT = 6;
const SYNC_BATCH = 10;

/** Waits out the last seconds of a window, so a test's requests all fall in one window. */
async function awayFromWindowEdge(): Promise<void> {
  const left = WINDOW_MS - (Date.now() % WINDOW_MS);
  if (left < 15_000) await pause(left + 50);
}

async function statusOf(url: string, headers: Record<string, string> = {}): Promise<number> {
  const response = await fetch(url, { headers });
  await response.arrayBuffer();
  return response.status;
}

describe.skipIf(redisServer === undefined)('rate limit shared by two gateway processes through a real redis-server', () => {
  let redis: RedisServerProcess;
  let replicas: UpstreamProcess[];
  let gateways: GatewayProcess[] = [];

  beforeAll(async () => {
    redis = await new RedisServerProcess(redisServer!).start();
    replicas = await startReplicas(1);
    const env = {
      API_UPSTREAM: replicas[0]!.url,
      REDIS_URL: redis.url,
      RATE_LIMIT_MAX: String(ADDRESS_LIMIT),
      RATE_LIMIT_KEY_MAX: String(KEY_LIMIT),
      RATE_LIMIT_WINDOW_MS: String(WINDOW_MS),
      RATE_LIMIT_SYNC_BATCH: String(SYNC_BATCH),
      // The bound holds while Redis answers in time; a loaded test machine must not make it degrade.
      RATE_LIMIT_SYNC_TIMEOUT_MS: '5000',
    };
    gateways = await Promise.all([new GatewayProcess(env).start(), new GatewayProcess(env).start()]);
  }, 60_000);
  afterAll(async () => {
    await Promise.all(gateways.map((gateway) => gateway.stop()));
    await Promise.all(replicas?.map((replica) => replica.kill()) ?? []);
    await redis?.kill();
  });

  it('refuses a client at its limit, within one batch, when its requests alternate between the gateways', async () => {
    await awayFromWindowEdge();
    const statuses: number[] = [];
    for (let attempt = 0; attempt < KEY_LIMIT + 4; attempt++) {
      statuses.push(await statusOf(`${gateways[attempt % 2]!.url}/api/tools`, { 'x-api-key': 'alternating-client' }));
    }
    // The batch of a limit of 6 is 1: at most one request over the limit with two instances.
    const admitted = statuses.filter((status) => status === 200).length;
    expect(admitted).toBeGreaterThanOrEqual(KEY_LIMIT);
    expect(admitted).toBeLessThanOrEqual(KEY_LIMIT + 1);
    expect(statuses.slice(0, KEY_LIMIT)).toEqual(Array<number>(KEY_LIMIT).fill(200));
    expect(statuses.slice(-2)).toEqual([429, 429]);
    const refused = await fetch(`${gateways[0]!.url}/api/tools`, { headers: { 'x-api-key': 'alternating-client' } });
    expect(refused.status).toBe(429);
    expect(Number(refused.headers.get('retry-after'))).toBeGreaterThanOrEqual(1);
    expect(refused.headers.get('x-ratelimit-limit')).toBe(String(KEY_LIMIT));
    expect(await refused.json()).toMatchObject({ code: 'CV_ERR_RATE_LIMITED' });
  });

  it(`admits between the limit and limit + (instances - 1) x batch under a concurrent burst on both`, async () => {
    await awayFromWindowEdge();
    // 20 clients' worth of concurrency per gateway, 3x the budget in total, all from one address.
    const perGateway = (ADDRESS_LIMIT * 3) / 2;
    const statuses = await Promise.all(
      gateways.map(async (gateway) => {
        const results: number[] = [];
        let next = 0;
        await Promise.all(
          Array.from({ length: 20 }, async () => {
            while (next++ < perGateway) results.push(await statusOf(`${gateway.url}/api/tools`));
          }),
        );
        return results;
      }),
    );
    const all = statuses.flat();
    const admitted = all.filter((status) => status === 200).length;
    expect(all.filter((status) => status !== 200 && status !== 429)).toEqual([]);
    // The bound the limiter documents: batch = min(RATE_LIMIT_SYNC_BATCH, 5% of the limit).
    const batch = Math.min(SYNC_BATCH, Math.floor(ADDRESS_LIMIT / 20));
    expect(admitted).toBeGreaterThanOrEqual(ADDRESS_LIMIT);
    expect(admitted).toBeLessThanOrEqual(ADDRESS_LIMIT + (gateways.length - 1) * batch);
  });

  it('keeps answering when redis-server dies, each gateway enforcing the limit on its own', async () => {
    await awayFromWindowEdge();
    await redis.kill();
    const statuses: number[] = [];
    for (let attempt = 0; attempt < 2 * KEY_LIMIT + 2; attempt++) {
      statuses.push(await statusOf(`${gateways[attempt % 2]!.url}/api/tools`, { 'x-api-key': 'client-during-outage' }));
    }
    // No request fails for want of Redis; each instance alone allows the limit, so two allow twice it.
    expect(statuses).toEqual([...Array<number>(2 * KEY_LIMIT).fill(200), 429, 429]);
  });
});
