import { startSourceProcess } from '../src/testing/index.js';
import { afterAll, describe, expect, it } from 'vitest';
import { startFixture, type FixtureProcess } from './fixture-process.js';

/*
 * releaseMemoryWhenIdle in a real process (its own V8 heap): after work that grew the young
 * generation, going idle shrinks it back; a busy event loop holds the release off.
 */
const SHARED_ROOT = new URL('..', import.meta.url).pathname;

async function run(env: Record<string, string>) {
  const fixture = startSourceProcess('test/fixtures/idle-memory-process.ts', { cwd: SHARED_ROOT, env });
  expect(await fixture.exited).toBe(0);
  expect(fixture.stderr()).toBe('');
  const events = fixture
    .stdout()
    .trim()
    .split('\n')
    .map((line) => JSON.parse(line) as { event: string; atMs: number; youngGenerationMiB: number; heapBeforeMiB?: number; heapAfterMiB?: number });
  const find = (name: string) => events.find((event) => event.event === name)!;
  return { worked: find('worked'), idle: find('idle'), released: find('released') };
}

describe.concurrent('releaseMemoryWhenIdle', { timeout: 30_000 }, () => {
  it('shrinks the young generation the work grew, and the committed heap with it, once the process idles', async () => {
    const { worked, released } = await run({});
    expect(worked.youngGenerationMiB).toBeGreaterThanOrEqual(8);
    expect(released.youngGenerationMiB).toBeLessThanOrEqual(2);
    expect(released.heapAfterMiB).toBeLessThan(released.heapBeforeMiB! - 8);
  });

  it('waits while the event loop is busy, and releases only after it has been idle', async () => {
    const { idle, released } = await run({ FIXTURE_BUSY_MS: '2500' });
    expect(idle.atMs).toBeGreaterThan(2_500);
    // Two quiet samples, one GC, then 6 s of quiet before the second.
    expect(released.atMs - idle.atMs).toBeGreaterThanOrEqual(6_000);
    expect(released.youngGenerationMiB).toBeLessThanOrEqual(2);
  });
});

// The release waits for 10 quiet seconds and 6 more: about 18 s here, more on a loaded machine.
describe.concurrent('a service run by runService', { timeout: 60_000 }, () => {
  const started: FixtureProcess[] = [];
  afterAll(() => {
    for (const fixture of started) if (fixture.child.exitCode === null) fixture.child.kill('SIGKILL');
  });

  async function startService(env: Record<string, string>) {
    const fixture = startFixture({ PORT: '0', HOST: '127.0.0.1', LOG_LEVEL: 'debug', FIXTURE_SECRET: 'a-secret-of-16-chars', ...env });
    started.push(fixture);
    const listening = await fixture.waitForLog((line) => line.msg === 'listening');
    const metrics = async () => (await fetch(`${String(listening.address)}/metrics`)).text();
    return { fixture, metrics };
  }

  it('releases memory once idle after start and counts it in idle_memory_releases_total', async () => {
    const { fixture, metrics } = await startService({});
    expect(await metrics()).toMatch(/^idle_memory_releases_total\{[^}]*\} 0$/m);
    await fixture.waitForLog((line) => line.msg === 'memory released while idle');
    expect(await metrics()).toMatch(/^idle_memory_releases_total\{[^}]*\} 1$/m);
  });

  it('does not release with IDLE_MEMORY_RELEASE=false', async () => {
    const { metrics } = await startService({ IDLE_MEMORY_RELEASE: 'false' });
    expect(await metrics()).not.toContain('idle_memory_releases_total');
  });
});
