/*
 * `npm run bench -w backend/gateway`: one small upstream reached directly, through the gateway
 * (built, production settings, every production feature on) and through Debian's nginx (plain
 * proxy_pass with upstream keep-alive), at a few concurrency levels with autocannon. Prints
 * req/s, p50/p99 and the ratios gateway/nginx and gateway/direct. Both gateways run with the
 * access log on; `gateway` limits in memory, `gateway+redis` (with redis-server installed) shares
 * its limits through Redis as production does. Targets (issue 18) for the production gateway:
 * at least 0.6x nginx's throughput (moonshot 0.8x), p99 at most 1.5x nginx's and CPU per request
 * at most 2.5x nginx's at every level; each ratio is printed with PASS or MISSED.
 *
 * Settings (environment): BENCH_DURATION seconds per run (5), BENCH_CONNECTIONS list (10,50,100),
 * BENCH_NGINX_WORKERS (1: one nginx worker against one Node process), BENCH_CPU_PROF a directory:
 * when set, each Node proxy (both gateways and node+undici) writes a V8 CPU profile of its whole
 * run there when it stops (`<name>.cpuprofile`, open in Chrome DevTools or speedscope).
 *
 * Besides latency and throughput it prints the CPU time each serving process spent per request
 * (from /proc), the one number a machine shared with other work does not distort much.
 *
 * `node+undici` (bench/bare-proxy.mjs) is the floor: Node's http server relaying through an
 * undici Pool with none of the gateway's features. Its ratios against nginx show how much of the
 * gap is Node's own; the gateway's ratios against it show what the features cost.
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { once } from 'node:events';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { findProgram, freePort } from '@codiesvibe/shared/testing';
import autocannon from 'autocannon';

const here = fileURLToPath(new URL('.', import.meta.url));
const children: ChildProcess[] = [];
const scratch = mkdtempSync(join(tmpdir(), 'gateway-bench-'));

function readSettings() {
  const problems: string[] = [];
  const whole = (name: string, fallback: string) => {
    const raw = process.env[name] ?? fallback;
    const value = Number(raw);
    if (!/^\d+$/.test(raw) || value < 1) problems.push(`${name}="${raw}" is not a positive whole number`);
    return value;
  };
  const duration = whole('BENCH_DURATION', '5');
  const nginxWorkers = whole('BENCH_NGINX_WORKERS', '1');
  const rawConnections = process.env.BENCH_CONNECTIONS ?? '10,50,100';
  const connections = rawConnections.split(',').map(Number);
  if (connections.some((value) => !Number.isInteger(value) || value < 1)) problems.push(`BENCH_CONNECTIONS="${rawConnections}" is not a list of positive whole numbers`);
  if (problems.length > 0) {
    for (const problem of problems) console.error(`bench: ${problem}`);
    process.exit(1);
  }
  const profileDir = process.env.BENCH_CPU_PROF ? resolve(process.env.BENCH_CPU_PROF) : undefined;
  if (profileDir) mkdirSync(profileDir, { recursive: true });
  return { duration, nginxWorkers, connections, profileDir };
}

/** Node's flags that make a proxy write its CPU profile to BENCH_CPU_PROF when it exits. */
function profileFlags(profileDir: string | undefined, name: string): string[] {
  return profileDir ? ['--cpu-prof', '--cpu-prof-dir', profileDir, '--cpu-prof-name', `${name}.cpuprofile`] : [];
}

function start(command: string, args: string[], env: Record<string, string> = {}): ChildProcess {
  const child = spawn(command, args, { env: { ...process.env, ...env }, stdio: ['ignore', 'ignore', 'inherit'] });
  children.push(child);
  return child;
}

/** Waits until `url` answers 2xx (the process is up), or fails after ~30 s. */
async function waitFor(url: string, child: ChildProcess): Promise<void> {
  for (let attempt = 0; attempt < 300; attempt++) {
    if (child.exitCode !== null) throw new Error(`${url}: the process exited with ${child.exitCode}`);
    try {
      const response = await fetch(url);
      await response.arrayBuffer();
      if (response.ok) return;
    } catch {
      // not listening yet
    }
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  throw new Error(`${url} never answered`);
}

function nginxConfig(listenPort: number, upstreamPort: number, workers: number): string {
  for (const folder of ['client_body', 'proxy', 'fastcgi', 'uwsgi', 'scgi']) mkdirSync(join(scratch, folder), { recursive: true });
  return `worker_processes ${workers};
pid ${scratch}/nginx.pid;
error_log ${scratch}/nginx-error.log warn;
events { worker_connections 4096; }
http {
  access_log off;
  client_body_temp_path ${scratch}/client_body;
  proxy_temp_path ${scratch}/proxy;
  fastcgi_temp_path ${scratch}/fastcgi;
  uwsgi_temp_path ${scratch}/uwsgi;
  scgi_temp_path ${scratch}/scgi;
  upstream backend { server 127.0.0.1:${upstreamPort}; keepalive 64; }
  server {
    listen 127.0.0.1:${listenPort};
    location / {
      proxy_pass http://backend;
      proxy_http_version 1.1;
      proxy_set_header Connection "";
    }
  }
}
`;
}

interface Measurement {
  target: string;
  connections: number;
  requestsPerSecond: number;
  p50: number;
  p99: number;
  failures: number;
  /** CPU time the serving process(es) spent per request, in microseconds. */
  cpuMicrosPerRequest: number;
}

/** Linux clock ticks per second for /proc/<pid>/stat times (USER_HZ, 100 on every mainstream kernel). */
const CLOCK_TICKS_PER_SECOND = 100;

/**
 * CPU seconds used so far by `pid` and its children (nginx's workers). On a machine shared with
 * other work, throughput is at the mercy of the scheduler; CPU per request is not.
 */
function cpuSeconds(pid: number): number {
  const own = (target: number) => {
    try {
      const fields = readFileSync(`/proc/${target}/stat`, 'utf8').split(') ')[1]!.split(' ');
      return (Number(fields[11]) + Number(fields[12])) / CLOCK_TICKS_PER_SECOND;
    } catch {
      return 0;
    }
  };
  let children: number[] = [];
  try {
    children = readFileSync(`/proc/${pid}/task/${pid}/children`, 'utf8').trim().split(/\s+/).filter(Boolean).map(Number);
  } catch {
    // no children file: count the process alone
  }
  return own(pid) + children.reduce((sum, child) => sum + own(child), 0);
}

async function measure(target: Target, connections: number, duration: number): Promise<Measurement> {
  await autocannon({ url: target.url, connections, duration: 1 }); // warm-up: pools, JIT, keep-alive
  const cpuBefore = cpuSeconds(target.pid);
  const result = await autocannon({ url: target.url, connections, duration });
  const cpuUsed = cpuSeconds(target.pid) - cpuBefore;
  return {
    target: target.name,
    connections,
    requestsPerSecond: result.requests.average,
    p50: result.latency.p50,
    p99: result.latency.p99,
    failures: result.non2xx + result.errors + result.timeouts,
    cpuMicrosPerRequest: result.requests.total > 0 ? (cpuUsed * 1e6) / result.requests.total : Number.NaN,
  };
}

interface Target {
  name: string;
  url: string;
  /** The process whose CPU time is the cost of serving this target. */
  pid: number;
}

async function main(): Promise<void> {
  const settings = readSettings();
  const nginx = findProgram('nginx');
  const redisServer = findProgram('redis-server');

  const upstreamPort = await freePort();
  const upstream = start(process.execPath, [join(here, 'bench-upstream.mjs')], { PORT: String(upstreamPort) });
  await waitFor(`http://127.0.0.1:${upstreamPort}/health/ready`, upstream);

  const gatewayEnv = (port: number): Record<string, string> => ({
    NODE_ENV: 'production',
    LOG_LEVEL: 'info',
    PORT: String(port),
    HOST: '127.0.0.1',
    INSTANCE_ID: 'bench',
    API_UPSTREAM: `http://127.0.0.1:${upstreamPort}`,
    AI_UPSTREAM: 'http://127.0.0.1:9',
    MCP_UPSTREAM: 'http://127.0.0.1:9',
    FRONTEND_UPSTREAM: 'http://127.0.0.1:9',
    TRUSTED_PROXIES: 'loopback',
    CORS_ORIGINS: 'https://codiesvibe.example',
    // The limiter runs on every request; the budget is only high enough not to answer 429.
    RATE_LIMIT_MAX: '1000000000',
    // Every production feature on: the access log too (to /dev/null here, as stdout is ignored).
    ACCESS_LOG: 'true',
    // But not the idle memory release: each gateway waits through the other targets' runs (more
    // than its 10 quiet seconds), and its full GCs and regrown young generation would land in the
    // next run, not in what serving costs (the memory bench measures the release).
    IDLE_MEMORY_RELEASE: 'false',
  });
  const targets: Target[] = [{ name: 'direct', url: `http://127.0.0.1:${upstreamPort}/api/tools`, pid: upstream.pid ?? 0 }];

  const barePort = await freePort();
  const bare = start(process.execPath, [...profileFlags(settings.profileDir, 'node-undici'), join(here, 'bare-proxy.mjs')], { PORT: String(barePort), UPSTREAM: `http://127.0.0.1:${upstreamPort}` });
  await waitFor(`http://127.0.0.1:${barePort}/health/ready`, bare);
  targets.push({ name: 'node+undici', url: `http://127.0.0.1:${barePort}/api/tools`, pid: bare.pid ?? 0 });

  const gatewayPort = await freePort();
  const gateway = start(process.execPath, [...profileFlags(settings.profileDir, 'gateway'), join(here, '..', 'dist', 'main.js')], { ...gatewayEnv(gatewayPort), CODIESVIBE_EMBEDDED: 'REDIS_URL' });
  await waitFor(`http://127.0.0.1:${gatewayPort}/health/live`, gateway);
  targets.push({ name: 'gateway', url: `http://127.0.0.1:${gatewayPort}/api/tools`, pid: gateway.pid ?? 0 });

  if (nginx) {
    const nginxPort = await freePort();
    writeFileSync(join(scratch, 'nginx.conf'), nginxConfig(nginxPort, upstreamPort, settings.nginxWorkers));
    const nginxProcess = start(nginx, ['-p', scratch, '-c', join(scratch, 'nginx.conf'), '-g', 'daemon off;']);
    await waitFor(`http://127.0.0.1:${nginxPort}/api/tools`, nginxProcess);
    targets.push({ name: 'nginx', url: `http://127.0.0.1:${nginxPort}/api/tools`, pid: nginxProcess.pid ?? 0 });
  } else {
    console.warn('bench: nginx is not installed (apt-get install -y nginx); measuring without it');
  }

  if (redisServer) {
    const redisPort = await freePort();
    start(redisServer, ['--port', String(redisPort), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no']);
    const redisGatewayPort = await freePort();
    const redisGateway = start(process.execPath, [...profileFlags(settings.profileDir, 'gateway-redis'), join(here, '..', 'dist', 'main.js')], { ...gatewayEnv(redisGatewayPort), REDIS_URL: `redis://127.0.0.1:${redisPort}` });
    await waitFor(`http://127.0.0.1:${redisGatewayPort}/health/live`, redisGateway);
    targets.push({ name: 'gateway+redis', url: `http://127.0.0.1:${redisGatewayPort}/api/tools`, pid: redisGateway.pid ?? 0 });
  }

  // Warm every target first (JIT, connection pools) so the lowest level does not measure a cold start.
  for (const target of targets) await autocannon({ url: target.url, connections: Math.max(...settings.connections), duration: 3 });

  const results: Measurement[] = [];
  for (const connections of settings.connections) {
    // Targets take turns at each level, so background noise spreads over all of them.
    for (const target of targets) {
      const measurement = await measure(target, connections, settings.duration);
      results.push(measurement);
      console.log(
        `${String(connections).padStart(5)} conns  ${target.name.padEnd(14)} ${measurement.requestsPerSecond.toFixed(0).padStart(7)} req/s  p50 ${String(measurement.p50).padStart(4)} ms  p99 ${String(measurement.p99).padStart(4)} ms  cpu ${measurement.cpuMicrosPerRequest.toFixed(0).padStart(4)} us/req${measurement.failures ? `  FAILURES ${measurement.failures}` : ''}`,
      );
    }
  }

  console.log('\nratios against nginx in the same run (targets: throughput >= 0.60x, moonshot 0.80x; p99 <= 1.50x; cpu/req <= 2.50x):');
  const verdict = (met: boolean) => (met ? 'PASS' : 'MISSED');
  let productionMet = true;
  for (const connections of settings.connections) {
    const at = (name: string) => results.find((result) => result.target === name && result.connections === connections);
    const direct = at('direct');
    const nginxResult = at('nginx');
    const floor = at('node+undici');
    if (floor && direct && nginxResult) {
      console.log(
        `${String(connections).padStart(5)} conns  ${'node+undici'.padEnd(14)} vs direct ${(floor.requestsPerSecond / direct.requestsPerSecond).toFixed(2)}x  throughput ${(floor.requestsPerSecond / nginxResult.requestsPerSecond).toFixed(2)}x  p99 ${(nginxResult.p99 > 0 ? floor.p99 / nginxResult.p99 : 1).toFixed(2)}x  cpu/req ${(floor.cpuMicrosPerRequest / nginxResult.cpuMicrosPerRequest).toFixed(2)}x  (the floor: no features, no target)`,
      );
    }
    for (const name of ['gateway', 'gateway+redis']) {
      const result = at(name);
      if (!result || !direct) continue;
      const parts = [`${String(connections).padStart(5)} conns  ${name.padEnd(14)}`, `vs direct ${(result.requestsPerSecond / direct.requestsPerSecond).toFixed(2)}x`];
      if (floor) parts.push(`cpu/req vs floor ${(result.cpuMicrosPerRequest / floor.cpuMicrosPerRequest).toFixed(2)}x`);
      if (nginxResult) {
        const throughput = result.requestsPerSecond / nginxResult.requestsPerSecond;
        const p99 = nginxResult.p99 > 0 ? result.p99 / nginxResult.p99 : result.p99 === 0 ? 1 : Number.POSITIVE_INFINITY;
        const cpu = result.cpuMicrosPerRequest / nginxResult.cpuMicrosPerRequest;
        parts.push(
          `throughput ${throughput.toFixed(2)}x ${verdict(throughput >= 0.6)}${throughput >= 0.8 ? ' (moonshot met)' : ''}`,
          `p99 ${p99.toFixed(2)}x ${verdict(p99 <= 1.5)}`,
          `cpu/req ${cpu.toFixed(2)}x ${verdict(cpu <= 2.5)}`,
        );
        if (name === 'gateway+redis' && !(throughput >= 0.6 && p99 <= 1.5 && cpu <= 2.5)) productionMet = false;
      }
      console.log(parts.join('  '));
    }
  }
  const measuredProduction = results.some((result) => result.target === 'gateway+redis') && results.some((result) => result.target === 'nginx');
  console.log(
    measuredProduction
      ? `\nproduction gateway (Redis limiter, access log) against nginx: ${productionMet ? 'every target PASS' : 'a target MISSED'}`
      : '\nproduction gateway not measured against nginx (needs nginx and redis-server)',
  );
}

async function stopAll(): Promise<void> {
  await Promise.all(
    children.map(async (child) => {
      if (child.exitCode !== null || child.signalCode !== null) return;
      const exited = once(child, 'exit');
      child.kill('SIGTERM');
      await exited;
    }),
  );
  rmSync(scratch, { recursive: true, force: true });
}

process.on('SIGINT', () => void stopAll().finally(() => process.exit(130)));
try {
  await main();
} catch (error) {
  console.error(`bench: ${(error as Error).message}`);
  process.exitCode = 1;
} finally {
  await stopAll();
}
