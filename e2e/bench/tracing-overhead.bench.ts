// `npm run bench -w e2e` (third part): the gateway and nestjs-api natively, `GET /api/tools`
// through the gateway, with tracing off and on (OTEL_TRACES_SAMPLER=always_on, exporting over
// OTLP/protobuf to a receiver in a process of its own, which decodes nothing until the end), in
// the same run and on the same machine: off and on alternate for `--rounds N` (2) rounds, and
// each side's median round counts, so a machine that gets busier during the run does not pass
// its slowdown off as tracing's. Targets (issue 17): throughput loss at most 10 %, p99 increase
// at most 15 %.
import { spawn, spawnSync } from 'node:child_process';
import { once } from 'node:events';
import { createInterface } from 'node:readline';
import { Pool } from 'undici';
import { REPO_ROOT, markedEnv, nativeProcesses } from '../test/native-stack-harness.js';

const CONNECTIONS = 16;
const WARMUP_MS = 3_000;
const MEASURE_MS = 10_000;
const THROUGHPUT_LOSS_TARGET = 0.1;
const P99_INCREASE_TARGET = 0.15;

const stack = (args: string[], env: NodeJS.ProcessEnv = {}) =>
  spawnSync(process.execPath, ['stack/cli/bin/stack.js', ...args], { cwd: REPO_ROOT, encoding: 'utf8', env: markedEnv(env), timeout: 240_000 });

interface LoadResult {
  requestsPerSecond: number;
  p50Ms: number;
  p99Ms: number;
  errors: number;
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
  return { requestsPerSecond: latencies.length / elapsedS, p50Ms: at(0.5), p99Ms: at(0.99), errors };
}

async function measure(label: string, env: NodeJS.ProcessEnv): Promise<LoadResult> {
  // The gateway's rate limit would answer most of this load with 429: lifted for both runs.
  const up = stack(['--profile', 'development', 'up', '--native', '-d', '--no-build', 'gateway', 'nestjs-api'], { RATE_LIMIT_MAX: '100000000', ...env });
  if (up.status !== 0) throw new Error(`stack up failed:\n${up.stderr.slice(-3000)}`);
  try {
    const gateway = nativeProcesses().find((entry) => entry.service === 'gateway')!;
    const origin = `http://127.0.0.1:${gateway.port}`;
    await load(origin, WARMUP_MS);
    const result = await load(origin, MEASURE_MS);
    console.log(`${label.padEnd(12)} ${result.requestsPerSecond.toFixed(0).padStart(6)} req/s  p50 ${result.p50Ms.toFixed(1)} ms  p99 ${result.p99Ms.toFixed(1)} ms  errors ${result.errors}`);
    return result;
  } finally {
    stack(['down']);
  }
}

// Measured on what is built now; `--no-build` when the services' dist is known to be fresh.
if (!process.argv.includes('--no-build')) {
  const build = spawnSync('npm', ['run', 'build', '--silent'], { cwd: REPO_ROOT, stdio: ['ignore', 'ignore', 'inherit'] });
  if (build.status !== 0) throw new Error('npm run build failed');
}
const roundsArg = process.argv.indexOf('--rounds');
const ROUNDS = roundsArg === -1 ? 2 : Number(process.argv[roundsArg + 1]);
if (!Number.isInteger(ROUNDS) || ROUNDS < 1) {
  console.error(`--rounds ${process.argv[roundsArg + 1]}: not a positive integer`);
  process.exit(2);
}

/** The receiver process: its endpoint, and what it has received (decoded on asking). */
async function startReceiverProcess() {
  const child = spawn(process.execPath, ['--import', 'tsx', new URL('./otlp-receiver-process.ts', import.meta.url).pathname], { stdio: ['pipe', 'pipe', 'inherit'] });
  const lines = createInterface({ input: child.stdout })[Symbol.asyncIterator]();
  const next = async () => JSON.parse(String((await lines.next()).value)) as Record<string, unknown>;
  const { endpoint } = (await next()) as { endpoint: string };
  return {
    endpoint,
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

const receiver = await startReceiverProcess();
const { OTEL_EXPORTER_OTLP_ENDPOINT: _endpoint, OTEL_SERVICE_NAME: _name, ...inherited } = process.env;
process.env = inherited;
console.log(`tracing overhead: GET /api/tools through the gateway to nestjs-api, ${CONNECTIONS} connections, ${MEASURE_MS / 1000} s after ${WARMUP_MS / 1000} s warm-up, ${ROUNDS} round(s) off/on`);
const offRuns: LoadResult[] = [];
const onRuns: LoadResult[] = [];
for (let round = 1; round <= ROUNDS; round++) {
  offRuns.push(await measure(`off (${round})`, {}));
  onRuns.push(await measure(`on  (${round})`, { OTEL_EXPORTER_OTLP_ENDPOINT: receiver.endpoint, OTEL_TRACES_SAMPLER: 'always_on' }));
}
const received = await receiver.counts();
await receiver.close();

const median = (values: number[]) => {
  const sorted = [...values].sort((a, b) => a - b);
  const middle = Math.floor(sorted.length / 2);
  return sorted.length % 2 === 1 ? sorted[middle]! : (sorted[middle - 1]! + sorted[middle]!) / 2;
};
const off = { rps: median(offRuns.map((run) => run.requestsPerSecond)), p99: median(offRuns.map((run) => run.p99Ms)) };
const on = { rps: median(onRuns.map((run) => run.requestsPerSecond)), p99: median(onRuns.map((run) => run.p99Ms)) };
const loss = 1 - on.rps / off.rps;
const p99Increase = on.p99 / off.p99 - 1;
const onRequests = onRuns.reduce((sum, run) => sum + run.requestsPerSecond * ((MEASURE_MS + WARMUP_MS) / 1000), 0);
console.log(`received while on: ${received.spans} spans (~${(received.spans / onRequests).toFixed(1)} per request), ${received.logs} log records`);
console.log(`median off: ${off.rps.toFixed(0)} req/s, p99 ${off.p99.toFixed(1)} ms; median on: ${on.rps.toFixed(0)} req/s, p99 ${on.p99.toFixed(1)} ms`);
console.log(`throughput loss ${(loss * 100).toFixed(1)} % (target <= ${THROUGHPUT_LOSS_TARGET * 100} %): ${loss <= THROUGHPUT_LOSS_TARGET ? 'PASS' : 'MISSED'}`);
console.log(`p99 increase ${(p99Increase * 100).toFixed(1)} % (target <= ${P99_INCREASE_TARGET * 100} %): ${p99Increase <= P99_INCREASE_TARGET ? 'PASS' : 'MISSED'}`);
