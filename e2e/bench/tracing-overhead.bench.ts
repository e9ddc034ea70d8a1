// `npm run bench -w e2e` (third part): the gateway and nestjs-api from their builds, `GET
// /api/tools` through the gateway, with tracing off and on (OTEL_TRACES_SAMPLER=always_on,
// exporting over OTLP/protobuf to a receiver in a process of its own, which decodes nothing until
// the end), in the same run and on the same machine. Targets (issue 17): throughput loss at most
// 10 %, p99 increase at most 15 %.
//
// Made to be trusted on a small shared machine, where a build or a test run elsewhere moves
// throughput by a third within seconds:
// - the three stacks run at once, and the load goes to each in turn in one-second slices, 10 a
//   side per round: anything the machine does for longer than three seconds (another process, a
//   slower period) hits every side alike instead of whichever ran at the time. The idle stacks
//   wait on their sockets meanwhile; at most one export of a tracing stack spills into the next
//   slice, a few hundred microseconds against a second;
// - `--rounds N` (5) rounds, each with new processes and another side first; each round's loss
//   and p99 increase compare its own sides, and the median of the rounds is the result (every
//   round's own loss is printed, with their spread);
// - besides throughput, the CPU time each process spent per request is read from /proc (the
//   gateway, nestjs-api, the receiver, this load generator): on 2 cores these four share the CPU
//   with whatever else runs, and the share of the cores they kept busy is printed;
// - after the closed-loop slices, each side gets the same fixed rate in alternating slices, and
//   the services' CPU per request at that rate is what tracing itself costs them.
// The services run as `npm start` runs them natively (development settings, embedded store and
// in-process cache in a scratch folder), but log as in production: LOG_LEVEL info, and the
// gateway's access log on (a line per request, which tracing also exports). Each runs on a free
// port, so the bench never collides with a stack already running on this machine.
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
const SLICE_MS = 1_000;
const SLICES_PER_SIDE = 10;
const THROUGHPUT_LOSS_TARGET = 0.1;
const P99_INCREASE_TARGET = 0.15;
const CLOCK_TICKS_PER_SECOND = 100;
// The fixed-rate part: well under what either side reaches on 2 cores, so both serve all of it.
const PACED_RATE = 1_000;
const PACED_SLICES_PER_SIDE = 5;

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

// 40 distinct queries: the response cache behaves alike on every side.
const pathOf = (sequence: number) => `/api/tools?q=code${sequence % 40}&limit=5`;

/** `CONNECTIONS` clients in a closed loop on `pool` for `durationMs`; adds 2xx latencies to `latencies`. */
async function closedLoop(pool: Pool, durationMs: number, latencies: number[]): Promise<{ answers: number; errors: number; elapsedS: number }> {
  let answers = 0;
  let errors = 0;
  let sequence = 0;
  const deadline = performance.now() + durationMs;
  const client = async () => {
    while (performance.now() < deadline) {
      const began = performance.now();
      try {
        const { statusCode, body } = await pool.request({ method: 'GET', path: pathOf(sequence++) });
        await body.arrayBuffer();
        if (statusCode === 200) {
          latencies.push(performance.now() - began);
          answers++;
        } else errors++;
      } catch {
        errors++;
      }
    }
  };
  const started = performance.now();
  await Promise.all(Array.from({ length: CONNECTIONS }, client));
  return { answers, errors, elapsedS: (performance.now() - started) / 1000 };
}

/**
 * `rate` requests a second, sent on a 10 ms clock whatever the answers take (an open loop), for
 * `durationMs`; answers how many succeeded. At the same rate for off and on, the CPU the services
 * spend per request is compared at the same load: the closed loop gives each side the throughput
 * it can reach, and a process serving fewer requests a second spends more CPU on each (fewer
 * answers per wake-up and per write), which would charge tracing for some of its own loss.
 */
async function paced(pool: Pool, rate: number, durationMs: number): Promise<number> {
  let answered = 0;
  let sent = 0;
  const inFlight = new Set<Promise<void>>();
  const started = performance.now();
  while (performance.now() - started < durationMs) {
    const due = Math.floor(((performance.now() - started) / 1000) * rate);
    for (; sent < due; sent++) {
      const request = pool
        .request({ method: 'GET', path: pathOf(sent) })
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

/** Starts `backend/<name>/dist/main.js` on a free port, its data in `dataDir`, and waits for its readiness. */
async function startService(name: string, dataDir: string, env: Record<string, string>): Promise<Service> {
  const port = await freePort();
  const url = `http://127.0.0.1:${port}`;
  const child = spawn(process.execPath, [...PROFILE_ARGS, join(REPO_ROOT, 'backend', name, 'dist', 'main.js')], {
    cwd: scratch,
    // IDLE_MEMORY_RELEASE off: a stack waits between its slices, and when the release counted two
    // quiet seconds as idle (until 2026-12-07) its full GCs, and the young generation regrown after
    // them, landed in random slices on any side: not tracing's cost. Off, whatever its threshold.
    env: { ...process.env, NODE_ENV: 'development', LOG_LEVEL: 'info', HOST: '127.0.0.1', PORT: String(port), DATA_DIR: dataDir, IDLE_MEMORY_RELEASE: 'false', ...env },
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
const ROUNDS = roundsArg === -1 ? 5 : Number(process.argv[roundsArg + 1]);
if (!Number.isInteger(ROUNDS) || ROUNDS < 1) {
  console.error(`bench: --rounds ${process.argv[roundsArg + 1]}: not a positive integer`);
  process.exit(2);
}

const receiver = await startReceiverProcess();
const { OTEL_EXPORTER_OTLP_ENDPOINT: _endpoint, OTEL_SERVICE_NAME: _name, OTEL_SDK_DISABLED: _disabled, ...inherited } = process.env;
process.env = inherited;

// `off`: no tracing. `on`: tracing as the issue measures it, spans and log lines exported.
// `spans`: spans exported, log lines not (OTEL_LOGS_EXPORTER=none): what each of the two costs.
const SIDES = ['off', 'spans', 'on'] as const;
type Side = (typeof SIDES)[number];

/** One side's gateway and nestjs-api, and the connections the load generator keeps to its gateway. */
interface Stack {
  side: Side;
  gateway: Service;
  api: Service;
  pool: Pool;
}

async function startStack(side: Side, env: Record<string, string>): Promise<Stack> {
  const api = await startService('nestjs-api', join(scratch, `${side}-nestjs-api`), env);
  // The gateway's rate limit would answer most of this load with 429: lifted for every side.
  const gateway = await startService('gateway', join(scratch, `${side}-gateway`), {
    API_UPSTREAM: api.url,
    AI_UPSTREAM: 'http://127.0.0.1:9',
    MCP_UPSTREAM: 'http://127.0.0.1:9',
    FRONTEND_UPSTREAM: 'http://127.0.0.1:9',
    RATE_LIMIT_MAX: '100000000',
    ACCESS_LOG: 'true',
    ...env,
  });
  return { side, gateway, api, pool: new Pool(gateway.url, { connections: CONNECTIONS }) };
}

/** What one side did over a round's slices. */
interface SideRound {
  requestsPerSecond: number;
  requests: number;
  p50Ms: number;
  p99Ms: number;
  errors: number;
  /** Microseconds of CPU per request of each measured process during the closed-loop slices. */
  cpu: { gateway: number; api: number; receiver: number; loadGenerator: number };
  /** Share of the machine's cores the four processes kept busy (1 = all of them). */
  busy: number;
  /** Microseconds of CPU per request of the gateway and of nestjs-api at the fixed rate. */
  pacedCpu: { gateway: number; api: number };
  pacedAnswers: number;
  pacedKernel: string;
  /** Every answer of the round, warm-up included: what the receiver's counts are divided by. */
  allAnswers: number;
}

/** Sums of one side's slices, before they become per-request figures. */
class SideTally {
  latencies: number[] = [];
  answers = 0;
  errors = 0;
  elapsedS = 0;
  cpuS = { gateway: 0, api: 0, receiver: 0, loadGenerator: 0 };
  pacedAnswers = 0;
  pacedCpuS = { gateway: 0, api: 0 };
  kernel = { gateway: { systemS: 0, switches: 0 }, api: { systemS: 0, switches: 0 } };
  warmUpAnswers = 0;

  constructor(readonly stack: Stack) {}

  async warmUp(): Promise<void> {
    this.warmUpAnswers += (await closedLoop(this.stack.pool, WARMUP_MS, [])).answers;
  }

  private pids() {
    return { gateway: this.stack.gateway.child.pid!, api: this.stack.api.child.pid! };
  }

  async closedSlice(): Promise<void> {
    const pids = this.pids();
    const before = { gateway: cpuSeconds(pids.gateway), api: cpuSeconds(pids.api), receiver: cpuSeconds(receiver.pid), loadGenerator: process.cpuUsage() };
    const slice = await closedLoop(this.stack.pool, SLICE_MS, this.latencies);
    const generator = process.cpuUsage(before.loadGenerator);
    this.answers += slice.answers;
    this.errors += slice.errors;
    this.elapsedS += slice.elapsedS;
    this.cpuS.gateway += cpuSeconds(pids.gateway) - before.gateway;
    this.cpuS.api += cpuSeconds(pids.api) - before.api;
    this.cpuS.receiver += cpuSeconds(receiver.pid) - before.receiver;
    this.cpuS.loadGenerator += (generator.user + generator.system) / 1e6;
  }

  async pacedSlice(): Promise<void> {
    const pids = this.pids();
    const before = { gateway: cpuSeconds(pids.gateway), api: cpuSeconds(pids.api) };
    const kernelBefore = { gateway: kernelSide(pids.gateway), api: kernelSide(pids.api) };
    this.pacedAnswers += await paced(this.stack.pool, PACED_RATE, SLICE_MS);
    this.pacedCpuS.gateway += cpuSeconds(pids.gateway) - before.gateway;
    this.pacedCpuS.api += cpuSeconds(pids.api) - before.api;
    for (const name of ['gateway', 'api'] as const) {
      const after = kernelSide(pids[name]);
      this.kernel[name].systemS += after.systemS - kernelBefore[name].systemS;
      this.kernel[name].switches += after.switches - kernelBefore[name].switches;
    }
  }

  result(): SideRound {
    const latencies = this.latencies.sort((a, b) => a - b);
    const at = (q: number) => latencies[Math.min(latencies.length - 1, Math.floor(q * latencies.length))] ?? Number.NaN;
    const perRequest = (seconds: number) => (seconds * 1e6) / Math.max(1, this.answers);
    const perPaced = (seconds: number) => (seconds * 1e6) / Math.max(1, this.pacedAnswers);
    const cpuTotal = this.cpuS.gateway + this.cpuS.api + this.cpuS.receiver + this.cpuS.loadGenerator;
    const kernel = (name: 'gateway' | 'api') =>
      `${perPaced(this.kernel[name].systemS).toFixed(0)} us system, ${(this.kernel[name].switches / Math.max(1, this.pacedAnswers)).toFixed(2)} switches`;
    return {
      requestsPerSecond: this.answers / this.elapsedS,
      requests: this.answers,
      p50Ms: at(0.5),
      p99Ms: at(0.99),
      errors: this.errors,
      cpu: { gateway: perRequest(this.cpuS.gateway), api: perRequest(this.cpuS.api), receiver: perRequest(this.cpuS.receiver), loadGenerator: perRequest(this.cpuS.loadGenerator) },
      busy: cpuTotal / (this.elapsedS * cpus().length),
      pacedCpu: { gateway: perPaced(this.pacedCpuS.gateway), api: perPaced(this.pacedCpuS.api) },
      pacedAnswers: this.pacedAnswers,
      pacedKernel: `gateway ${kernel('gateway')}; nestjs-api ${kernel('api')} per request`,
      allAnswers: this.warmUpAnswers + this.answers + this.pacedAnswers,
    };
  }
}

function printSide(label: string, side: SideRound): void {
  console.log(
    `${label.padEnd(10)} ${side.requestsPerSecond.toFixed(0).padStart(6)} req/s  p50 ${side.p50Ms.toFixed(1)} ms  p99 ${side.p99Ms.toFixed(1).padStart(5)} ms  errors ${side.errors}  ` +
      `cpu us/req: gateway ${side.cpu.gateway.toFixed(0)}, nestjs-api ${side.cpu.api.toFixed(0)}, receiver ${side.cpu.receiver.toFixed(0)}, load ${side.cpu.loadGenerator.toFixed(0)}  ` +
      `cores busy ${(side.busy * 100).toFixed(0)} %, ${side.allAnswers} answers in all`,
  );
  console.log(
    `${''.padEnd(10)} at ${PACED_RATE} req/s: ${side.pacedAnswers} answered, cpu us/req: gateway ${side.pacedCpu.gateway.toFixed(0)}, nestjs-api ${side.pacedCpu.api.toFixed(0)} (${side.pacedKernel})`,
  );
}

/** The three stacks up, warmed, then loaded in turns, one slice each; `first` says which side leads each turn. */
async function measureRound(round: number, first: number): Promise<Record<Side, SideRound>> {
  try {
    // Each round starts with another side, so none always follows the same one.
    const order = SIDES.map((_, index) => SIDES[(index + first) % SIDES.length]!);
    const stacks = {} as Record<Side, Stack>;
    for (const side of order) stacks[side] = await startStack(side, environments[side]);
    const tallies = order.map((side) => new SideTally(stacks[side]));
    for (const tally of tallies) await tally.warmUp();
    for (let slice = 0; slice < SLICES_PER_SIDE; slice++) for (const tally of tallies) await tally.closedSlice();
    for (let slice = 0; slice < PACED_SLICES_PER_SIDE; slice++) for (const tally of tallies) await tally.pacedSlice();
    await Promise.all(tallies.map((tally) => tally.stack.pool.close()));
    const sides = {} as Record<Side, SideRound>;
    for (const tally of tallies) sides[tally.stack.side] = tally.result();
    for (const side of SIDES) printSide(`${side} (${round})`, sides[side]);
    console.log(
      `${''.padEnd(10)} round ${round}: loss ${percent(lossOf(sides.off, sides.on))} (spans only ${percent(lossOf(sides.off, sides.spans))}), ` +
        `p99 ${percent(sides.on.p99Ms / sides.off.p99Ms - 1)} (spans only ${percent(sides.spans.p99Ms / sides.off.p99Ms - 1)}), load ${load1()}`,
    );
    return sides;
  } finally {
    await stopAll();
  }
}

const lossOf = (off: SideRound, traced: SideRound) => 1 - traced.requestsPerSecond / off.requestsPerSecond;
const percent = (value: number) => `${value >= 0 ? '+' : ''}${(value * 100).toFixed(1)} %`;
process.on('SIGINT', () => void stopAll().finally(() => process.exit(130)));
const tracingOn = { OTEL_EXPORTER_OTLP_ENDPOINT: receiver.endpoint, OTEL_TRACES_SAMPLER: 'always_on' };
const environments: Record<Side, Record<string, string>> = { off: {}, spans: { ...tracingOn, OTEL_LOGS_EXPORTER: 'none' }, on: tracingOn };
console.log(
  `tracing overhead: GET /api/tools through the gateway to nestjs-api, ${CONNECTIONS} connections, off, spans-only and on stacks side by side loaded in turns: ` +
    `${SLICES_PER_SIDE} slices of ${SLICE_MS / 1000} s a side after ${WARMUP_MS / 1000} s warm-up, ${ROUNDS} round(s), ${cpus().length} cores, load ${load1()} at start`,
);
const runs: Record<Side, SideRound[]> = { off: [], spans: [], on: [] };
try {
  for (let round = 1; round <= ROUNDS; round++) {
    const sides = await measureRound(round, round - 1);
    for (const side of SIDES) runs[side].push(sides[side]);
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
const summary = (runs: SideRound[]) => ({
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
const off = summary(runs.off);
const percentOf = (value: number) => `${(value * 100).toFixed(1)} %`;
const verdict = (value: number, target: number) => `(target <= ${target * 100} %): ${value <= target ? 'PASS' : 'MISSED'}`;
const tracedRequests = (side: Side) => runs[side].reduce((sum, run) => sum + run.allAnswers, 0);
console.log(
  `received: ${received.spans} spans (~${(received.spans / (tracedRequests('on') + tracedRequests('spans'))).toFixed(1)} per traced request), ` +
    `${received.logs} log records (~${(received.logs / tracedRequests('on')).toFixed(1)} per request of the on side)`,
);
console.log(`median off: ${off.rps.toFixed(0)} req/s, p99 ${off.p99.toFixed(1)} ms, cores busy ${percentOf(off.busy)}`);
// Each round compares its own sides, loaded in the same seconds: the paired figures count, their
// median over the rounds is the result.
for (const side of ['spans', 'on'] as const) {
  const traced = summary(runs[side]);
  const label = side === 'on' ? 'on (spans and logs exported)' : 'spans only (OTEL_LOGS_EXPORTER=none)';
  const roundLosses = runs.off.map((offRun, index) => lossOf(offRun, runs[side][index]!));
  const loss = median(roundLosses);
  const p99Increase = median(runs.off.map((offRun, index) => runs[side][index]!.p99Ms / offRun.p99Ms - 1));
  const servicesOff = off.gateway + off.api;
  const servicesOn = traced.gateway + traced.api;
  const pacedOff = off.pacedGateway + off.pacedApi;
  const pacedOn = traced.pacedGateway + traced.pacedApi;
  console.log(`${label}:`);
  console.log(
    `  median ${traced.rps.toFixed(0)} req/s, p99 ${traced.p99.toFixed(1)} ms, cores busy ${percentOf(traced.busy)}; loss per round: ${roundLosses.map((value) => percent(value)).join(', ')}, ` +
      `spread ${((Math.max(...roundLosses) - Math.min(...roundLosses)) * 100).toFixed(1)} points (a difference inside that spread is noise)`,
  );
  console.log(
    `  CPU per request (median, us): gateway ${off.gateway.toFixed(0)} -> ${traced.gateway.toFixed(0)} (${percent(traced.gateway / off.gateway - 1)}), ` +
      `nestjs-api ${off.api.toFixed(0)} -> ${traced.api.toFixed(0)} (${percent(traced.api / off.api - 1)}), both services ${servicesOff.toFixed(0)} -> ${servicesOn.toFixed(0)} (${percent(servicesOn / servicesOff - 1)}); ` +
      `receiver ${traced.receiver.toFixed(0)} and load generator ${off.loadGenerator.toFixed(0)}/${traced.loadGenerator.toFixed(0)} on the same cores`,
  );
  console.log(
    `  CPU per request at ${PACED_RATE} req/s (median, us): gateway ${off.pacedGateway.toFixed(0)} -> ${traced.pacedGateway.toFixed(0)}, ` +
      `nestjs-api ${off.pacedApi.toFixed(0)} -> ${traced.pacedApi.toFixed(0)}, both ${pacedOff.toFixed(0)} -> ${pacedOn.toFixed(0)} (${percent(pacedOn / pacedOff - 1)}): what it costs the services themselves`,
  );
  console.log(`  throughput loss (median of the rounds) ${percentOf(loss)} ${verdict(loss, THROUGHPUT_LOSS_TARGET)}`);
  console.log(`  p99 increase (median of the rounds) ${percentOf(p99Increase)} ${verdict(p99Increase, P99_INCREASE_TARGET)}`);
}
console.log('the targets are the on side\'s: tracing as the issue defines it, every span and log line exported');
