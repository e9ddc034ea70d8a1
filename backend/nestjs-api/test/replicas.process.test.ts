import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Tool, ToolPage } from '@codiesvibe/shared/domain';
import { freePort } from '@codiesvibe/shared/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sampleTool } from './tool-repository.contract.js';

/*
 * Three replicas of the whole service (src/main.ts, real processes) on one DATA_DIR with their
 * in-process caches, as `stack up --scale nestjs-api=3` runs them natively without MongoDB/Redis.
 */
const packageDir = new URL('..', import.meta.url).pathname;
const ADMIN_KEY = 'replicas-test-admin-key-0123456789';
const writeHeaders = { 'content-type': 'application/json', authorization: `Bearer ${ADMIN_KEY}` };

interface Replica {
  url: string;
  child: ChildProcess;
  exited: Promise<number | null>;
  output: () => string;
}

async function startReplica(dataDir: string, name: string): Promise<Replica> {
  const port = await freePort();
  const child = spawn(
    process.execPath,
    ['--import', 'tsx', '--conditions=@codiesvibe/source', 'src/main.ts'],
    {
      cwd: packageDir,
      env: {
        PATH: process.env.PATH ?? '',
        NODE_ENV: 'test',
        LOG_LEVEL: 'warn',
        HOST: '127.0.0.1',
        PORT: String(port),
        DATA_DIR: dataDir,
        INSTANCE_ID: name,
        ADMIN_API_KEY: ADMIN_KEY,
      },
      stdio: ['ignore', 'pipe', 'pipe'],
    },
  );
  let output = '';
  const collect = (chunk: Buffer) => (output = (output + chunk.toString('utf8')).slice(-4000));
  child.stdout?.on('data', collect);
  child.stderr?.on('data', collect);
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  return { url: `http://127.0.0.1:${port}`, child, exited, output: () => output };
}

async function untilReady(replica: Replica): Promise<void> {
  await expect
    .poll(
      async () => {
        if (replica.child.exitCode !== null)
          throw new Error(`replica exited with ${replica.child.exitCode}: ${replica.output()}`);
        return (await fetch(`${replica.url}/health/ready`).catch(() => undefined))?.status;
      },
      { timeout: 90_000, interval: 200 },
    )
    .toBe(200);
}

async function get<T>(
  replica: Replica,
  path: string,
): Promise<{ status: number; body: T; cache: string | null }> {
  const response = await fetch(`${replica.url}${path}`);
  return {
    status: response.status,
    body: (await response.json()) as T,
    cache: response.headers.get('x-cache'),
  };
}

let dataDir: string;
let replicas: Replica[] = [];
beforeAll(async () => {
  dataDir = await mkdtemp(join(tmpdir(), 'nestjs-api-replicas-'));
});
afterAll(async () => {
  for (const replica of replicas) if (replica.child.exitCode === null) replica.child.kill('SIGKILL');
  await Promise.all(replicas.map((replica) => replica.exited));
  await rm(dataDir, { recursive: true, force: true });
});

describe('three nestjs-api replicas on one embedded store', () => {
  it('start together and read every write back through every replica at once, despite their caches', async () => {
    replicas = await Promise.all(['r1', 'r2', 'r3'].map((name) => startReplica(dataDir, name)));
    await Promise.all(replicas.map(untilReady));
    const [first, second, third] = replicas as [Replica, Replica, Replica];
    const search = '/api/tools?q=zyxwvut';
    // Fill every replica's cache with the answer before the write.
    for (const replica of replicas) {
      expect((await get<ToolPage>(replica, search)).body.total).toBe(0);
      expect((await get<ToolPage>(replica, search)).cache).toBe('hit');
    }

    const created = await fetch(`${first.url}/api/tools`, {
      method: 'POST',
      headers: writeHeaders,
      body: JSON.stringify(sampleTool('shared-write', { name: 'Zyxwvut Shared' })),
    });
    expect(created.status).toBe(201);
    const afterCreate = await Promise.all(replicas.map((replica) => get<ToolPage>(replica, search)));
    expect(afterCreate.map((answer) => answer.body.total)).toEqual([1, 1, 1]);
    expect(afterCreate.map((answer) => answer.cache)).toEqual(['miss', 'miss', 'miss']);

    const patched = await fetch(`${second.url}/api/tools/shared-write`, {
      method: 'PATCH',
      headers: writeHeaders,
      body: JSON.stringify({ tagline: 'Patched on r2' }),
    });
    expect(patched.status).toBe(200);
    const details = await Promise.all(
      replicas.map((replica) => get<Tool>(replica, '/api/tools/shared-write')),
    );
    expect(details.map((answer) => answer.body.tagline)).toEqual([
      'Patched on r2',
      'Patched on r2',
      'Patched on r2',
    ]);

    expect(
      (
        await fetch(`${third.url}/api/tools/shared-write`, {
          method: 'DELETE',
          headers: { authorization: writeHeaders.authorization },
        })
      ).status,
    ).toBe(204);
    const afterDelete = await Promise.all(
      replicas.map((replica) => get<unknown>(replica, '/api/tools/shared-write')),
    );
    expect(afterDelete.map((answer) => answer.status)).toEqual([404, 404, 404]);
    expect(
      (await Promise.all(replicas.map((replica) => get<ToolPage>(replica, search)))).map(
        (answer) => answer.body.total,
      ),
    ).toEqual([0, 0, 0]);
  }, 180_000);

  it('loses no acknowledged write when a replica is killed with SIGKILL while writing, and it starts again', async () => {
    const [victim, ...others] = replicas as [Replica, Replica, Replica];
    const acknowledged: string[] = [];
    let killed = false;
    const writer = async (lane: number) => {
      for (let index = 0; !killed; index++) {
        const slug = `kill-lane${lane}-${index}`;
        const response = await fetch(`${victim.url}/api/tools`, {
          method: 'POST',
          headers: writeHeaders,
          body: JSON.stringify(sampleTool(slug)),
        }).catch(() => undefined);
        if (response?.status === 201) acknowledged.push(slug);
        else break;
      }
    };
    const lanes = [1, 2, 3, 4].map(writer);
    await expect.poll(() => acknowledged.length, { timeout: 60_000, interval: 5 }).toBeGreaterThanOrEqual(12);
    killed = true;
    victim.child.kill('SIGKILL');
    await Promise.all(lanes);
    await victim.exited;

    for (const replica of others) {
      const statuses = await Promise.all(
        acknowledged.map(async (slug) => (await fetch(`${replica.url}/api/tools/${slug}`)).status),
      );
      expect(statuses.filter((status) => status !== 200)).toEqual([]);
    }
    const restarted = await startReplica(dataDir, 'r1-again');
    replicas.push(restarted);
    await untilReady(restarted);
    const totals = await Promise.all(
      [restarted, ...others].map((replica) => get<ToolPage>(replica, '/api/tools?q=kill&limit=1')),
    );
    expect(new Set(totals.map((answer) => answer.body.total)).size).toBe(1);
    expect(totals[0]?.body.total).toBeGreaterThanOrEqual(acknowledged.length);

    for (const replica of [restarted, ...others]) replica.child.kill('SIGTERM');
    expect(await Promise.all([restarted, ...others].map((replica) => replica.exited))).toEqual([0, 0, 0]);
  }, 180_000);
});
