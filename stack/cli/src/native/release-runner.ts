import { spawnSync } from 'node:child_process';
import { closeSync, openSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { EdgeSwitch } from './edge-switch.js';
import { CONTROL_SIGNAL } from './native-control.js';
import type { NativeProcessSpec } from './native-plan.js';
import { NativeStartError, type ProcessSupervisor } from './process-supervisor.js';
import type { NativeState, NativeStateStore, ReleaseProgress } from './state-store.js';

/*
 * A blue-green release inside the running native supervisor. `stack deploy` (another process)
 * writes the new release's process specs to a request file and sends the control signal; the
 * supervisor starts them beside the running ones, and only when every new process is healthy
 * moves the edge's switches (edge-switch.ts) to them, waits until the connections still open to
 * the old processes are done, then stops the old processes, which finish theirs. nginx is not
 * reloaded, so the clients' keep-alive connections are left alone. Progress goes to the state
 * file, where the deploy command reads it.
 */

export interface ReleaseRequest {
  id: string;
  /** blue-green (the default): every new process beside the old, then one switch; rolling: one process at a time (rolling-release.ts). */
  strategy?: 'blue-green' | 'rolling';
  specs: NativeProcessSpec[];
  /** Longest wait for the old edge workers to finish their requests after the reload. */
  drainMs: number;
}

function requestFile(store: NativeStateStore): string {
  return join(store.dir, 'release-request.json');
}

/** Deploy side: hands the release to the supervisor. */
export function requestRelease(store: NativeStateStore, live: NativeState, request: ReleaseRequest): void {
  writeFileSync(requestFile(store), JSON.stringify(request), { mode: 0o600 });
  process.kill(live.supervisorPid, CONTROL_SIGNAL);
}

/** Supervisor side: the pending release request, if any (taken: a second signal does not repeat it). */
export function takeReleaseRequest(store: NativeStateStore): ReleaseRequest | undefined {
  try {
    const request = JSON.parse(readFileSync(requestFile(store), 'utf8')) as ReleaseRequest;
    rmSync(requestFile(store), { force: true });
    return typeof request.id === 'string' && Array.isArray(request.specs) ? request : undefined;
  } catch {
    return undefined;
  }
}

/** Runs one release to its end; never throws (a failure is recorded in the state). */
export async function runRelease(request: ReleaseRequest, running: { supervisor: ProcessSupervisor; switches: readonly EdgeSwitch[] }, state: NativeState, store: NativeStateStore, say: (text: string) => void): Promise<void> {
  const { supervisor, switches } = running;
  const step = startProgress(request, state, store, say);
  forgetUpstreamsFiles(request.specs);
  const statuses = supervisor.status();
  const edge = supervisor.specs().find((spec) => spec.reloadableConfigRoot);
  const edgeStatus = statuses.find((status) => status.name === edge?.name);
  if ((!edge || !edgeStatus?.pid) && switches.length === 0) {
    fail(state, store, 'no edge to switch: a native deploy needs the nginx edge, or the switch `up` puts in front of the gateway without one (staging or production)');
    return;
  }
  step(`starting ${request.specs.length} new processes beside the running ones: ${request.specs.map((spec) => `${spec.name} :${spec.port}`).join(', ')}`);
  let candidate;
  try {
    candidate = await supervisor.startRelease(request.specs);
  } catch (error) {
    const lastLines = error instanceof NativeStartError ? error.lastLines : [];
    fail(state, store, `${(error as Error).message}; traffic stays on the running release, the new one is stopped`, lastLines);
    return;
  }
  step('every new process is healthy: switching the edge', 'switching');

  // The new processes replace the old of the same name: every old address becomes the new one.
  const moves = new Map<number, number>();
  for (const spec of request.specs) {
    const old = statuses.find((status) => status.name === spec.name)?.port;
    if (old && spec.port && old !== spec.port) moves.set(old, spec.port);
  }
  // An address the edge's config names directly (not through a switch) needs a reload; with the
  // switches `up` sets up there is none, and the clients' connections are left alone.
  const rewritten = !edge ? new Map<string, string>() : rewriteAddresses(edge.reloadableConfigRoot!, new Map([...moves].map(([from, to]) => [`127.0.0.1:${from}`, `127.0.0.1:${to}`])));
  if (rewritten.size) {
    const test = testConfig(edge!);
    if (test !== undefined) {
      for (const [file, text] of rewritten) writeFileSync(file, text);
      await supervisor.discardRelease(candidate);
      fail(state, store, `the edge's config with the new addresses fails nginx -t (${test}); traffic stays on the running release`);
      return;
    }
  }
  const moved: { edgeSwitch: EdgeSwitch; from: number }[] = [];
  for (const edgeSwitch of switches) {
    const to = moves.get(edgeSwitch.target);
    if (to === undefined) continue;
    moved.push({ edgeSwitch, from: edgeSwitch.target });
    edgeSwitch.moveTo(to);
  }
  const retired = retireMovedFrom(supervisor, statuses, moved.map(({ from }) => from));
  const oldWorkers = rewritten.size && edgeStatus?.pid ? childrenOf(edgeStatus.pid) : [];
  if (rewritten.size && edgeStatus?.pid) process.kill(edgeStatus.pid, 'SIGHUP');
  const how = [
    ...moved.map(({ edgeSwitch, from }) => `${edgeSwitch.spec.service} switch :${edgeSwitch.spec.port} from :${from} to :${edgeSwitch.target}`),
    ...(rewritten.size ? [`${edge!.name} reloaded (${rewritten.size} config file(s))`] : []),
  ];
  if (retired.length) how.push(`${retired.join(', ')} told to close its keep-alive connections between requests`);
  step(`traffic moved (${how.join('; ') || 'nothing named the old addresses'}); draining the old release`, 'draining');
  const drainDeadline = Date.now() + request.drainMs;
  const drained = (await waitGone(oldWorkers, request.drainMs)) && (await waitUntil(() => moved.every(({ edgeSwitch, from }) => edgeSwitch.openTo(from) === 0), drainDeadline));
  if (!drained) step(`old release still busy after ${Math.round(request.drainMs / 1000)} s: stopping it anyway`);
  await supervisor.promoteRelease(candidate);
  state.processes = supervisor.status();
  step('old release stopped', 'done');
}

/**
 * Sends each old process a switch has moved away from its declared retire signal, so the clients'
 * keep-alive connections through the switch end between requests instead of when it is stopped.
 * Returns the names told.
 */
export function retireMovedFrom(supervisor: ProcessSupervisor, statuses: readonly { name: string; port?: number }[], ports: readonly number[]): string[] {
  return statuses.filter((status) => status.port !== undefined && ports.includes(status.port) && supervisor.retire(status.name)).map((status) => status.name);
}

/** `nginx -t` of the edge's config: undefined when it passes, else its first line. */
function testConfig(edge: NativeProcessSpec): string | undefined {
  // A file, not a pipe, as its output: the config opens /dev/stdout by name.
  const outputFile = join(edge.reloadableConfigRoot!, 'deploy-nginx-t.out');
  const fd = openSync(outputFile, 'w', 0o600);
  let status: number | null;
  try {
    status = spawnSync(edge.argv[0]!, [...edge.argv.slice(1), '-t', '-q'], { stdio: ['ignore', fd, fd], timeout: 30_000 }).status;
  } finally {
    closeSync(fd);
  }
  const output = readFileSync(outputFile, 'utf8');
  rmSync(outputFile, { force: true });
  return status === 0 ? undefined : (output.split('\n').find(Boolean) ?? 'nginx -t failed');
}

/** Starts the release's progress in the state; returns how to add a line to it (and change its phase). */
export function startProgress(request: ReleaseRequest, state: NativeState, store: NativeStateStore, say: (text: string) => void): (line: string, phase?: ReleaseProgress['phase']) => void {
  const release: ReleaseProgress = { id: request.id, phase: 'starting', lines: [] };
  state.release = release;
  return (line, phase) => {
    say(`deploy ${request.id}: ${line}`);
    release.lines.push(line);
    if (phase) release.phase = phase;
    store.write(state);
  };
}

/**
 * A rollback's processes run again with the upstreams file of their first run: left over, it
 * would name replicas long gone. Their own variables hold until a roll writes it again.
 */
export function forgetUpstreamsFiles(specs: readonly NativeProcessSpec[]): void {
  for (const spec of specs) if (spec.upstreamsFile) rmSync(spec.upstreamsFile.path, { force: true });
}

/** Marks the release failed, with the failing process's last lines. */
export function fail(state: NativeState, store: NativeStateStore, error: string, lastLines: string[] = []): void {
  if (state.release) Object.assign(state.release, { phase: 'failed', error, lastLines });
  store.write(state);
}

/** Replaces addresses in every file under `root`; returns the files changed with their old text. */
function rewriteAddresses(root: string, moves: ReadonlyMap<string, string>): Map<string, string> {
  const changed = new Map<string, string>();
  for (const file of listFiles(root)) {
    const text = readFileSync(file, 'utf8');
    // Longest first, and word-bounded: 127.0.0.1:4000 must not rewrite 127.0.0.1:40001.
    let next = text;
    for (const [from, to] of [...moves].sort((a, b) => b[0].length - a[0].length)) next = next.replace(new RegExp(`${from.replaceAll('.', '\\.')}(?!\\d)`, 'g'), to);
    if (next !== text) {
      changed.set(file, text);
      writeFileSync(file, next);
    }
  }
  return changed;
}

function listFiles(path: string): string[] {
  try {
    if (!statSync(path).isDirectory()) return statSync(path).size < 1 << 20 ? [path] : [];
  } catch {
    return [];
  }
  return readdirSync(path).flatMap((name) => listFiles(join(path, name)));
}

/** Live children of `pid` (nginx's workers), from /proc; empty where there is no /proc. */
function childrenOf(pid: number): number[] {
  try {
    return readdirSync('/proc')
      .map(Number)
      .filter((candidate) => Number.isInteger(candidate) && candidate > 0 && parentOf(candidate) === pid);
  } catch {
    return [];
  }
}

function parentOf(pid: number): number | undefined {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    return Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]);
  } catch {
    return undefined;
  }
}

/** True once `done()` holds, false if `deadline` (epoch ms) passes first. */
async function waitUntil(done: () => boolean, deadline: number): Promise<boolean> {
  while (!done()) {
    if (Date.now() >= deadline) return false;
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  return true;
}

/** True when every pid is gone within `timeoutMs`. */
async function waitGone(pids: number[], timeoutMs: number): Promise<boolean> {
  if (pids.length === 0) return true;
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (pids.every((pid) => parentOf(pid) === undefined)) return true;
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  return false;
}
