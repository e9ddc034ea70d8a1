// `npm run bench -w e2e` (third part): the gateway and nestjs-api from their builds, `GET
// /api/tools` through the gateway, with tracing off and on (OTEL_TRACES_SAMPLER=always_on,
// exporting over OTLP/protobuf to a receiver in a process of its own, which decodes nothing until
// the end), in the same run and on the same machine. Targets (issue 17): throughput loss at most
// 10 %, p99 increase at most 15 %.
//
// Made to be trusted on a small shared machine:
// - off and on alternate in ABBA order (off,on / on,off ...) for `--rounds N` (4) rounds, and each
//   side's median round counts, so neither side always runs first or on a busier machine;
// - the spread of the off rounds is printed: a loss smaller than that spread is noise;
// - besides throughput, the CPU time each process spent per request is read from /proc (the
//   gateway, nestjs-api, the receiver, this load generator): on 2 cores these four share the CPU
//   with whatever else runs, and the share of the cores they kept busy is printed;
// - after each closed-loop measurement, the services get the same fixed rate on both sides, and
//   their CPU per request at that rate is what tracing itself costs them.
// The services run as `npm start` runs them natively (development settings, embedded store and
// in-process cache in a scratch folder, LOG_LEVEL info as in production), each on a free port, so
// the bench never collides with a stack already running on this machine.
import { type ChildProcess, spawn, spawnSync } from 'node:child_process';
import { once } from 'node:events';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { cpus, loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { Pool } from 'undici';
import { freePort } from '@codiesvibe/shared/testing';
import { REPO_ROOT } from '../test/native-stack-harness.js';

const CONNECTIONS = 16;
const WARMUP_MS = 3_000;
const MEASURE_MS = 10_000;
const THROUGHPUT_LOSS_TARGET = 0.1;
const P99_INCREASE_TARGET = 0.15;
const CLOCK_TICKS_PER_SECOND = 100;
// The fixed-rate part: well under what either side reaches on 2 cores, so both serve all of it.
const PACED_RATE = 1_000;
const PACED_MS = 5_000;

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
const load1 = () => loadavg()[0]!.toFixed(1);

/** CPU seconds `pid` has used so far (user + system), from /proc/PID/stat; 0 once it is gone. */
function cpuSeconds(pid: number): number {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    return (Number(fields[11]) + Number(fields[12])) / CLOCK_TICKS_PER_SECOND;
  } catch {
    return 0;
  }
}

/** Kernel CPU seconds and context switches of `pid` so far: where a service's CPU goes besides JavaScript. */
function kernelSide(pid: number): { systemS: number; switches: number } {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    const status = readFileSync(`/proc/${pid}/status`, 'utf8');
    const count = (name: string) => Number(new RegExp(`^${name}:\\s+(\\d+)`, 'm').exec(status)?.[1] ?? 0);
    return { systemS: Number(fields[12]) / CLOCK_TICKS_PER_SECOND, switches: count('voluntary_ctxt_switches') + count('nonvoluntary_ctxt_switches') };
  } catch {
    return { systemS: 0, switches: 0 };
  }
}

interface LoadResult {
  requestsPerSecond: number;
  requests: number;
  p50Ms: number;
  p99Ms: number;
  errors: number;
  elapsedS: number;
}

/** `CONNECTIONS` clients in a closed loop against `origin` for `durationMs`; latencies of 2xx answers. */
async function load(origin: string, durationMs: number): Promise<LoadResult> {
  const pool = new Pool(origin, { connections: CONNECTIONS });
  const latencies: number[] = [];
  let errors = 0;
  let sequence = 0;
  const deadline = performance.now() + durationMs;
  const client = async () => {
    while (performance.now() < deadline) {
      // 40 distinct queries: the response cache behaves alike in both runs.
      const path = `/api/tools?q=code${sequence++ % 40}&limit=5`;
      const began = performance.now();
      try {
        const { statusCode, body } = await pool.request({ method: 'GET', path });
        await body.arrayBuffer();
        if (statusCode === 200) latencies.push(performance.now() - began);
        else errors++;
      } catch {
        errors++;
      }
    }
  };
  const started = performance.now();
  await Promise.all(Array.from({ length: CONNECTIONS }, client));
  const elapsedS = (performance.now() - started) / 1000;
  await pool.close();
  latencies.sort((a, b) => a - b);
  const at = (q: number) => latencies[Math.min(latencies.length - 1, Math.floor(q * latencies.length))] ?? Number.NaN;
  return { requestsPerSecond: latencies.length / elapsedS, requests: latencies.length, p50Ms: at(0.5), p99Ms: at(0.99), errors, elapsedS };
}

/**
 * `rate` requests a second, sent on a 10 ms clock whatever the answers take (an open loop), for
 * `durationMs`; answers how many succeeded. At the same rate for off and on, the CPU the services
 * spend per request is compared at the same load: the closed loop above gives each side the
 * throughput it can reach, and a process serving fewer requests a second spends more CPU on each
 * (fewer answers per wake-up and per write), which would charge tracing for some of its own loss.
 */
async function paced(origin: string, rate: number, durationMs: number): Promise<number> {
  const pool = new Pool(origin, { connections: CONNECTIONS });
  let answered = 0;
  let sent = 0;
  const inFlight = new Set<Promise<void>>();
  const started = performance.now();
  while (performance.now() - started < durationMs) {
    const due = Math.floor(((performance.now() - started) / 1000) * rate);
    for (; sent < due; sent++) {
      const request = pool
        .request({ method: 'GET', path: `/api/tools?q=code${sent % 40}&limit=5` })
        .then(async ({ statusCode, body }) => {
          await body.arrayBuffer();
          if (statusCode === 200) answered++;
        })
        .catch(() => undefined)
        .finally(() => inFlight.delete(request));
      inFlight.add(request);
    }
    await sleep(10);
  }
  await Promise.all(inFlight);
  await pool.close();
  return answered;
}

interface Service {
  name: string;
  child: ChildProcess;
  url: string;
}

// `--cpu-prof DIR`: each service writes a V8 CPU profile there when it stops (Node refuses the
// flag in NODE_OPTIONS, so it goes on the services' command line).
const profileArg = process.argv.indexOf('--cpu-prof');
const PROFILE_ARGS = profileArg === -1 ? [] : ['--cpu-prof', '--cpu-prof-dir', process.argv[profileArg + 1] ?? '.'];

const scratch = mkdtempSync(join(tmpdir(), 'codiesvibe-tracing-'));
const running: Service[] = [];

/** Starts `backend/<name>/dist/main.js` on a free port and waits for its readiness. */
async function startService(name: string, env: Record<string, string>): Promise<Service> {
  const port = await freePort();
  const url = `http://127.0.0.1:${port}`;
  const child = spawn(process.execPath, [...PROFILE_ARGS, join(REPO_ROOT, 'backend', name, 'dist', 'main.js')], {
    cwd: scratch,
    env: { ...process.env, NODE_ENV: 'development', LOG_LEVEL: 'info', HOST: '127.0.0.1', PORT: String(port), DATA_DIR: join(scratch, name), ...env },
    // Log lines go nowhere, as they would go to a file or a pipe nobody waits on.
    stdio: ['ignore', 'ignore', 'inherit'],
  });
  const service = { name, child, url };
  running.push(service);
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

async function stopAll(): Promise<void> {
  await Promise.all(
    running.splice(0).map(async ({ child }) => {
      if (child.exitCode !== null || child.signalCode !== null) return;
      const exited = once(child, 'exit');
      child.kill('SIGTERM');
      await exited;
    }),
  );
}

/** Microseconds of CPU per request each measured process spent during one measured load. */
interface CpuPerRequest {
  gateway: number;
  api: number;
  receiver: number;
  loadGenerator: number;
}

interface Round extends LoadResult {
  cpu: CpuPerRequest;
  /** Microseconds of CPU per request of the gateway and of nestjs-api at the fixed rate. */
  pacedCpu: { gateway: number; api: number };
  /** Share of the machine's cores the four processes kept busy (1 = all of them). */
  busy: number;
}

/** The receiver process: its endpoint and pid, and what it has received (decoded on asking). */
async function startReceiverProcess() {
  const child = spawn(process.execPath, ['--import', 'tsx', new URL('./otlp-receiver-process.ts', import.meta.url).pathname], { stdio: ['pipe', 'pipe', 'inherit'] });
  const lines = createInterface({ input: child.stdout })[Symbol.asyncIterator]();
  const next = async () => JSON.parse(String((await lines.next()).value)) as Record<string, unknown>;
  const { endpoint } = (await next()) as { endpoint: string };
  return {
    endpoint,
    pid: child.pid!,
    async counts() {
      child.stdin.write('count\n');
      return (await next()) as { spans: number; logs: number };
    },
    async close() {
      child.stdin.end();
      await once(child, 'exit');
    },
  };
}

// Measured on what is built now; `--no-build` when the services' dist is known to be fresh.
if (!process.argv.includes('--no-build')) {
  const build = spawnSync('npm', ['run', 'build', '--silent'], { cwd: REPO_ROOT, stdio: ['ignore', 'ignore', 'inherit'] });
  if (build.status !== 0) {
    console.error('bench: npm run build failed; fix the build or pass --no-build');
    process.exit(1);
  }
}
const roundsArg = process.argv.indexOf('--rounds');
const ROUNDS = roundsArg === -1 ? 4 : Number(process.argv[roundsArg + 1]);
if (!Number.isInteger(ROUNDS) || ROUNDS < 1) {
  console.error(`bench: --rounds ${process.argv[roundsArg + 1]}: not a positive integer`);
  process.exit(2);
}

const receiver = await startReceiverProcess();
const { OTEL_EXPORTER_OTLP_ENDPOINT: _endpoint, OTEL_SERVICE_NAME: _name, OTEL_SDK_DISABLED: _disabled, ...inherited } = process.env;
process.env = inherited;

async function measure(label: string, env: Record<string, string>): Promise<Round> {
  try {
    const api = await startService('nestjs-api', env);
    // The gateway's rate limit would answer most of this load with 429: lifted for both sides.
    const gateway = await startService('gateway', { API_UPSTREAM: api.url, AI_UPSTREAM: 'http://127.0.0.1:9', MCP_UPSTREAM: 'http://127.0.0.1:9', FRONTEND_UPSTREAM: 'http://127.0.0.1:9', RATE_LIMIT_MAX: '100000000', ...env });
    await load(gateway.url, WARMUP_MS);
    const pids = { gateway: gateway.child.pid!, api: api.child.pid!, receiver: receiver.pid };
    const before = { gateway: cpuSeconds(pids.gateway), api: cpuSeconds(pids.api), receiver: cpuSeconds(pids.receiver), loadGenerator: process.cpuUsage() };
    const result = await load(gateway.url, MEASURE_MS);
    const generator = process.cpuUsage(before.loadGenerator);
    const seconds = {
      gateway: cpuSeconds(pids.gateway) - before.gateway,
      api: cpuSeconds(pids.api) - before.api,
      receiver: cpuSeconds(pids.receiver) - before.receiver,
      loadGenerator: (generator.user + generator.system) / 1e6,
    };
    const perRequest = (cpu: number) => (cpu * 1e6) / Math.max(1, result.requests);
    const cpu = { gateway: perRequest(seconds.gateway), api: perRequest(seconds.api), receiver: perRequest(seconds.receiver), loadGenerator: perRequest(seconds.loadGenerator) };
    const busy = (seconds.gateway + seconds.api + seconds.receiver + seconds.loadGenerator) / (result.elapsedS * cpus().length);
    console.log(
      `${label.padEnd(8)} ${result.requestsPerSecond.toFixed(0).padStart(6)} req/s  p50 ${result.p50Ms.toFixed(1)} ms  p99 ${result.p99Ms.toFixed(1).padStart(5)} ms  errors ${result.errors}  ` +
        `cpu us/req: gateway ${cpu.gateway.toFixed(0)}, nestjs-api ${cpu.api.toFixed(0)}, receiver ${cpu.receiver.toFixed(0)}, load ${cpu.loadGenerator.toFixed(0)}  ` +
        `cores busy ${(busy * 100).toFixed(0)} %  load ${load1()}`,
    );
    const pacedBefore = { gateway: cpuSeconds(pids.gateway), api: cpuSeconds(pids.api) };
    const kernelBefore = { gateway: kernelSide(pids.gateway), api: kernelSide(pids.api) };
    const pacedAnswers = await paced(gateway.url, PACED_RATE, PACED_MS);
    const pacedCpu = {
      gateway: ((cpuSeconds(pids.gateway) - pacedBefore.gateway) * 1e6) / Math.max(1, pacedAnswers),
      api: ((cpuSeconds(pids.api) - pacedBefore.api) * 1e6) / Math.max(1, pacedAnswers),
    };
    const kernel = (name: 'gateway' | 'api') => {
      const after = kernelSide(pids[name]);
      const answers = Math.max(1, pacedAnswers);
      return `${(((after.systemS - kernelBefore[name].systemS) * 1e6) / answers).toFixed(0)} us system, ${((after.switches - kernelBefore[name].switches) / answers).toFixed(2)} switches`;
    };
    const pacedKernel = `gateway ${kernel('gateway')}; nestjs-api ${kernel('api')} per request`;
    console.log(
      `${''.padEnd(8)} at ${PACED_RATE} req/s for ${PACED_MS / 1000} s: ${pacedAnswers} answered, cpu us/req: gateway ${pacedCpu.gateway.toFixed(0)}, nestjs-api ${pacedCpu.api.toFixed(0)} (${pacedKernel})`,
    );
    return { ...result, cpu, busy, pacedCpu };
  } finally {
    await stopAll();
  }
}

process.on('SIGINT', () => void stopAll().finally(() => process.exit(130)));
const tracingOn = { OTEL_EXPORTER_OTLP_ENDPOINT: receiver.endpoint, OTEL_TRACES_SAMPLER: 'always_on' };
console.log(
  `tracing overhead: GET /api/tools through the gateway to nestjs-api, ${CONNECTIONS} connections, ${MEASURE_MS / 1000} s after ${WARMUP_MS / 1000} s warm-up, ` +
    `${ROUNDS} round(s) off/on in ABBA order, ${cpus().length} cores, load ${load1()} at start`,
);
const offRuns: Round[] = [];
const onRuns: Round[] = [];
try {
  for (let round = 1; round <= ROUNDS; round++) {
    const offFirst = round % 2 === 1;
    if (offFirst) offRuns.push(await measure(`off (${round})`, {}));
    onRuns.push(await measure(`on  (${round})`, tracingOn));
    if (!offFirst) offRuns.push(await measure(`off (${round})`, {}));
  }
} catch (error) {
  // A service that does not start (not built, a bad variable) ends the bench with one line.
  console.error(`bench: ${(error as Error).message}`);
  await receiver.close();
  process.exitCode = 1;
} finally {
  rmSync(scratch, { recursive: true, force: true });
}
if (process.exitCode) process.exit();
const received = await receiver.counts();
await receiver.close();

const median = (values: number[]) => {
  const sorted = [...values].sort((a, b) => a - b);
  const middle = Math.floor(sorted.length / 2);
  return sorted.length % 2 === 1 ? sorted[middle]! : (sorted[middle - 1]! + sorted[middle]!) / 2;
};
const summary = (runs: Round[]) => ({
  rps: median(runs.map((run) => run.requestsPerSecond)),
  p99: median(runs.map((run) => run.p99Ms)),
  gateway: median(runs.map((run) => run.cpu.gateway)),
  api: median(runs.map((run) => run.cpu.api)),
  receiver: median(runs.map((run) => run.cpu.receiver)),
  loadGenerator: median(runs.map((run) => run.cpu.loadGenerator)),
  busy: median(runs.map((run) => run.busy)),
  pacedGateway: median(runs.map((run) => run.pacedCpu.gateway)),
  pacedApi: median(runs.map((run) => run.pacedCpu.api)),
});
const off = summary(offRuns);
const on = summary(onRuns);
const offRates = offRuns.map((run) => run.requestsPerSecond);
const offSpread = (Math.max(...offRates) - Math.min(...offRates)) / off.rps;
const loss = 1 - on.rps / off.rps;
const p99Increase = on.p99 / off.p99 - 1;
const onRequests = onRuns.reduce((sum, run) => sum + run.requestsPerSecond * ((MEASURE_MS + WARMUP_MS) / 1000), 0);
const servicesOff = off.gateway + off.api;
const servicesOn = on.gateway + on.api;
const percent = (value: number) => `${value >= 0 ? '+' : ''}${(value * 100).toFixed(1)} %`;
console.log(`received while on: ${received.spans} spans (~${(received.spans / onRequests).toFixed(1)} per request), ${received.logs} log records (~${(received.logs / onRequests).toFixed(1)} per request)`);
console.log(`off rounds: ${offRates.map((rate) => rate.toFixed(0)).join(', ')} req/s, spread ${(offSpread * 100).toFixed(1)} % of their median (a loss inside that spread is noise)`);
console.log(`median off: ${off.rps.toFixed(0)} req/s, p99 ${off.p99.toFixed(1)} ms; median on: ${on.rps.toFixed(0)} req/s, p99 ${on.p99.toFixed(1)} ms; cores busy off ${(off.busy * 100).toFixed(0)} %, on ${(on.busy * 100).toFixed(0)} %`);
console.log(
  `CPU per request (median, us): gateway ${off.gateway.toFixed(0)} -> ${on.gateway.toFixed(0)} (${percent(on.gateway / off.gateway - 1)}), ` +
    `nestjs-api ${off.api.toFixed(0)} -> ${on.api.toFixed(0)} (${percent(on.api / off.api - 1)}), both services ${servicesOff.toFixed(0)} -> ${servicesOn.toFixed(0)} (${percent(servicesOn / servicesOff - 1)}); ` +
    `receiver ${on.receiver.toFixed(0)} and load generator ${off.loadGenerator.toFixed(0)}/${on.loadGenerator.toFixed(0)} on the same cores`,
);
const pacedOff = off.pacedGateway + off.pacedApi;
const pacedOn = on.pacedGateway + on.pacedApi;
console.log(
  `CPU per request at ${PACED_RATE} req/s on both sides (median, us): gateway ${off.pacedGateway.toFixed(0)} -> ${on.pacedGateway.toFixed(0)}, ` +
    `nestjs-api ${off.pacedApi.toFixed(0)} -> ${on.pacedApi.toFixed(0)}, both ${pacedOff.toFixed(0)} -> ${pacedOn.toFixed(0)} (${percent(pacedOn / pacedOff - 1)}): what tracing itself costs the services`,
);
console.log(`throughput loss ${(loss * 100).toFixed(1)} % (target <= ${THROUGHPUT_LOSS_TARGET * 100} %): ${loss <= THROUGHPUT_LOSS_TARGET ? 'PASS' : 'MISSED'}`);
console.log(`p99 increase ${(p99Increase * 100).toFixed(1)} % (target <= ${P99_INCREASE_TARGET * 100} %): ${p99Increase <= P99_INCREASE_TARGET ? 'PASS' : 'MISSED'}`);
