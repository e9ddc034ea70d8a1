import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { startEdgeSwitches, type EdgeSwitch } from '../../src/native/edge-switch.js';
import { LogMultiplexer } from '../../src/native/log-multiplexer.js';
import type { NativeProcessSpec } from '../../src/native/native-plan.js';
import { pickFreePort } from '../../src/native/ports.js';
import { ProcessSupervisor } from '../../src/native/process-supervisor.js';
import { runRollingRelease } from '../../src/native/rolling-release.js';
import { NativeStateStore, type NativeState } from '../../src/native/state-store.js';

// A rolling release run by a real supervisor over real processes: two api replicas, a worker that
// names the first replica by its address, and a balancer (a stand-in for the gateway that reads
// its UPSTREAMS_FILE and lists its replicas in /health/ready) behind an edge switch.
const FAKE_SERVICE = join(import.meta.dirname, 'fixtures', 'fake-service.mjs');
const FAKE_BALANCER = join(import.meta.dirname, 'fixtures', 'fake-balancer.mjs');

let dir: string;
let supervisor: ProcessSupervisor | undefined;
let switches: EdgeSwitch[] = [];
afterEach(async () => {
  await supervisor?.stop();
  await Promise.all(switches.map((edgeSwitch) => edgeSwitch.close()));
  rmSync(dir, { recursive: true, force: true });
});

const origin = (port: number | undefined) => `http://127.0.0.1:${port}`;

/** One release: api ×2, worker → api, gateway → both api replicas, each on a new free port. */
async function release(tag: string, apiEnv: Record<string, string> = {}): Promise<NativeProcessSpec[]> {
  const spec = async (name: string, service: string, replica: number, argv: string[], env: Record<string, string>, dependsOn: string[] = []): Promise<NativeProcessSpec> => {
    const port = await pickFreePort();
    return { name, service, replica, argv, cwd: dir, env: { PATH: process.env.PATH ?? '', PORT: String(port), SERVICE_NAME: name, ...env }, port, health: { http: `http://127.0.0.1:${port}/health/ready` }, dependsOn, restart: 'unless-stopped', startTimeoutMs: 5_000 };
  };
  const api1 = await spec('api', 'api', 1, [process.execPath, FAKE_SERVICE], apiEnv);
  const api2 = await spec('api-2', 'api', 2, [process.execPath, FAKE_SERVICE], apiEnv);
  const worker = await spec('worker', 'worker', 1, [process.execPath, FAKE_SERVICE], { UPSTREAM: origin(api1.port) }, ['api']);
  const upstreams = join(dir, `upstreams-${tag}.json`);
  const gateway = await spec('gateway', 'gateway', 1, [process.execPath, FAKE_BALANCER], { API_UPSTREAM: `${origin(api1.port)},${origin(api2.port)}`, UPSTREAMS_FILE: upstreams }, ['api', 'worker']);
  gateway.upstreamsFile = { path: upstreams, variables: ['API_UPSTREAM'] };
  return [api1, api2, worker, gateway];
}

async function running(specs: NativeProcessSpec[]) {
  const logs = new LogMultiplexer(() => undefined, join(dir, 'logs'), [...specs.map((s) => s.name)], false);
  supervisor = new ProcessSupervisor(specs, { logs, graceMs: 2_000 });
  await supervisor.start();
  switches = await startEdgeSwitches([{ service: 'gateway', port: await pickFreePort(), target: specs[3]!.port! }]);
  const store = new NativeStateStore(dir, 'demo');
  const state: NativeState = { project: 'demo', supervisorPid: process.pid, phase: 'running', startedAt: Date.now(), embedded: [], processes: supervisor.status() };
  return { store, state };
}

const alive = (pid: number | undefined) => {
  try {
    process.kill(pid!, 0);
    return true;
  } catch {
    return false;
  }
};

describe('runRollingRelease', { timeout: 60_000 }, () => {
  it('replaces one process at a time: replicas through the balancer\'s upstreams file, the balancer by its switch, a replica named directly only after its consumer', async () => {
    dir = mkdtempSync(join(tmpdir(), 'stack-rolling-'));
    const old = await release('old');
    const { store, state } = await running(old);
    const oldPids = supervisor!.status().map((status) => status.pid);
    const next = await release('new');

    await runRollingRelease({ id: 'r2', strategy: 'rolling', specs: next, drainMs: 2_000 }, { supervisor: supervisor!, switches }, state, store, () => undefined);

    expect(state.release?.phase, JSON.stringify(state.release)).toBe('done');
    const lines = state.release!.lines;
    expect(lines[0]).toBe('rolling 4 processes one at a time: api, api-2, worker, gateway');
    expect(lines).toContain(`api :${next[0]!.port} is healthy and takes traffic (gateway's API_UPSTREAM from :${old[0]!.port} to :${next[0]!.port})`);
    expect(lines).toContain(`gateway :${next[3]!.port} is healthy and takes traffic (gateway switch :${switches[0]!.spec.port} from :${old[3]!.port} to :${next[3]!.port})`);
    // The old api replica the old worker named stopped only once the new worker replaced it.
    const workerLine = lines.findIndex((line) => line.startsWith('worker :'));
    const oldApiStopped = lines.findIndex((line) => line.includes(`api~${old[0]!.port}`));
    expect(oldApiStopped).toBeGreaterThan(workerLine);
    expect(lines.find((line) => line.startsWith('stopped api-2~'))).toBe(`stopped api-2~${old[1]!.port}`);

    // The old balancer's set moved replica by replica to the new ones; the switch is on the new balancer.
    expect(JSON.parse(readFileSync(join(dir, 'upstreams-old.json'), 'utf8'))).toEqual({ API_UPSTREAM: `${origin(next[0]!.port)},${origin(next[1]!.port)}` });
    expect(switches[0]!.target).toBe(next[3]!.port);
    expect(supervisor!.status().map((status) => [status.name, status.port, status.state])).toEqual(next.map((spec) => [spec.name, spec.port, 'healthy']));
    for (const pid of oldPids) expect(alive(pid)).toBe(false);
  });

  it('stops the roll at a process that fails to start: it is stopped, the old one of its name keeps its place, with the last lines', async () => {
    dir = mkdtempSync(join(tmpdir(), 'stack-rolling-'));
    const old = await release('old');
    const { store, state } = await running(old);
    const before = supervisor!.status().map((status) => [status.name, status.pid]);
    const next = await release('new', { FAIL_AT_START: '1' });

    await runRollingRelease({ id: 'r2', strategy: 'rolling', specs: next, drainMs: 2_000 }, { supervisor: supervisor!, switches }, state, store, () => undefined);

    expect(state.release?.phase).toBe('failed');
    expect(state.release?.error).toBe('api exited with code 3 before it became healthy; the roll stopped there: the old api keeps serving; 0 of 4 processes were replaced');
    expect(state.release?.lastLines).toContain('api: cannot connect to the database');
    expect(supervisor!.status().map((status) => [status.name, status.pid])).toEqual(before);
    expect(switches[0]!.target).toBe(old[3]!.port);
    const answer = (await (await fetch(`http://127.0.0.1:${switches[0]!.spec.port}/health/ready`)).json()) as { checks: Record<string, { details: { replicas: { origin: string }[] } }> };
    expect(answer.checks['upstream:api']!.details.replicas.map((replica) => replica.origin)).toEqual([origin(old[0]!.port), origin(old[1]!.port)]);
  });
});
