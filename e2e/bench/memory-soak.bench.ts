// `npm run bench:memory -w e2e`: each Node service's resident memory at idle, against a bare Node
// HTTP server measured in the same run, then a soak: steady load through the gateway on every
// service for SOAK_MINUTES (10), sampling each service's RSS every SOAK_SAMPLE_SECONDS (30).
// Targets (issue 18): idle RSS at most 100 MiB per Node service; RSS at the end of the soak at most
// 10% above its level after the first minute of load (the warm-up that fills caches, JIT code and
// connection pools). Bounded in time.
//
// The services run from their builds (`npm run build` first) as `npm start` runs them natively
// (development settings, embedded stores in a scratch folder, no Redis), each on a free port, so
// the bench never collides with a stack already running on this machine.
import { type ChildProcess, spawn } from 'node:child_process';
import { once } from 'node:events';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { freePort } from '@codiesvibe/shared/testing';
import { REPO_ROOT, residentMemoryMiB } from '../test/native-stack-harness.js';

const IDLE_TARGET_MIB = 100;
const GROWTH_TARGET = 0.1;

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

const soakMinutes = positiveNumber('SOAK_MINUTES', 10);
const sampleSeconds = positiveNumber('SOAK_SAMPLE_SECONDS', 30);
const concurrency = positiveNumber('SOAK_CONCURRENCY', 8);
const verdict = (met: boolean) => (met ? 'PASS' : 'MISSED');
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

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

interface Service {
  name: string;
  child: ChildProcess;
  url: string;
}

const scratch = mkdtempSync(join(tmpdir(), 'codiesvibe-memory-'));
const services: Service[] = [];

/** Starts `backend/<name>/dist/main.js` on a free port and waits for its readiness. */
async function startService(name: string, env: Record<string, string>): Promise<Service> {
  const port = await freePort();
  const url = `http://127.0.0.1:${port}`;
  const child = spawn(process.execPath, [join(REPO_ROOT, 'backend', name, 'dist', 'main.js')], {
    cwd: scratch,
    env: { ...process.env, NODE_ENV: 'development', LOG_LEVEL: 'warn', HOST: '127.0.0.1', PORT: String(port), DATA_DIR: join(scratch, name), ...env },
    stdio: ['ignore', 'ignore', 'inherit'],
  });
  const service = { name, child, url };
  services.push(service);
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
    services.map(async ({ child }) => {
      if (child.exitCode !== null || child.signalCode !== null) return;
      const exited = once(child, 'exit');
      child.kill('SIGTERM');
      await exited;
    }),
  );
  rmSync(scratch, { recursive: true, force: true });
}

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

const bare = await bareNodeRss();
console.log(`baseline: a bare node http server idles at ${bare.toFixed(1)} MiB`);

process.on('SIGINT', () => void stopAll().finally(() => process.exit(130)));
let failed = false;
try {
  const api = await startService('nestjs-api', {});
  const mcp = await startService('mcp-server', { TOOLS_API_URL: api.url });
  const ai = await startService('fastify-api', { MCP_SERVER_URL: `${mcp.url}/mcp` });
  const frontendDir = join(REPO_ROOT, 'frontend', 'dist');
  const frontend: Record<string, string> = existsSync(frontendDir) ? { FRONTEND_DIR: frontendDir } : { FRONTEND_UPSTREAM: 'http://127.0.0.1:9' };
  // Every soak client comes from 127.0.0.1: a budget that one address never reaches (the limiter still runs).
  const gateway = await startService('gateway', { API_UPSTREAM: api.url, AI_UPSTREAM: ai.url, MCP_UPSTREAM: mcp.url, RATE_LIMIT_MAX: '100000000', ...frontend });
  // Let start-up garbage settle before reading idle memory.
  await sleep(10_000);
  console.log(`\nidle resident memory (target <= ${IDLE_TARGET_MIB} MiB per Node service):`);
  for (const service of services) {
    const rss = residentMemoryMiB(service.child.pid!);
    if (rss > IDLE_TARGET_MIB) failed = true;
    console.log(`  ${service.name.padEnd(14)} ${rss.toFixed(1).padStart(7)} MiB  ${(rss / bare).toFixed(2)}x bare node  ${verdict(rss <= IDLE_TARGET_MIB)}`);
  }

  console.log(`\nsoak: ${soakMinutes} min of steady load through the gateway (${concurrency} concurrent clients), RSS every ${sampleSeconds} s`);
  const requests = requestsFor(gateway.url);
  const stopAt = Date.now() + soakMinutes * 60_000;
  const counts = { ok: 0, failed: 0 };
  const failures = new Map<string, number>();
  const fail = (what: string) => {
    counts.failed++;
    failures.set(what, (failures.get(what) ?? 0) + 1);
  };
  const clients = Array.from({ length: concurrency }, async (_, client) => {
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
  });
  const samples = new Map<string, number[]>();
  const warmUpMs = Math.min(60_000, (soakMinutes * 60_000) / 5);
  const began = Date.now();
  let lastReport = 0;
  while (Date.now() < stopAt) {
    await sleep(Math.min(sampleSeconds * 1000, Math.max(0, stopAt - Date.now())));
    const elapsed = Date.now() - began;
    for (const service of services) {
      const series = samples.get(service.name) ?? [];
      // The first sample after the warm-up is the reference; earlier ones are shown, not judged.
      series.push(residentMemoryMiB(service.child.pid!));
      samples.set(service.name, series);
    }
    if (elapsed - lastReport >= 60_000 || Date.now() >= stopAt) {
      lastReport = elapsed;
      console.log(`  ${(elapsed / 60_000).toFixed(1).padStart(5)} min  ${counts.ok} ok, ${counts.failed} failed  ${[...samples].map(([name, series]) => `${name} ${series.at(-1)!.toFixed(0)}`).join('  ')} MiB`);
    }
  }
  await Promise.all(clients);
  const referenceIndex = Math.max(0, Math.ceil(warmUpMs / (sampleSeconds * 1000)) - 1);
  console.log(`\nRSS growth from ${(warmUpMs / 60_000).toFixed(1)} min of load to the end (target <= ${GROWTH_TARGET * 100}%):`);
  for (const [name, series] of samples) {
    const reference = series[Math.min(referenceIndex, series.length - 1)]!;
    const last = series.at(-1)!;
    const growth = (last - reference) / reference;
    if (growth > GROWTH_TARGET) failed = true;
    // Shown, not judged: growth over the second half tells a plateau (warm-up) from a leak.
    const middle = series[Math.floor((series.length - 1) / 2)]!;
    const secondHalf = (last - middle) / middle;
    console.log(
      `  ${name.padEnd(14)} ${reference.toFixed(1).padStart(7)} -> ${last.toFixed(1).padStart(7)} MiB  ${(growth * 100).toFixed(1).padStart(5)}%  peak ${Math.max(...series).toFixed(1)} MiB  second half ${(secondHalf * 100).toFixed(1)}%  ${verdict(growth <= GROWTH_TARGET)}`,
    );
  }
  console.log(`  ${counts.ok} requests answered, ${counts.failed} failed${[...failures].map(([what, count]) => `\n    ${count}x ${what}`).join('')}`);
  if (counts.failed > counts.ok / 100) {
    failed = true;
    console.log('  MISSED: more than 1% of the soak requests failed');
  }
} catch (error) {
  failed = true;
  console.error(`bench: ${(error as Error).message}`);
} finally {
  await stopAll();
}
console.log(failed ? 'a target MISSED' : 'every target PASS');
