import { mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';
import type { EdgeSwitch } from './edge-switch.js';
import { startupTiers, type NativeProcessSpec } from './native-plan.js';
import { NativeStartError, type ProcessSupervisor } from './process-supervisor.js';
import { fail, forgetUpstreamsFiles, retireMovedFrom, startProgress, type ReleaseRequest } from './release-runner.js';
import type { NativeState, NativeStateStore } from './state-store.js';

/*
 * A rolling release inside the running native supervisor: the new release's processes replace the
 * running ones one at a time, in dependency order. Each new process starts beside the old one of
 * its name and must become healthy; then traffic moves to it: into every balancer's upstream set
 * (the gateway's UPSTREAMS_FILE) with the old one out of it, or by the edge switch in front of it.
 * The old process is stopped (SIGTERM: it finishes its in-flight requests) once no switch holds a
 * connection to it and no running process names it directly (mcp-server names one nestjs-api
 * replica: the old replica waits for the new mcp-server). A new process that fails stops the
 * roll: the old one of its name never left rotation and keeps serving, the processes replaced so
 * far stay replaced, and the deploy exits non-zero with the failing process's last lines.
 */

interface Running {
  supervisor: ProcessSupervisor;
  switches: readonly EdgeSwitch[];
}

/** How often a balancer reads its upstreams file (the gateway's stat interval), twice over. */
const BALANCER_SEES_CHANGE_MS = 500;
/** Longest wait for a balancer's readiness to show a change of its upstream set. */
const BALANCER_TIMEOUT_MS = 5_000;

const origin = (port: number) => `http://127.0.0.1:${port}`;

/** Runs one rolling release to its end; never throws (a failure is recorded in the state). */
export async function runRollingRelease(request: ReleaseRequest, running: Running, state: NativeState, store: NativeStateStore, say: (text: string) => void): Promise<void> {
  const { supervisor } = running;
  const step = startProgress(request, state, store, say);
  forgetUpstreamsFiles(request.specs);
  const tiers = startupTiers(new Map(request.specs.map((spec) => [spec.service, spec.dependsOn])));
  const order = tiers.flatMap((tier) => request.specs.filter((spec) => tier.includes(spec.service)).sort((a, b) => a.service.localeCompare(b.service) || a.replica - b.replica));
  // Retired processes a failed roll left running are stopped by this one once nothing names them.
  const retired = supervisor.supervised().filter(({ name }) => name.includes('~')).map(({ name }) => name);
  step(`rolling ${order.length} processes one at a time: ${order.map((spec) => spec.name).join(', ')}`);
  let replaced = 0;
  for (const spec of order) {
    const oldPort = supervisor.status().find((status) => status.name === spec.name)?.port;
    let candidate;
    try {
      candidate = await supervisor.startRelease([spec]);
    } catch (error) {
      await stopUnreferenced(supervisor, retired);
      state.processes = supervisor.status();
      const lastLines = error instanceof NativeStartError ? error.lastLines : [];
      const kept = `the old ${spec.name} keeps serving; ${replaced} of ${order.length} processes were replaced${replaced ? ' and run the new release' : ''}`;
      fail(state, store, `${(error as Error).message}; the roll stopped there: ${kept}`, lastLines);
      return;
    }
    const moves = oldPort && spec.port ? await moveTraffic(oldPort, spec.port, running) : [];
    retired.push(...supervisor.replaceProcesses(candidate));
    replaced += 1;
    step(`${spec.name} :${spec.port} is healthy and takes traffic (${moves.join('; ') || 'nothing routed to the old one'})`, 'switching');
    if (oldPort) await drainSwitches(running.switches, oldPort, request.drainMs);
    const stopped = await stopUnreferenced(supervisor, retired);
    if (stopped.length) step(`stopped ${stopped.join(', ')}`, 'draining');
    state.processes = supervisor.status();
    store.write(state);
  }
  for (const name of retired.splice(0)) await supervisor.stopProcess(name);
  state.processes = supervisor.status();
  step('every process replaced; the old release is stopped', 'done');
}

/**
 * Moves traffic from `from` to `to`: the edge switches forwarding to `from`, and every balancer
 * whose upstream lists name it (new replica in, seen, old one out, seen). Returns what moved.
 */
async function moveTraffic(from: number, to: number, running: Running): Promise<string[]> {
  const moves: string[] = [];
  for (const edgeSwitch of running.switches) {
    if (edgeSwitch.target !== from) continue;
    edgeSwitch.moveTo(to);
    moves.push(`${edgeSwitch.spec.service} switch :${edgeSwitch.spec.port} from :${from} to :${to}`);
  }
  if (moves.length) {
    const retired = retireMovedFrom(running.supervisor, running.supervisor.status(), [from]);
    if (retired.length) moves.push(`${retired.join(', ')} told to close its keep-alive connections between requests`);
  }
  for (const { name, spec } of running.supervisor.supervised()) {
    if (!spec.upstreamsFile) continue;
    const lists = readUpstreamLists(spec);
    const named = Object.entries(lists).filter(([, list]) => list.includes(origin(from)));
    if (named.length === 0) continue;
    writeUpstreamLists(spec, { ...lists, ...Object.fromEntries(named.map(([key, list]) => [key, [...list, origin(to)]])) });
    await balancerShows(spec, origin(to), true);
    writeUpstreamLists(spec, { ...lists, ...Object.fromEntries(named.map(([key, list]) => [key, list.map((item) => (item === origin(from) ? origin(to) : item))])) });
    await balancerShows(spec, origin(from), false);
    moves.push(`${name}'s ${named.map(([key]) => key).join(', ')} from :${from} to :${to}`);
  }
  return moves;
}

/** A balancer's upstream lists as origins: its upstreams file when written, else its own variables. */
function readUpstreamLists(spec: NativeProcessSpec): Record<string, string[]> {
  let written: Record<string, string> = {};
  try {
    written = JSON.parse(readFileSync(spec.upstreamsFile!.path, 'utf8')) as Record<string, string>;
  } catch {
    // Not written yet: the variables it started with hold.
  }
  const lists: Record<string, string[]> = {};
  for (const key of spec.upstreamsFile!.variables) {
    const value = written[key] ?? spec.env[key];
    if (value !== undefined) lists[key] = value.split(',').map((item) => new URL(item.trim()).origin);
  }
  return lists;
}

/** Written whole and renamed into place: the balancer never reads half a file. */
function writeUpstreamLists(spec: NativeProcessSpec, lists: Record<string, string[]>): void {
  const file = spec.upstreamsFile!.path;
  mkdirSync(dirname(file), { recursive: true, mode: 0o700 });
  writeFileSync(`${file}.next`, JSON.stringify(Object.fromEntries(Object.entries(lists).map(([key, list]) => [key, list.join(',')]))), { mode: 0o600 });
  renameSync(`${file}.next`, file);
}

/**
 * Waits until the balancer has read its file: its readiness report (the gateway lists every
 * replica's origin) shows `target` (or no longer does). A balancer whose report names no replica
 * is given the file's read interval.
 */
async function balancerShows(spec: NativeProcessSpec, target: string, present: boolean): Promise<void> {
  const began = Date.now();
  const url = spec.health && 'http' in spec.health ? spec.health.http : undefined;
  while (Date.now() - began < BALANCER_TIMEOUT_MS) {
    await new Promise((resolve) => setTimeout(resolve, 100));
    const report = url ? await fetch(url, { signal: AbortSignal.timeout(1_000) }).then((response) => response.text()).catch(() => '') : '';
    if (report.includes(`"${target}"`) === present && (report.includes('"origin"') || Date.now() - began >= BALANCER_SEES_CHANGE_MS)) return;
  }
}

/** Waits until the switches moved away from `port` hold no connection to it, up to `drainMs`. */
async function drainSwitches(switches: readonly EdgeSwitch[], port: number, drainMs: number): Promise<void> {
  const deadline = Date.now() + drainMs;
  while (switches.some((edgeSwitch) => edgeSwitch.openTo(port) > 0) && Date.now() < deadline) await new Promise((resolve) => setTimeout(resolve, 50));
}

/**
 * Stops the retired processes no other running process names by address (outside the upstream
 * lists a roll rewrites), repeating as each stop frees others. Returns the names stopped.
 */
async function stopUnreferenced(supervisor: ProcessSupervisor, retired: string[]): Promise<string[]> {
  const stopped: string[] = [];
  for (let changed = true; changed; ) {
    changed = false;
    const running = supervisor.supervised();
    for (const name of [...retired]) {
      const port = supervisor.status().find((status) => status.name === name)?.port;
      const address = new RegExp(`(127\\.0\\.0\\.1|localhost):${port}(?!\\d)`);
      const needed = port !== undefined && running.some((other) => other.name !== name && Object.entries(other.spec.env).some(([key, value]) => key !== 'PORT' && !other.spec.upstreamsFile?.variables.includes(key) && address.test(value)));
      if (needed) continue;
      await supervisor.stopProcess(name);
      retired.splice(retired.indexOf(name), 1);
      stopped.push(name);
      changed = true;
    }
  }
  return stopped;
}
