import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { requireProgram } from '@codiesvibe/shared/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { processesInGroups, processesOfThisRun } from './native-stack-harness.js';
import {
  eventually,
  nativeLogFiles,
  probeTool,
  redisGreeting,
  secretValues,
  servedRequests,
  startNativeEnvironment,
  visitorRotation,
  type NativeEnvironment,
} from './production-edge.js';

/*
 * `stack --env production up -d` natively, as a user runs it on one machine: generated secrets,
 * the real nginx edge from config/nginx, real redis-server with its secret password, three
 * nestjs-api replicas on the shared embedded store, every request through the edge.
 *
 * The gateway's per-client budget is lowered for this run (RATE_LIMIT_MAX=40 per hour instead of
 * 600 per minute; the native runner passes the caller's environment on): nginx's own per-address
 * limit (30 r/s) would otherwise answer before the gateway's could be reached from one client.
 * Every other request comes from its own loopback address, so only the rate-limit test is limited.
 */
const RATE_LIMIT_MAX = 40;
const RATE_LIMIT_WINDOW_MS = 3_600_000;

const programs = [requireProgram('nginx'), requireProgram('redis-server')];
const visitor = visitorRotation(1, 250);

describe.skipIf(programs.includes(undefined))('production natively (real nginx, redis-server, generated secrets)', () => {
  let production: NativeEnvironment;

  beforeAll(async () => {
    production = await startNativeEnvironment('production', {
      RATE_LIMIT_MAX: String(RATE_LIMIT_MAX),
      RATE_LIMIT_WINDOW_MS: String(RATE_LIMIT_WINDOW_MS),
    });
  });

  afterAll(() => {
    production?.client.close();
    production?.stack(['down']);
    production?.copy.remove();
  });

  const replicasOf = (service: string) => production.processes().filter((entry) => entry.service === service);

  it('runs the production topology: nginx edge, gateway, replicas, redis with its secret password', async () => {
    const names = production.processes().map((entry) => entry.name);
    for (const name of ['nginx', 'gateway', 'redis', 'nestjs-api', 'nestjs-api-2', 'nestjs-api-3', 'fastify-api', 'fastify-api-2'])
      expect(names).toContain(name);
    expect(production.upOutput).toMatch(new RegExp(`is up: open http://localhost:${production.edgePort}/`));
    const redis = production.processes().find((entry) => entry.service === 'redis')!;
    expect(await redisGreeting(redis.port!)).toMatch(/^-NOAUTH/);
  });

  it('serves the app and /api/tools through the edge', async () => {
    const page = await production.client.send('GET', '/', { from: visitor() });
    expect(page.status).toBe(200);
    expect(page.body).toMatch(/<div id="root"|<html/i);
    const tools = await production.client.send('GET', '/api/tools?limit=5', { from: visitor() });
    expect(tools.status).toBe(200);
    const body = JSON.parse(tools.body) as { items: unknown[]; total: number };
    expect(body.items).toHaveLength(5);
    expect(body.total).toBeGreaterThan(5);
  });

  it('a tool created with the admin key from its secret file is read 30 times, all 200, by every replica', async () => {
    const adminKey = readFileSync(join(production.copy.root, 'secrets', 'admin_api_key'), 'utf8').trim();
    const tool = probeTool('production');
    const refused = await production.client.send('POST', '/api/tools', { from: visitor(), body: JSON.stringify(tool) });
    expect(refused.status).toBe(401);
    const created = await production.client.send('POST', '/api/tools', {
      from: visitor(),
      headers: { authorization: `Bearer ${adminKey}` },
      body: JSON.stringify(tool),
    });
    expect(created.status, created.body).toBe(201);

    const replicas = replicasOf('nestjs-api');
    expect(replicas).toHaveLength(3);
    const before = await Promise.all(replicas.map((replica) => servedRequests(replica.port!, '/api/tools/:slug')));
    const statuses: number[] = [];
    for (let read = 0; read < 30; read++) {
      const answer = await production.client.send('GET', `/api/tools/${String(tool.slug)}`, { from: visitor() });
      statuses.push(answer.status);
      if (answer.status === 200) expect(JSON.parse(answer.body)).toMatchObject({ slug: tool.slug, name: tool.name });
    }
    expect(statuses).toEqual(Array(30).fill(200));
    const after = await Promise.all(replicas.map((replica) => servedRequests(replica.port!, '/api/tools/:slug')));
    const served = Object.fromEntries(replicas.map((replica, index) => [replica.name, after[index]! - before[index]!]));
    expect(Object.values(served).reduce((sum, count) => sum + count, 0)).toBe(30);
    for (const count of Object.values(served)) expect(count).toBeGreaterThan(0);
  });

  it('a nestjs-api replica killed with SIGKILL under load costs 0 failed GETs', async () => {
    const victim = replicasOf('nestjs-api').find((entry) => entry.name === 'nestjs-api-2')!;
    const failures: string[] = [];
    let answered = 0;
    let loading = true;
    // Eight clients, each query distinct, so every GET reaches a replica rather than a cached answer.
    const clients = Array.from({ length: 8 }, async (_, client) => {
      for (let request = 0; loading; request++) {
        const path = `/api/tools?q=load${client}x${request}&limit=2`;
        try {
          const answer = await production.client.send('GET', path, { from: visitor() });
          if (answer.status === 200) answered++;
          else failures.push(`${path}: ${answer.status} ${answer.body.slice(0, 200)}`);
        } catch (error) {
          failures.push(`${path}: ${String(error)}`);
        }
      }
    });
    await new Promise((resolve) => setTimeout(resolve, 1000));
    process.kill(victim.pid, 'SIGKILL');
    await new Promise((resolve) => setTimeout(resolve, 3000));
    loading = false;
    await Promise.all(clients);
    expect(failures).toEqual([]);
    expect(answered).toBeGreaterThan(50);
    // The supervisor brings the replica back.
    await eventually('nestjs-api-2 restarted and healthy', () => {
      const replica = replicasOf('nestjs-api').find((entry) => entry.name === 'nestjs-api-2');
      return replica !== undefined && replica.pid !== victim.pid && replica.state === 'healthy';
    }, 60_000);
  });

  it('the rate limiter answers 429 across a gateway restart (its counts live in Redis)', async () => {
    // A fixed window: start well inside one, so the restart cannot straddle two.
    const left = RATE_LIMIT_WINDOW_MS - (Date.now() % RATE_LIMIT_WINDOW_MS);
    if (left < 60_000) await new Promise((resolve) => setTimeout(resolve, left + 100));
    const client = '127.0.9.1';
    const burst: number[] = [];
    for (let request = 0; request < RATE_LIMIT_MAX + 5; request++)
      burst.push((await production.client.send('GET', `/api/tools?limit=1&q=burst${request}`, { from: client })).status);
    expect(burst.filter((status) => status === 200)).toHaveLength(RATE_LIMIT_MAX);
    expect(burst.slice(RATE_LIMIT_MAX)).toEqual(Array(5).fill(429));

    const gatewayBefore = replicasOf('gateway')[0]!.pid;
    const restart = production.stack(['restart', 'gateway']);
    expect(restart.status, restart.stderr).toBe(0);
    expect(replicasOf('gateway')[0]!.pid).not.toBe(gatewayBefore);

    // The new gateway process has seen none of this client's requests; Redis has. It may admit
    // one batch (5% of the limit: 2) before its first sync, never the whole budget again.
    const after: { status: number; body: string }[] = [];
    for (let request = 0; request < 10; request++) after.push(await production.client.send('GET', `/api/tools?limit=1&q=after${request}`, { from: client }));
    const refused = after.filter((answer) => answer.status === 429);
    expect(refused.length).toBeGreaterThanOrEqual(8);
    for (const answer of refused) expect(JSON.parse(answer.body)).toMatchObject({ code: 'CV_ERR_RATE_LIMITED' });
    expect((await production.client.send('GET', '/api/tools?limit=1', { from: visitor() })).status).toBe(200);
  });

  it('no secret value appears in any log or output, and down leaves no process', () => {
    const ps = production.stack(['ps']);
    const { output: downOutput, before } = production.down();
    const secrets = secretValues(production.copy.root);
    expect(secrets.length).toBeGreaterThanOrEqual(5);
    const texts: [string, string][] = [
      ['up output', production.upOutput],
      ['ps output', `${ps.stdout}${ps.stderr}`],
      ['down output', downOutput],
      ...nativeLogFiles(production.copy.root).map((file): [string, string] => [file, readFileSync(file, 'utf8')]),
    ];
    const leaks = texts.flatMap(([where, text]) => secrets.filter((secret) => text.includes(secret.value)).map((secret) => `${secret.name} in ${where}`));
    expect(leaks).toEqual([]);
    // The logs are real: the services and nginx wrote to them.
    expect(texts.find(([where]) => where.endsWith('nginx.log'))?.[1]).toContain('"uri":"/api/tools');

    expect(before.length).toBeGreaterThanOrEqual(12);
    expect(processesInGroups(before.map((entry) => entry.pgrp))).toEqual([]);
    expect(processesOfThisRun(production.copy.root)).toEqual([]);
  });
});
