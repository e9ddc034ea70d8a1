import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { requireProgram } from '@codiesvibe/shared/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { processesInGroups, processesOfThisRun } from './native-stack-harness.js';
import {
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
 * `stack --env staging up -d` natively: the production topology at staging's replica counts (two
 * nestjs-api), generated secrets, real nginx and redis-server. Shorter than production.test.ts:
 * the failure cases (SIGKILL, rate limit across restarts) run there, on the same code.
 */
const programs = [requireProgram('nginx'), requireProgram('redis-server')];
const visitor = visitorRotation(2, 100);

describe.skipIf(programs.includes(undefined))('staging natively (real nginx, redis-server, generated secrets)', () => {
  let staging: NativeEnvironment;

  beforeAll(async () => {
    staging = await startNativeEnvironment('staging');
  });

  afterAll(() => {
    staging?.client.close();
    staging?.stack(['down']);
    staging?.copy.remove();
  });

  it('serves the app and /api/tools through nginx; a tool created with the admin key is read by both replicas', async () => {
    const names = staging.processes().map((entry) => entry.name);
    for (const name of ['nginx', 'gateway', 'redis', 'nestjs-api', 'nestjs-api-2']) expect(names).toContain(name);
    expect(names).not.toContain('nestjs-api-3');
    expect(await redisGreeting(staging.processes().find((entry) => entry.service === 'redis')!.port!)).toMatch(/^-NOAUTH/);
    expect((await staging.client.send('GET', '/', { from: visitor() })).status).toBe(200);
    expect((await staging.client.send('GET', '/api/tools?limit=1', { from: visitor() })).status).toBe(200);

    const adminKey = readFileSync(join(staging.copy.root, 'secrets', 'admin_api_key'), 'utf8').trim();
    const tool = probeTool('staging');
    const created = await staging.client.send('POST', '/api/tools', { from: visitor(), headers: { authorization: `Bearer ${adminKey}` }, body: JSON.stringify(tool) });
    expect(created.status, created.body).toBe(201);
    const replicas = staging.processes().filter((entry) => entry.service === 'nestjs-api');
    const before = await Promise.all(replicas.map((replica) => servedRequests(replica.port!, '/api/tools/:slug')));
    const statuses: number[] = [];
    for (let read = 0; read < 10; read++) statuses.push((await staging.client.send('GET', `/api/tools/${String(tool.slug)}`, { from: visitor() })).status);
    expect(statuses).toEqual(Array(10).fill(200));
    const after = await Promise.all(replicas.map((replica) => servedRequests(replica.port!, '/api/tools/:slug')));
    for (const [index, count] of after.entries()) expect(count - before[index]!).toBeGreaterThan(0);
  });

  it('no secret value appears in any log or output, and down leaves no process', () => {
    const { output: downOutput, before } = staging.down();
    const secrets = secretValues(staging.copy.root);
    const texts: [string, string][] = [
      ['up output', staging.upOutput],
      ['down output', downOutput],
      ...nativeLogFiles(staging.copy.root).map((file): [string, string] => [file, readFileSync(file, 'utf8')]),
    ];
    const leaks = texts.flatMap(([where, text]) => secrets.filter((secret) => text.includes(secret.value)).map((secret) => `${secret.name} in ${where}`));
    expect(leaks).toEqual([]);
    expect(before.length).toBeGreaterThanOrEqual(8);
    expect(processesInGroups(before.map((entry) => entry.pgrp))).toEqual([]);
    expect(processesOfThisRun(staging.copy.root)).toEqual([]);
  });
});
