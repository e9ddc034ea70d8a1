// `npm run bench -w e2e` (second part): the gateway and nestjs-api natively, `GET /api/tools`
// through the gateway, with tracing off and then on (OTEL_TRACES_SAMPLER=always_on, exporting
// over OTLP/protobuf to a receiver in this process), in the same run and on the same machine.
// Targets (issue 17): throughput loss at most 10 %, p99 increase at most 15 %.
import { spawnSync } from 'node:child_process';
import { Pool } from 'undici';
import { startOtlpReceiver } from '@codiesvibe/shared/testing';
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

const receiver = await startOtlpReceiver();
const { OTEL_EXPORTER_OTLP_ENDPOINT: _endpoint, OTEL_SERVICE_NAME: _name, ...inherited } = process.env;
process.env = inherited;
console.log(`tracing overhead: GET /api/tools through the gateway to nestjs-api, ${CONNECTIONS} connections, ${MEASURE_MS / 1000} s after ${WARMUP_MS / 1000} s warm-up`);
const off = await measure('tracing off', {});
const on = await measure('tracing on', {
  OTEL_EXPORTER_OTLP_ENDPOINT: receiver.endpoint,
  OTEL_TRACES_SAMPLER: 'always_on',
});
await receiver.close();

const loss = 1 - on.requestsPerSecond / off.requestsPerSecond;
const p99Increase = on.p99Ms / off.p99Ms - 1;
console.log(`spans received while on: ${receiver.spans.length}`);
console.log(`throughput loss ${(loss * 100).toFixed(1)} % (target <= ${THROUGHPUT_LOSS_TARGET * 100} %): ${loss <= THROUGHPUT_LOSS_TARGET ? 'ok' : 'OVER'}`);
console.log(`p99 increase ${(p99Increase * 100).toFixed(1)} % (target <= ${P99_INCREASE_TARGET * 100} %): ${p99Increase <= P99_INCREASE_TARGET ? 'ok' : 'OVER'}`);
