// `npm run bench:memory -w e2e`: each Node service's resident memory at idle, then a soak.
//
// Idle (issue 18: at most 100 MiB per Node service): MEMORY_STARTS (3) starts of the four services
// with the idle memory release on and as many with it off (IDLE_MEMORY_RELEASE=false), in ABBA
// order, against a bare Node HTTP server from the same run. Each start is read IDLE_READ_SECONDS
// (28) after the last service is ready: the release needs 10 quiet seconds, a GC, 6 s more and the
// second GC (about 17 s of quiet loop), and on a loaded machine start-up work and timer drift push
// that back; 28 s leaves room, and the bench checks it happened (`idle_memory_releases_total`).
// Judged on the median of the starts; every start and the spread are printed.
// Then LOAD_SECONDS (15) of load on each start: throughput with the release on and off, and the
// releases that ran during the load (the release must never run under load: 0).
//
// Soak (issue 18: no growth beyond 10% over 10 minutes of steady load): the last start (release
// on) takes SOAK_MINUTES (10) of steady load through the gateway on every service, RSS sampled
// every SOAK_SAMPLE_SECONDS (5). V8 lets garbage pile up in the old generation between full GCs,
// so a service's RSS under load is a sawtooth (mcp-server and fastify-api swing 150-240 MiB within
// a minute) and two single samples compare GC phases, not growth: judged is the median of the
// minute after the warm-up (the first minute, that fills caches, JIT code and pools) against the
// median of the last minute. The single samples are printed too. After the soak, the process is
// read idle again: what it holds then, above its idle reading before the soak, is what the load
// left behind (a leak would show there).
// Growth is judged on RSS alone; where it is comes with it, from each service's /metrics: V8's
// young generation (V8 doubles it under load up to a fixed ceiling, 32 MiB on Node 20: bounded),
// the heap-used floor (the lowest sample of a window, nearest after a GC: retained objects raise
// it) and RSS outside the V8 heap (native memory).
//
// Each service runs with the memory settings (`NODE_OPTIONS`, `MALLOC_ARENA_MAX`) the development
// environment gives it, as `npm start` runs it: the compose project resolved by the engine and each
// service's variables taken as the native runner takes them (both from @codiesvibe/stack);
// MEMORY_SETTINGS=off runs every service with Node's defaults instead, to measure what they buy.
//
import { type ChildProcess, spawn } from 'node:child_process';
import { once } from 'node:events';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { isComposeError } from '@codiesvibe/compose';
import { freePort } from '@codiesvibe/shared/testing';
import { nativeServiceVariables, resolveProject, type GlobalOptions } from '@codiesvibe/stack';
import { REPO_ROOT, residentMemoryMiB } from '../test/native-stack-harness.js';

const IDLE_TARGET_MIB = 100;
const GROWTH_TARGET = 0.1;
const SERVICE_NAMES = ['nestjs-api', 'mcp-server', 'fastify-api', 'gateway'] as const;

function positiveNumber(name: string, fallback: number): number {
  const raw = process.env[name];
  if (raw === undefined) return fallback;
  const value = Number(raw);
  if (!Number.isFinite(value) || value <= 0) {
    console.error(`bench: ${name}="${raw}" is not a positive number`);
    process.exit(1);
  }
  return value;
}

const starts = Math.round(positiveNumber('MEMORY_STARTS', 3));
const idleReadSeconds = positiveNumber('IDLE_READ_SECONDS', 28);
const loadSeconds = positiveNumber('LOAD_SECONDS', 15);
const soakMinutes = positiveNumber('SOAK_MINUTES', 10);
const sampleSeconds = positiveNumber('SOAK_SAMPLE_SECONDS', 5);
const concurrency = positiveNumber('SOAK_CONCURRENCY', 8);
const memorySettingsOn = (process.env.MEMORY_SETTINGS ?? 'on') !== 'off';
if (!['on', 'off'].includes(process.env.MEMORY_SETTINGS ?? 'on')) {
  console.error(`bench: MEMORY_SETTINGS="${process.env.MEMORY_SETTINGS}" must be on or off`);
  process.exit(1);
}
const verdict = (met: boolean) => (met ? 'PASS' : 'MISSED');
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** A bare `node` HTTP server's idle resident memory: the floor any Node service starts from. */
const median = (values: number[]) => {
  const sorted = [...values].sort((a, b) => a - b);
  const middle = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? sorted[middle]! : (sorted[middle - 1]! + sorted[middle]!) / 2;
};
const mib = (value: number) => value.toFixed(1).padStart(6);
const loadAverage = () => loadavg().map((value) => value.toFixed(2)).join(' ');

/** A bare `node` HTTP server's idle resident memory: the floor any Node service starts from. */
async function bareNodeRss(): Promise<number> {
  const child = spawn(process.execPath, ['-e', "require('http').createServer((q,s)=>s.end('ok')).listen(0,'127.0.0.1',function(){console.log(this.address().port)})"], {
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  const port = await new Promise<number>((resolve) => child.stdout.once('data', (chunk: Buffer) => resolve(Number(chunk.toString()))));
  await (await fetch(`http://127.0.0.1:${port}/`)).text();
  await sleep(2000);
  const rss = residentMemoryMiB(child.pid!);
  child.kill();
  return rss;
}

const MEMORY_VARIABLES = ['NODE_OPTIONS', 'MALLOC_ARENA_MAX'] as const;

/** The bench's own environment without the memory variables, so only the compose project's apply. */
function withoutMemorySettings(env: NodeJS.ProcessEnv): NodeJS.ProcessEnv {
  const copy = { ...env };
  for (const key of MEMORY_VARIABLES) delete copy[key];
  return copy;
}

/**
 * The memory settings each service runs with in the development environment, by service name:
 * the project loaded as `stack --env development up` loads it (`npm start` is `stack up`, whose
 * compose tree defaults to development), each service's variables as the native runner declares
 * them. The rest of the native plan (ports, addresses) is the bench's own.
 */
function developmentMemorySettings(): Map<string, Record<string, string>> {
  const globals: GlobalOptions = { files: [], envFiles: [], profiles: [], environment: 'development', debug: false, help: false };
  const io = { stdout: (text: string) => process.stdout.write(text), stderr: (text: string) => process.stderr.write(text), cwd: REPO_ROOT, env: withoutMemorySettings(process.env) };
  const { project } = resolveProject(globals, io, { refuseExampleEnvFile: true });
  const settings = new Map<string, Record<string, string>>();
  for (const name of SERVICE_NAMES) {
    const service = project.services[name];
    if (!service) throw new Error(`the development environment has no service ${name} (${project.composeFiles[0]})`);
    const variables = nativeServiceVariables(name, service);
    settings.set(name, Object.fromEntries(MEMORY_VARIABLES.flatMap((key) => (variables[key] === undefined ? [] : [[key, variables[key]]]))));
  }
  return settings;
}
/** A compose tree the engine cannot load ends the bench with its one line (`file:line: message [CODE]`). */
function memorySettingsOrExit(): Map<string, Record<string, string>> {
  if (!memorySettingsOn) return new Map<string, Record<string, string>>();
  try {
    return developmentMemorySettings();
  } catch (error) {
    console.error(`bench: ${isComposeError(error) ? error.format() : (error as Error).message}`);
    process.exit(1);
  }
}
const memorySettings = memorySettingsOrExit();
/** What a service runs with, for the bench's header. */
const describeSettings = (name: string) =>
  Object.entries(memorySettings.get(name) ?? {})
    .map(([key, value]) => `${key}=${value}`)
    .join(' ') || "Node's defaults";

interface Service {
  name: string;
  child: ChildProcess;
  url: string;
}

/** The four services of one start, the gateway last; `release` is IDLE_MEMORY_RELEASE. */
interface Stack {
  release: boolean;
  services: Service[];
  gateway: Service;
}

const scratch = mkdtempSync(join(tmpdir(), 'codiesvibe-memory-'));
const running = new Set<Service>();

/** Starts `backend/<name>/dist/main.js` on a free port and waits for its readiness. */
async function startService(name: string, dataDir: string, env: Record<string, string>): Promise<Service> {
  const port = await freePort();
  const url = `http://127.0.0.1:${port}`;
  const child = spawn(process.execPath, [join(REPO_ROOT, 'backend', name, 'dist', 'main.js')], {
    cwd: scratch,
    env: { ...withoutMemorySettings(process.env), NODE_ENV: 'development', LOG_LEVEL: 'warn', HOST: '127.0.0.1', PORT: String(port), DATA_DIR: join(dataDir, name), ...memorySettings.get(name), ...env },
    stdio: ['ignore', 'ignore', 'inherit'],
  });
  const service = { name, child, url };
  running.add(service);
  for (let attempt = 0; attempt < 600; attempt++) {
    if (child.exitCode !== null) throw new Error(`${name} exited with ${child.exitCode} (is it built? npm run build)`);
    try {
      if ((await fetch(`${url}/health/ready`)).ok) return service;
    } catch {
      // not listening yet
    }
    await sleep(100);
  }
  throw new Error(`${name} was not ready within 60 s`);
}

let startCount = 0;
/** The stack as `npm start` runs it natively, each start with its own fresh embedded stores. */
async function startStack(release: boolean): Promise<Stack> {
  const dataDir = join(scratch, `start-${++startCount}`);
  const common = { IDLE_MEMORY_RELEASE: String(release) };
  const api = await startService('nestjs-api', dataDir, common);
  const mcp = await startService('mcp-server', dataDir, { ...common, TOOLS_API_URL: api.url });
  const ai = await startService('fastify-api', dataDir, { ...common, MCP_SERVER_URL: `${mcp.url}/mcp` });
  const frontendDir = join(REPO_ROOT, 'frontend', 'dist');
  const frontend: Record<string, string> = existsSync(frontendDir) ? { FRONTEND_DIR: frontendDir } : { FRONTEND_UPSTREAM: 'http://127.0.0.1:9' };
  // Every client comes from 127.0.0.1: a budget that one address never reaches (the limiter still runs).
  const gateway = await startService('gateway', dataDir, { ...common, API_UPSTREAM: api.url, AI_UPSTREAM: ai.url, MCP_UPSTREAM: mcp.url, RATE_LIMIT_MAX: '100000000', ...frontend });
  return { release, services: [api, mcp, ai, gateway], gateway };
}

async function stop(services: Iterable<Service>): Promise<void> {
  await Promise.all(
    [...services].map(async (service) => {
      running.delete(service);
      const { child } = service;
      if (child.exitCode !== null || child.signalCode !== null) return;
      const exited = once(child, 'exit');
      child.kill('SIGTERM');
      await exited;
    }),
  );
}

const metricOf = (text: string, name: string, labels = '') =>
  Number(new RegExp(`^${name}(?:\\{[^}]*${labels}[^}]*\\})? (\\S+)$`, 'm').exec(text)?.[1] ?? Number.NaN);

/** `idle_memory_releases_total` from the service's /metrics (0 when the release is off). */
async function releasesOf(service: Service): Promise<number> {
  const text = await (await fetch(`${service.url}/metrics`)).text();
  const releases = metricOf(text, 'idle_memory_releases_total');
  return Number.isNaN(releases) ? 0 : releases;
}

/**
 * Where a service's memory is, in MiB, from its /metrics (prom-client's process metrics) and RSS:
 * the V8 heap in use (live objects and garbage not yet collected), V8's young generation (both
 * semi-spaces, which V8 grows under load up to its maximum semi-space size and the idle release
 * shrinks), and what RSS holds outside the V8 heap (the node binary's pages, native allocations).
 */
interface MemoryBreakdown {
  rss: number;
  heapUsed: number;
  youngGeneration: number;
  outsideHeap: number;
  /** Of `outsideHeap`, what JavaScript holds there: Buffers and ArrayBuffers (V8's external memory). */
  external: number;
}

async function breakdownOf(service: Service): Promise<MemoryBreakdown> {
  const text = await (await fetch(`${service.url}/metrics`)).text();
  const rss = residentMemoryMiB(service.child.pid!);
  const MiB = 1024 * 1024;
  return {
    rss,
    heapUsed: metricOf(text, 'nodejs_heap_size_used_bytes') / MiB,
    youngGeneration: metricOf(text, 'nodejs_heap_space_size_total_bytes', 'space="new"') / MiB,
    outsideHeap: rss - metricOf(text, 'nodejs_heap_size_total_bytes') / MiB,
    external: metricOf(text, 'nodejs_external_memory_bytes') / MiB,
  };
}
const releasesOfAll = (stack: Stack) => Promise.all(stack.services.map(releasesOf));

/** The requests a user's session makes, spread over every service behind the gateway. */
function requestsFor(base: string): { name: string; send: () => Promise<Response> }[] {
  const json = { 'content-type': 'application/json' };
  const queries = ['code review', 'terminal agent', 'testing', 'self-hosted assistant', 'documentation', 'ide'];
  let turn = 0;
  const query = () => queries[turn++ % queries.length]!;
  return [
    { name: 'GET /api/tools', send: () => fetch(`${base}/api/tools?limit=20`) },
    { name: 'GET /api/tools?q', send: () => fetch(`${base}/api/tools?q=${encodeURIComponent(query())}&limit=10`) },
    { name: 'GET /api/tools?category', send: () => fetch(`${base}/api/tools?category=testing&sort=name&limit=10`) },
    { name: 'GET /api/tools/:slug', send: () => fetch(`${base}/api/tools/cursor`) },
    { name: 'POST /ai/search', send: () => fetch(`${base}/ai/search`, { method: 'POST', headers: json, body: JSON.stringify({ query: query(), limit: 5 }) }) },
    {
      name: 'POST /mcp search_tools',
      send: () =>
        fetch(`${base}/mcp`, {
          method: 'POST',
          headers: { ...json, accept: 'application/json, text/event-stream' },
          body: JSON.stringify({ jsonrpc: '2.0', id: 1, method: 'tools/call', params: { name: 'search_tools', arguments: { query: query() } } }),
        }),
    },
  ];
}

interface LoadCounts {
  ok: number;
  failed: number;
  failures: Map<string, number>;
}

/** `concurrency` clients cycling through the request mix on the gateway for `ms`. */
async function load(stack: Stack, ms: number, counts: LoadCounts = { ok: 0, failed: 0, failures: new Map() }): Promise<LoadCounts> {
  const requests = requestsFor(stack.gateway.url);
  const stopAt = Date.now() + ms;
  const fail = (what: string) => {
    counts.failed++;
    counts.failures.set(what, (counts.failures.get(what) ?? 0) + 1);
  };
  await Promise.all(
    Array.from({ length: concurrency }, async (_, client) => {
      for (let index = client; Date.now() < stopAt; index++) {
        const request = requests[index % requests.length]!;
        try {
          const response = await request.send();
          await response.arrayBuffer();
          if (response.ok) counts.ok++;
          else fail(`${request.name} -> ${response.status}`);
        } catch (error) {
          fail(`${request.name} -> ${(error as Error).message}`);
        }
      }
    }),
  );
  return counts;
}

interface StartReading {
  release: boolean;
  /** Per service, in SERVICE_NAMES order. */
  idleRss: number[];
  idleMemory: MemoryBreakdown[];
  idleReleases: number[];
  loadReleases: number[];
  requestsPerSecond: number;
  failed: number;
}

/** Idle RSS IDLE_READ_SECONDS after ready, then LOAD_SECONDS of load: its throughput and the releases that ran in it. */
async function measureStart(stack: Stack): Promise<StartReading> {
  await sleep(idleReadSeconds * 1000);
  const idleMemory = await Promise.all(stack.services.map(breakdownOf));
  const idleRss = idleMemory.map((reading) => reading.rss);
  const idleReleases = await releasesOfAll(stack);
  const counts = await load(stack, loadSeconds * 1000);
  // Read at once: a release needs 10 quiet seconds after the load, so one seen here ran during it.
  const afterLoad = await releasesOfAll(stack);
  return {
    release: stack.release,
    idleRss,
    idleMemory,
    idleReleases,
    loadReleases: afterLoad.map((count, index) => count - idleReleases[index]!),
    requestsPerSecond: counts.ok / loadSeconds,
    failed: counts.failed,
  };
}

process.on('SIGINT', () => void stop(running).finally(() => process.exit(130)));
let failed = false;
try {
  const bare = median(await Promise.all(Array.from({ length: starts }, bareNodeRss)));
  console.log(`memory settings (MEMORY_SETTINGS=${memorySettingsOn ? "on: the development environment's, as npm start runs them" : "off: Node's defaults"}):`);
  for (const name of SERVICE_NAMES) console.log(`  ${name.padEnd(12)} ${describeSettings(name)}`);
  console.log(`baseline: a bare node http server idles at ${bare.toFixed(1)} MiB (median of ${starts})  load ${loadAverage()}`);

  // ABBA: release off, on, on, off, off, on ... so drift in the machine's load hits both alike;
  // the last start has the release on and stays up for the soak.
  const order = Array.from({ length: 2 * starts }, (_, index) => [false, true, true, false][index % 4]!);
  if (!order.at(-1)) order.reverse();
  const readings: StartReading[] = [];
  let soakStack: Stack | undefined;
  console.log(`\n${2 * starts} starts (release off and on, ABBA); idle RSS ${idleReadSeconds} s after ready, then ${loadSeconds} s of load (${concurrency} clients through the gateway)`);
  console.log(`  start  release  ${SERVICE_NAMES.map((name) => name.padStart(11)).join(' ')}  MiB   releases idle/load   req/s`);
  for (const [index, release] of order.entries()) {
    const stack = await startStack(release);
    const reading = await measureStart(stack);
    readings.push(reading);
    if (index === order.length - 1) soakStack = stack;
    else await stop(stack.services);
    console.log(
      `  ${String(index + 1).padStart(5)}  ${(release ? 'on' : 'off').padEnd(7)}  ${reading.idleRss.map((rss) => mib(rss).padStart(11)).join(' ')}        ${reading.idleReleases.join(',')} / ${reading.loadReleases.join(',')}   ${reading.requestsPerSecond.toFixed(0).padStart(5)}${reading.failed ? `  ${reading.failed} failed` : ''}  load ${loadAverage()}`,
    );
  }

  console.log(`\nidle resident memory, median of ${starts} starts [min-max] (target <= ${IDLE_TARGET_MIB} MiB per Node service, judged with the release on):`);
  for (const [index, name] of SERVICE_NAMES.entries()) {
    const of = (release: boolean) => readings.filter((reading) => reading.release === release).map((reading) => reading.idleRss[index]!);
    const [on, off] = [of(true), of(false)];
    const met = median(on) <= IDLE_TARGET_MIB;
    if (!met) failed = true;
    console.log(
      `  ${name.padEnd(12)} on ${mib(median(on))} [${Math.min(...on).toFixed(1)}-${Math.max(...on).toFixed(1)}]  off ${mib(median(off))} [${Math.min(...off).toFixed(1)}-${Math.max(...off).toFixed(1)}]  ${(median(on) / bare).toFixed(2)}x bare node  ${verdict(met)}`,
    );
  }
  const unreleased = readings.filter((reading) => reading.release && reading.idleReleases.some((count) => count === 0)).length;
  if (unreleased) console.log(`  note: in ${unreleased} start(s) a service had not released yet when read (IDLE_READ_SECONDS too short for this machine's load?)`);

  const throughput = (release: boolean) => median(readings.filter((reading) => reading.release === release).map((reading) => reading.requestsPerSecond));
  const releasesUnderLoad = readings.reduce((sum, reading) => sum + reading.loadReleases.reduce((a, b) => a + b, 0), 0);
  console.log(`\nthroughput under load, median of ${starts}: release on ${throughput(true).toFixed(0)} req/s, off ${throughput(false).toFixed(0)} req/s (${((throughput(true) / throughput(false) - 1) * 100).toFixed(1)}%)`);
  console.log(`releases during the ${2 * starts} loads: ${releasesUnderLoad} (target 0: the release never runs under load)  ${verdict(releasesUnderLoad === 0)}`);
  if (releasesUnderLoad > 0) failed = true;

  const stack = soakStack!;
  const idleBefore = readings.at(-1)!.idleMemory;
  const releasesBefore = await releasesOfAll(stack);
  console.log(`\nsoak: ${soakMinutes} min of steady load through the gateway (${concurrency} concurrent clients), RSS every ${sampleSeconds} s`);
  const counts: LoadCounts = { ok: 0, failed: 0, failures: new Map() };
  const soakMs = soakMinutes * 60_000;
  const began = Date.now();
  const soak = load(stack, soakMs, counts);
  const samples: { atMs: number; rss: number[]; memory: MemoryBreakdown[] }[] = [];
  let lastReport = 0;
  while (Date.now() - began < soakMs) {
    await sleep(Math.min(sampleSeconds * 1000, Math.max(0, soakMs - (Date.now() - began))));
    const atMs = Date.now() - began;
    const memory = await Promise.all(stack.services.map(breakdownOf));
    samples.push({ atMs, rss: memory.map((reading) => reading.rss), memory });
    if (atMs - lastReport >= 60_000 || atMs >= soakMs) {
      lastReport = atMs;
      const minute = samples.filter((sample) => sample.atMs > atMs - 60_000);
      console.log(
        `  ${(atMs / 60_000).toFixed(1).padStart(5)} min  ${counts.ok} ok, ${counts.failed} failed  median of the last minute: ${SERVICE_NAMES.map((name, index) => `${name} ${median(minute.map((sample) => sample.rss[index]!)).toFixed(0)}`).join('  ')} MiB  load ${loadAverage()}`,
      );
    }
  }
  await soak;
  const releasesAfter = await releasesOfAll(stack);

  const warmUpMs = Math.min(60_000, soakMs / 5);
  const windowMs = Math.min(60_000, (soakMs - warmUpMs) / 2);
  const reference = samples.filter((sample) => sample.atMs > warmUpMs && sample.atMs <= warmUpMs + windowMs);
  const end = samples.filter((sample) => sample.atMs > soakMs - windowMs);
  console.log(
    `\nRSS growth under load, median of min ${(warmUpMs / 60_000).toFixed(1)}-${((warmUpMs + windowMs) / 60_000).toFixed(1)} -> median of the last ${(windowMs / 60_000).toFixed(1)} min (target <= ${GROWTH_TARGET * 100}%); single samples at ${(reference[0]!.atMs / 60_000).toFixed(1)} min and the end shown, not judged:`,
  );
  for (const [index, name] of SERVICE_NAMES.entries()) {
    const from = median(reference.map((sample) => sample.rss[index]!));
    const to = median(end.map((sample) => sample.rss[index]!));
    const growth = (to - from) / from;
    if (growth > GROWTH_TARGET) failed = true;
    const first = reference[0]!.rss[index]!;
    const last = samples.at(-1)!.rss[index]!;
    console.log(
      `  ${name.padEnd(12)} ${mib(from)} -> ${mib(to)} MiB  ${(growth * 100).toFixed(1).padStart(5)}%  ${verdict(growth <= GROWTH_TARGET)}   samples ${first.toFixed(0)} -> ${last.toFixed(0)}, peak ${Math.max(...samples.map((sample) => sample.rss[index]!)).toFixed(0)}`,
    );
  }
  // A leak keeps objects alive, so it raises the heap's floor (its lowest sample in a window, the
  // one nearest after a GC); V8 growing its young generation under load raises RSS with the floor
  // flat, and is bounded (the maximum semi-space size) and given back when idle.
  const span = (values: number[]) => `${mib(values[0]!)} -> ${mib(values[1]!)}`;
  console.log(
    '  where it is (shown, not judged), reference window -> last window, MiB: V8 young generation (median), V8 heap used floor (lowest sample), outside the V8 heap (median), of it Buffers and ArrayBuffers JavaScript holds (median)',
  );
  for (const [index, name] of SERVICE_NAMES.entries()) {
    const windows = [reference, end].map((window) => window.map((sample) => sample.memory[index]!));
    const of = (pick: (window: MemoryBreakdown[]) => number) => windows.map(pick);
    console.log(
      `  ${name.padEnd(12)} young ${span(of((window) => median(window.map((reading) => reading.youngGeneration))))}  heap floor ${span(of((window) => Math.min(...window.map((reading) => reading.heapUsed))))}  outside ${span(of((window) => median(window.map((reading) => reading.outsideHeap))))}  of it buffers ${span(of((window) => median(window.map((reading) => reading.external))))}`,
    );
  }
  const soakReleases = releasesAfter.reduce((sum, count, index) => sum + count - releasesBefore[index]!, 0);
  console.log(`  ${counts.ok} requests answered (${(counts.ok / (soakMs / 1000)).toFixed(0)}/s), ${counts.failed} failed; releases during the soak: ${soakReleases}${[...counts.failures].map(([what, count]) => `\n    ${count}x ${what}`).join('')}`);
  if (counts.failed > counts.ok / 100) {
    failed = true;
    console.log('  MISSED: more than 1% of the soak requests failed');
  }
  if (soakReleases > 0) failed = true;

  // What the load left behind: idle again (the release has run), against the idle reading before.
  await sleep(idleReadSeconds * 1000);
  console.log(`\nidle again ${idleReadSeconds} s after the soak (shown, not judged: what stays above the idle reading before the soak is what the load left behind), MiB, before -> after:`);
  const idleAfter = await Promise.all(stack.services.map(breakdownOf));
  for (const [index, name] of SERVICE_NAMES.entries()) {
    const [before, after] = [idleBefore[index]!, idleAfter[index]!];
    const change = (pick: (reading: MemoryBreakdown) => number) => `${mib(pick(before))} -> ${mib(pick(after))}`;
    console.log(
      `  ${name.padEnd(12)} RSS ${change((reading) => reading.rss)} (${after.rss - before.rss >= 0 ? '+' : ''}${(after.rss - before.rss).toFixed(1)})  heap used ${change((reading) => reading.heapUsed)}  young ${change((reading) => reading.youngGeneration)}  outside the heap ${change((reading) => reading.outsideHeap)}  of it buffers ${change((reading) => reading.external)}`,
    );
  }
} catch (error) {
  failed = true;
  console.error(`bench: ${(error as Error).message}`);
} finally {
  await stop(running);
  rmSync(scratch, { recursive: true, force: true });
}
console.log(failed ? 'a target MISSED' : 'every target PASS');
