import { spawnSync } from 'node:child_process';
import { afterAll, describe, expect, it } from 'vitest';
import { REPO_ROOT, nativeProcesses } from './native-stack-harness.js';

const STACK = ['stack/cli/bin/stack.js'];
const stack = (args: string[]) =>
  spawnSync(process.execPath, [...STACK, ...args], { cwd: REPO_ROOT, encoding: 'utf8', env: { ...process.env, NO_COLOR: '1' }, timeout: 300_000 });

afterAll(() => {
  stack(['down']);
});

/** Requests a replica has served on `route`, read from its own /metrics. */
async function servedRequests(port: number, route: string): Promise<number> {
  const metrics = await (await fetch(`http://127.0.0.1:${port}/metrics`)).text();
  let total = 0;
  for (const line of metrics.split('\n')) {
    if (line.startsWith('http_request_duration_seconds_count') && line.includes(`route="${route}"`)) total += Number(line.split(' ').pop());
  }
  return total;
}

describe('--scale (native)', () => {
  it('runs three nestjs-api replicas on distinct ports and the gateway spreads traffic over all of them', async () => {
    const up = stack(['--profile', 'development', 'up', '--native', '-d', '--no-build', '--scale', 'nestjs-api=3']);
    expect(up.status, up.stderr).toBe(0);
    const replicas = nativeProcesses().filter((p) => p.service === 'nestjs-api');
    expect(replicas.map((r) => r.name)).toEqual(['nestjs-api', 'nestjs-api-2', 'nestjs-api-3']);
    expect(new Set(replicas.map((r) => r.port)).size).toBe(3);

    const before = await Promise.all(replicas.map((r) => servedRequests(r.port!, '/api/tools')));
    for (let i = 0; i < 30; i++) {
      // Distinct queries: the gateway must not be answered from one replica's cache.
      const response = await fetch(`http://127.0.0.1:4000/api/tools?q=code${i}&limit=1`);
      expect(response.status).toBe(200);
      await response.arrayBuffer();
    }
    const after = await Promise.all(replicas.map((r) => servedRequests(r.port!, '/api/tools')));
    const served = after.map((count, i) => count - before[i]!);
    expect(served.reduce((a, b) => a + b, 0)).toBe(30);
    for (const count of served) expect(count).toBeGreaterThan(0);
  });
});
