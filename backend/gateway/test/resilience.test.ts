import type { FastifyInstance } from 'fastify';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { startGateway } from './support/gateway-under-test.js';
import { replicaStats, startReplicas, type UpstreamProcess } from './support/upstream-process.js';

describe('retries, timeouts and the circuit breaker', () => {
  let replicas: UpstreamProcess[];
  let gateway: { app: FastifyInstance; url: string };
  const totalRequests = async () => (await Promise.all(replicas.map(replicaStats))).reduce((sum, stats) => sum + stats.requests, 0);

  beforeAll(async () => {
    replicas = await startReplicas(2);
  });
  afterEach(async () => {
    await gateway?.app.close();
  });
  afterAll(async () => {
    await Promise.all(replicas.map((replica) => replica.kill()));
  });

  const start = async (env: Record<string, string> = {}) => {
    // High thresholds: these tests look at single requests, not at ejection.
    gateway = await startGateway({ API_UPSTREAM: replicas.map((replica) => replica.url).join(','), EJECT_AFTER_FAILURES: '100', ...env });
  };

  it('retries a GET that got 503 once, on the other replica', async () => {
    await start();
    const before = await totalRequests();
    const response = await fetch(`${gateway.url}/api/tools?status=503`);
    expect(response.status).toBe(503);
    expect((await totalRequests()) - before).toBe(2);
  });

  it('never retries a POST', async () => {
    await start();
    const before = await Promise.all(replicas.map(replicaStats));
    const response = await fetch(`${gateway.url}/api/tools?status=503`, { method: 'POST', body: '{"name":"x"}', headers: { 'content-type': 'application/json' } });
    expect(response.status).toBe(503);
    const after = await Promise.all(replicas.map(replicaStats));
    const posts = after.reduce((sum, stats, index) => sum + stats.posts - before[index]!.posts, 0);
    expect(posts).toBe(1);
  });

  it('never retries a POST after a connection failure either', async () => {
    gateway = await startGateway({ API_UPSTREAM: 'http://127.0.0.1:9', EJECT_AFTER_FAILURES: '100', HEALTH_POLL_MS: '600000' });
    const response = await fetch(`${gateway.url}/api/tools`, { method: 'POST', body: '{}', headers: { 'content-type': 'application/json' } });
    expect(response.status).toBe(502);
    expect(await response.json()).toMatchObject({ code: 'CV_ERR_BAD_GATEWAY' });
  });

  it('retries a GET that hit a dead replica on a live one and ejects the dead one', async () => {
    // Passive ejection alone: active probing is slowed down so it cannot act first.
    gateway = await startGateway({ API_UPSTREAM: `http://127.0.0.1:9,${replicas[0]!.url}`, EJECT_AFTER_FAILURES: '2', EJECT_COOLDOWN_MS: '600000', HEALTH_POLL_MS: '600000' });
    for (let attempt = 0; attempt < 6; attempt++) expect((await fetch(`${gateway.url}/api/tools`)).status).toBe(200);
    const metrics = await (await fetch(`${gateway.url}/metrics`)).text();
    expect(metrics).toMatch(/gateway_retries_total\{upstream="nestjs-api"[^}]*\} 2\n/);
    expect(metrics).toMatch(/gateway_ejections_total\{upstream="nestjs-api"[^}]*\} 1\n/);
  });

  it('answers 504 when the upstream is slower than the route timeout, without retrying', async () => {
    await start({ API_TIMEOUT_MS: '300' });
    const before = await totalRequests();
    const response = await fetch(`${gateway.url}/api/tools?delay=3000`);
    expect(response.status).toBe(504);
    expect(await response.json()).toMatchObject({ statusCode: 504, code: 'CV_ERR_GATEWAY_TIMEOUT' });
    expect((await totalRequests()) - before).toBe(1);
  });

  it('opens the circuit breaker after consecutive failures and answers 503 with Retry-After', async () => {
    // No active probing here: it would take the replica out before the breaker sees failures.
    gateway = await startGateway({ API_UPSTREAM: 'http://127.0.0.1:9', BREAKER_FAILURES: '3', BREAKER_COOLDOWN_MS: '30000', EJECT_AFTER_FAILURES: '100', HEALTH_POLL_MS: '600000' });
    for (let attempt = 0; attempt < 3; attempt++) expect((await fetch(`${gateway.url}/api/tools`)).status).toBe(502);
    const response = await fetch(`${gateway.url}/api/tools`);
    expect(response.status).toBe(503);
    expect(Number(response.headers.get('retry-after'))).toBeGreaterThanOrEqual(1);
    const body = (await response.json()) as { code: string; message: string };
    expect(body.code).toBe('CV_ERR_UNAVAILABLE');
    expect(body.message).toContain('circuit breaker');
    const ready = await fetch(`${gateway.url}/health/ready`);
    expect(ready.status).toBe(503);
    expect(await (await fetch(`${gateway.url}/metrics`)).text()).toMatch(/gateway_circuit_breaker_state\{upstream="nestjs-api"[^}]*\} 2/);
  });
});
