import { mkdtempSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseUpstreamsFile } from '../src/config/gateway.config.js';
import { eventually, pause, startGateway } from './support/gateway-under-test.js';
import { startReplicas, type UpstreamProcess } from './support/upstream-process.js';

/*
 * UPSTREAMS_FILE: how a native deploy moves replicas in and out of the gateway's upstream set
 * while it runs (the environment's list is fixed at start).
 */
async function replicaOf(url: string): Promise<string | undefined> {
  const response = await fetch(`${url}/api/tools`);
  return ((await response.json()) as { replica?: string }).replica;
}

async function originsInReadiness(url: string): Promise<string[]> {
  const report = (await (await fetch(`${url}/health/ready`)).json()) as { checks: Record<string, { details?: { replicas: { origin: string }[] } }> };
  return (report.checks['upstream:nestjs-api']?.details?.replicas ?? []).map((replica) => replica.origin);
}

describe('UPSTREAMS_FILE', () => {
  let replicas: UpstreamProcess[];
  let gateway: { app: FastifyInstance; url: string };
  let dir: string;
  let file: string;
  /** Written whole and renamed into place, as stack writes it. */
  const write = (text: string) => {
    writeFileSync(`${file}.next`, text);
    renameSync(`${file}.next`, file);
  };

  beforeAll(async () => {
    replicas = await startReplicas(2);
    dir = mkdtempSync(join(tmpdir(), 'gateway-upstreams-'));
    file = join(dir, 'upstreams.json');
    gateway = await startGateway({ API_UPSTREAM: replicas[0]!.url, UPSTREAMS_FILE: file });
  });
  afterAll(async () => {
    await gateway?.app.close();
    await Promise.all(replicas.map((replica) => replica.kill()));
    rmSync(dir, { recursive: true, force: true });
  });

  it('uses the environment list until the file exists, then the file, and follows every change', async () => {
    expect(await replicaOf(gateway.url)).toBe('a');
    write(JSON.stringify({ API_UPSTREAM: `${replicas[0]!.url},${replicas[1]!.url}` }));
    await eventually('both replicas are in the set', async () => (await originsInReadiness(gateway.url)).length === 2);
    const seen = new Set(await Promise.all(Array.from({ length: 10 }, () => replicaOf(gateway.url))));
    expect([...seen].sort()).toEqual(['a', 'b']);

    write(JSON.stringify({ API_UPSTREAM: replicas[1]!.url }));
    await eventually('only b is in the set', async () => (await originsInReadiness(gateway.url)).join() === replicas[1]!.url);
    const after = await Promise.all(Array.from({ length: 10 }, () => replicaOf(gateway.url)));
    expect(new Set(after)).toEqual(new Set(['b']));
  });

  it('keeps the last lists when the file turns bad', async () => {
    write('{"API_UPSTREAM": "ftp://nowhere"');
    await pause(600);
    expect(await originsInReadiness(gateway.url)).toEqual([replicas[1]!.url]);
    expect(await replicaOf(gateway.url)).toBe('b');
  });
});

describe('parseUpstreamsFile', () => {
  it('reads the upstream variables, valued as in the environment', () => {
    const lists = parseUpstreamsFile('{"API_UPSTREAM": "http://127.0.0.1:1,http://127.0.0.1:2", "MCP_UPSTREAM": "http://mcp:3001"}');
    expect(lists.API_UPSTREAM?.map(String)).toEqual(['http://127.0.0.1:1/', 'http://127.0.0.1:2/']);
    expect(lists.MCP_UPSTREAM?.map(String)).toEqual(['http://mcp:3001/']);
    expect(lists.AI_UPSTREAM).toBeUndefined();
  });

  it('refuses another variable, a URL with a path, and what is not JSON, each with its reason', () => {
    expect(() => parseUpstreamsFile('{"REDIS_URL": "http://x:1"}')).toThrow(/REDIS_URL/);
    expect(() => parseUpstreamsFile('{"API_UPSTREAM": "http://x:1/api"}')).toThrow(/API_UPSTREAM has "http:\/\/x:1\/api"; expected http:\/\/host:port without a path/);
    expect(() => parseUpstreamsFile('{')).toThrow(SyntaxError);
  });
});
