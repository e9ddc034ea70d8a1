import { type ChildProcess, spawn } from 'node:child_process';
import { once } from 'node:events';
import { requireProgram, freePort } from '@codiesvibe/shared/testing';
import type { FastifyInstance } from 'fastify';
import { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { eventually, startGateway } from './support/gateway-under-test.js';
import { startReplicas, type UpstreamProcess } from './support/upstream-process.js';

const redisServer = requireProgram('redis-server');

describe.skipIf(redisServer === undefined)('rate limit shared through a real redis-server', () => {
  let redisProcess: ChildProcess;
  let redisUrl: string;
  let replicas: UpstreamProcess[];
  const gateways: { app: FastifyInstance; url: string }[] = [];

  beforeAll(async () => {
    const port = await freePort();
    redisUrl = `redis://127.0.0.1:${port}`;
    redisProcess = spawn(redisServer!, ['--port', String(port), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no'], { stdio: 'ignore' });
    const probe = new Redis(redisUrl, { lazyConnect: true, maxRetriesPerRequest: 0, retryStrategy: () => null });
    probe.on('error', () => undefined);
    await eventually('redis-server accepts connections', async () => {
      try {
        if (probe.status !== 'ready') await probe.connect();
        return (await probe.ping()) === 'PONG';
      } catch {
        probe.disconnect();
        return false;
      }
    });
    probe.disconnect();
    replicas = await startReplicas(1);
    for (let index = 0; index < 2; index++) {
      const redis = new Redis(redisUrl, { lazyConnect: true, enableOfflineQueue: false, maxRetriesPerRequest: 1 });
      redis.on('error', () => undefined);
      gateways.push(await startGateway({ API_UPSTREAM: replicas[0]!.url, RATE_LIMIT_MAX: '4', REDIS_URL: redisUrl }, redis));
    }
  });
  afterAll(async () => {
    await Promise.all(gateways.map((gateway) => gateway.app.close()));
    await Promise.all(replicas?.map((replica) => replica.kill()) ?? []);
    if (redisProcess && redisProcess.exitCode === null) {
      const exited = once(redisProcess, 'exit');
      redisProcess.kill('SIGTERM');
      await exited;
    }
  });

  it('counts requests to either gateway against one budget and answers 429 with Retry-After', async () => {
    const statuses: number[] = [];
    let retryAfter: string | null = null;
    for (let attempt = 0; attempt < 6; attempt++) {
      const response = await fetch(`${gateways[attempt % 2]!.url}/api/tools`);
      statuses.push(response.status);
      if (response.status === 429) retryAfter = response.headers.get('retry-after');
      await response.arrayBuffer();
    }
    expect(statuses).toEqual([200, 200, 200, 200, 429, 429]);
    expect(Number(retryAfter)).toBeGreaterThanOrEqual(1);
  });
});
