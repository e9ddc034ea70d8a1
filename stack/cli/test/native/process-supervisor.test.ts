import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { LogMultiplexer } from '../../src/native/log-multiplexer.js';
import type { NativeProcessSpec } from '../../src/native/native-plan.js';
import { pickFreePort } from '../../src/native/ports.js';
import { NativeStartError, ProcessSupervisor, type SupervisorEvent } from '../../src/native/process-supervisor.js';

const FAKE_SERVICE = join(import.meta.dirname, 'fixtures', 'fake-service.mjs');

interface Harness {
  dir: string;
  events: SupervisorEvent[];
  eventsFile: string;
  supervisor?: ProcessSupervisor;
}
const harnesses: Harness[] = [];

function harness(): Harness {
  const dir = mkdtempSync(join(tmpdir(), 'stack-native-'));
  const h: Harness = { dir, events: [], eventsFile: join(dir, 'events.txt') };
  harnesses.push(h);
  return h;
}

async function fakeSpec(
  h: Harness,
  service: string,
  dependsOn: string[] = [],
  extraEnv: Record<string, string> = {},
  overrides: Partial<NativeProcessSpec> = {},
): Promise<NativeProcessSpec> {
  const port = await pickFreePort();
  return {
    name: service,
    service,
    replica: 1,
    argv: [process.execPath, FAKE_SERVICE],
    cwd: h.dir,
    env: { PATH: process.env.PATH ?? '', PORT: String(port), SERVICE_NAME: service, EVENTS_FILE: h.eventsFile, ...extraEnv },
    port,
    health: { http: `http://127.0.0.1:${port}/health/ready` },
    dependsOn,
    restart: 'unless-stopped',
    startTimeoutMs: 10_000,
    ...overrides,
  };
}

function supervise(h: Harness, specs: NativeProcessSpec[], graceMs = 2000): ProcessSupervisor {
  const logs = new LogMultiplexer(() => undefined, join(h.dir, 'logs'), specs.map((s) => s.name), false);
  h.supervisor = new ProcessSupervisor(specs, { logs, graceMs, backoffMs: 100, onEvent: (e) => h.events.push(e) });
  return h.supervisor;
}

const eventLines = (h: Harness) => readFileSync(h.eventsFile, 'utf8').trim().split('\n');
const alive = (pid: number) => {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
};
const until = async (condition: () => boolean, timeoutMs = 10_000) => {
  const deadline = Date.now() + timeoutMs;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error('condition not met in time');
    await new Promise((r) => setTimeout(r, 50));
  }
};

afterEach(async () => {
  for (const h of harnesses.splice(0)) {
    await h.supervisor?.stop();
    rmSync(h.dir, { recursive: true, force: true });
  }
});

describe('ProcessSupervisor', () => {
  it('starts services in dependency order, each after its dependencies are healthy, and stops in reverse', async () => {
    const h = harness();
    const specs = [
      await fakeSpec(h, 'gateway', ['api']),
      await fakeSpec(h, 'api', ['db']),
      await fakeSpec(h, 'db'),
    ];
    const supervisor = supervise(h, specs);
    expect(supervisor.startupOrder).toEqual([['db'], ['api'], ['gateway']]);
    await supervisor.start();
    const healthyOrder = h.events.filter((e) => e.type === 'healthy').map((e) => e.name);
    expect(healthyOrder).toEqual(['db', 'api', 'gateway']);
    // api started only after db answered healthy
    const starts = h.events.map((e) => `${e.type}:${e.name}`);
    expect(starts.indexOf('starting:api')).toBeGreaterThan(starts.indexOf('healthy:db'));
    await supervisor.stop();
    expect(eventLines(h).filter((l) => l.startsWith('stop'))).toEqual(['stop gateway', 'stop api', 'stop db']);
    for (const status of supervisor.status()) expect(alive(status.pid!)).toBe(false);
  });

  it('fails the start with the last log lines of a service that exits, and stops what it started', async () => {
    const h = harness();
    const db = await fakeSpec(h, 'db');
    const supervisor = supervise(h, [db, await fakeSpec(h, 'api', ['db'], { FAIL_AT_START: '1' })]);
    const failure = await supervisor.start().then(
      () => undefined,
      (error: unknown) => error,
    );
    expect(failure).toBeInstanceOf(NativeStartError);
    const error = failure as NativeStartError;
    expect(error.service).toBe('api');
    expect(error.message).toMatch(/exited with code 3 before it became healthy/);
    expect(error.lastLines).toContain('api: cannot connect to the database');
    const dbPid = supervisor.status().find((s) => s.name === 'db')!.pid!;
    expect(alive(dbPid)).toBe(false);
  });

  it('fails the start of a service that never becomes healthy, naming the health URL', async () => {
    const h = harness();
    const spec = await fakeSpec(h, 'api', [], { NEVER_HEALTHY: '1' }, { startTimeoutMs: 1500 });
    const supervisor = supervise(h, [spec]);
    await expect(supervisor.start()).rejects.toThrow(/api did not become healthy within 2 s \(http:\/\/127\.0\.0\.1:\d+\/health\/ready\)/);
    expect(alive(supervisor.status()[0]!.pid!)).toBe(false);
  });

  it('fails the start when another program answers on the replica port, naming it, instead of calling it healthy', async () => {
    const h = harness();
    // Another program took the port after the stack was planned: it answers the health probe.
    const stranger = createServer((_request, response) => response.end('ok'));
    const port = await new Promise<number>((resolve) => stranger.listen(0, '127.0.0.1', () => resolve((stranger.address() as AddressInfo).port)));
    try {
      const slowReplica = ['-e', 'setInterval(() => {}, 1000)'];
      const spec = await fakeSpec(h, 'api', [], {}, { argv: [process.execPath, ...slowReplica], port, health: { http: `http://127.0.0.1:${port}/health/ready` } });
      const supervisor = supervise(h, [spec]);
      await expect(supervisor.start()).rejects.toThrow(new RegExp(`port ${port} is held by process ${process.pid} \\(.*\\), not by api`));
      expect(h.events.some((e) => e.type === 'healthy')).toBe(false);
    } finally {
      stranger.close();
    }
  });

  it('restarts a service that crashes after it was healthy', async () => {
    const h = harness();
    const spec = await fakeSpec(h, 'api');
    const supervisor = supervise(h, [spec]);
    await supervisor.start();
    const firstPid = supervisor.status()[0]!.pid!;
    await fetch(`http://127.0.0.1:${spec.port}/crash`).then((r) => r.text());
    await until(() => supervisor.status()[0]!.state === 'healthy' && supervisor.status()[0]!.pid !== firstPid);
    expect(supervisor.status()[0]!.restarts).toBe(1);
    expect(h.events.some((e) => e.type === 'restarting' && e.name === 'api')).toBe(true);
    const answer = (await (await fetch(`http://127.0.0.1:${spec.port}/`)).json()) as { pid: number };
    expect(answer.pid).toBe(supervisor.status()[0]!.pid);
  });

  it('does not restart a service whose policy is "no"', async () => {
    const h = harness();
    const spec = await fakeSpec(h, 'job', [], {}, { restart: 'no' });
    const supervisor = supervise(h, [spec]);
    await supervisor.start();
    await fetch(`http://127.0.0.1:${spec.port}/crash`).then((r) => r.text());
    await until(() => supervisor.status()[0]!.state === 'exited');
    await new Promise((r) => setTimeout(r, 400));
    expect(supervisor.status()[0]!.state).toBe('exited');
    expect(eventLines(h).filter((l) => l.startsWith('start'))).toHaveLength(1);
  });

  it('sends SIGKILL to a process that ignores SIGTERM once the grace period is over', async () => {
    const h = harness();
    const supervisor = supervise(h, [await fakeSpec(h, 'stubborn', [], { IGNORE_SIGTERM: '1' })], 500);
    await supervisor.start();
    const pid = supervisor.status()[0]!.pid!;
    await supervisor.stop();
    expect(alive(pid)).toBe(false);
  });
  it('retires a process with the signal its service declares, and sends nothing to one that declares none', async () => {
    const h = harness();
    const declared = await fakeSpec(h, 'gateway', [], { RETIRE_SIGNAL: 'SIGUSR2' }, { retireSignal: 'SIGUSR2' });
    // SIGUSR2 would kill this one (it does not handle it): it must not be sent.
    const undeclared = await fakeSpec(h, 'api');
    const supervisor = supervise(h, [declared, undeclared]);
    await supervisor.start();
    expect(supervisor.retire('gateway')).toBe(true);
    expect(supervisor.retire('api')).toBe(false);
    await until(() => eventLines(h).includes('retire gateway'));
    await new Promise((r) => setTimeout(r, 200));
    expect(supervisor.status().map((s) => [s.name, s.state])).toEqual([['gateway', 'healthy'], ['api', 'healthy']]);
    expect(h.events.some((e) => e.type === 'restarting')).toBe(false);
  });
});
