import type { ToolPage } from '@codiesvibe/shared/domain';
import { requireProgram } from '@codiesvibe/shared/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { EmbeddedToolRepository } from '../src/storage/embedded-tool.repository.js';
import type { ToolRepository } from '../src/storage/tool.repository.js';
import { ADMIN_KEY, startApiServer, type ApiServer } from './support/api-server.js';
import { startRedisServer, type RedisServer } from './support/redis-server.js';
import { sampleTool } from './tool-repository.contract.js';

const redisProgram = requireProgram('redis-server');

async function list(api: ApiServer, query: string): Promise<{ page: ToolPage; cache: string | null; status: number }> {
  const response = await fetch(`${api.url}/api/tools?${query}`);
  return { page: (await response.json()) as ToolPage, cache: response.headers.get('x-cache'), status: response.status };
}

async function readiness(api: ApiServer): Promise<{ status: number; body: { status: string; checks: Record<string, { status: string }> } }> {
  const response = await fetch(`${api.url}/health/ready`);
  return { status: response.status, body: (await response.json()) as { status: string; checks: Record<string, { status: string }> } };
}

describe.skipIf(!redisProgram)('tools API with a real redis-server (two replicas, one store)', () => {
  let redis: RedisServer;
  let store: ToolRepository;
  let replicaA: ApiServer;
  let replicaB: ApiServer;

  beforeAll(async () => {
    redis = await startRedisServer(redisProgram ?? '');
    store = await EmbeddedToolRepository.open();
    replicaA = await startApiServer({ redisUrl: redis.url, tools: store });
    replicaB = await startApiServer({ redisUrl: redis.url, tools: store });
  });
  afterAll(async () => {
    await replicaA.close();
    await replicaB.close();
    await store.close();
    await redis.stop();
  });

  it('shares cached responses between replicas and invalidates them on a write through either', async () => {
    const query = 'q=mnbvcxz';
    expect((await list(replicaA, query)).cache).toBe('miss');
    expect((await list(replicaB, query)).cache).toBe('hit');

    const created = await fetch(`${replicaA.url}/api/tools`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${ADMIN_KEY}` },
      body: JSON.stringify(sampleTool('redis-shared', { name: 'Mnbvcxz Tool' })),
    });
    expect(created.status).toBe(201);
    const afterWrite = await list(replicaB, query);
    expect(afterWrite.cache).toBe('miss');
    expect(afterWrite.page.items.map((tool) => tool.slug)).toEqual(['redis-shared']);
  });

  it('keeps answering from the store while Redis is down, reports degraded, and recovers', async () => {
    expect((await readiness(replicaA)).body.status).toBe('ok');
    const before = await list(replicaA, 'category=ide');
    await redis.stop();

    const during = await list(replicaA, 'category=ide');
    expect(during.status).toBe(200);
    expect(during.cache).toBe('bypass');
    expect(during.page).toEqual(before.page);
    const ready = await readiness(replicaA);
    expect(ready.status).toBe(200);
    expect(ready.body.status).toBe('degraded');
    expect(ready.body.checks.cache?.status).toBe('down');
    const write = await fetch(`${replicaA.url}/api/tools/redis-shared`, { method: 'DELETE', headers: { authorization: `Bearer ${ADMIN_KEY}` } });
    expect(write.status).toBe(204);

    redis = await startRedisServer(redisProgram ?? '', { port: redis.port });
    await expect.poll(async () => (await readiness(replicaA)).body.status, { timeout: 10_000, interval: 100 }).toBe('ok');
    await expect.poll(async () => (await list(replicaA, 'q=mnbvcxz')).page.total, { timeout: 5000, interval: 100 }).toBe(0);
  });
});
