// `npm run bench -w e2e` (second part): `stack deploy` natively behind nginx, in a project copy.
// Production runs (1 replica per app service), autocannon keeps 150 requests a second of GETs and
// searches on the edge; prints the steady p99 over 10 s (the baseline of this run), then deploys
// a new release with its build (blue-green), then another (rolling, built already), and prints
// each deploy's time and the worst latency and the p99 during it against that baseline, and the
// failed requests (target: 0).
import { spawn } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import autocannon from 'autocannon';
import { freePort } from '@codiesvibe/shared/testing';
import { markedEnv } from '../test/native-stack-harness.js';
import { copyProject } from '../test/project-copy.js';

const RATE = 150;

function load(url: string, seconds: number): { done: Promise<autocannon.Result>; stop: () => void } {
  let instance: autocannon.Instance | undefined;
  const done = new Promise<autocannon.Result>((resolve, reject) => {
    instance = autocannon(
      { url, connections: 8, overallRate: RATE, duration: seconds, requests: [{ method: 'GET', path: '/api/tools?limit=5' }, { method: 'GET', path: '/api/tools?q=code&limit=5' }] },
      (error: Error | null, result) => (error ? reject(error) : resolve(result)),
    );
  });
  return { done, stop: () => instance?.stop() };
}

function run(root: string, args: string[]): Promise<{ status: number | null; stderr: string }> {
  const child = spawn(process.execPath, [join(root, 'stack', 'cli', 'bin', 'stack.js'), ...args], { cwd: root, env: markedEnv(), stdio: ['ignore', 'ignore', 'pipe'] });
  let stderr = '';
  child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
  return new Promise((resolve) => child.once('close', (status) => resolve({ status, stderr })));
}

const copy = copyProject('codiesvibe-deploy-bench-');
try {
  const port = await freePort();
  const url = `http://127.0.0.1:${port}`;
  const example = readFileSync(join(copy.root, '.env.production.example'), 'utf8');
  writeFileSync(join(copy.root, '.env.production'), example.replace(/^EDGE_HTTP_PORT=.*$/m, `EDGE_HTTP_PORT=${port}`).replace(/^VERSION=.*$/m, 'VERSION=1.0.0'));
  // One client address: the per-client limits of the edge and the gateway are raised in this copy.
  const limits = join(copy.root, 'config', 'nginx', 'conf.d', 'rate-limits.conf');
  writeFileSync(limits, readFileSync(limits, 'utf8').replace('zone=edge_api:10m rate=30r/s', 'zone=edge_api:10m rate=10000r/s'));
  const environment = join(copy.root, 'docker-compose', 'environments', 'docker-compose.production.yml');
  writeFileSync(environment, readFileSync(environment, 'utf8').replace(/(^ {2}gateway:\n[\s\S]*?^ {4}environment:\n)/m, '$1      RATE_LIMIT_MAX: "10000000"\n'));
  if (copy.stack(['--env', 'production', 'secrets', 'init']).status !== 0) throw new Error('secrets init failed');
  const up = copy.stack(['--env', 'production', 'up', '--native', '-d', '--no-build', '--scale', 'nestjs-api=1', '--scale', 'fastify-api=1', '--scale', 'mcp-server=1'], {}, 300_000);
  if (up.status !== 0) throw new Error(`up failed:\n${up.stderr}`);

  const steady = await load(url, 10).done;
  console.log(`steady load (${RATE} req/s, 10 s, baseline): p99 ${steady.latency.p99} ms, max ${steady.latency.max} ms, ${steady.requests.total} requests, failed ${steady.errors + steady.timeouts + steady.non2xx}`);

  // Blue-green with its build, then rolling (built already), each under the same load.
  for (const [version, strategy, extra] of [['1.1.0', 'blue-green', []], ['1.2.0', 'rolling', ['--no-build']]] as const) {
    writeFileSync(join(copy.root, '.env.production'), readFileSync(join(copy.root, '.env.production'), 'utf8').replace(/^VERSION=.*$/m, `VERSION=${version}`));
    const during = load(url, 900);
    const began = Date.now();
    const deployed = await run(copy.root, ['--env', 'production', 'deploy', '--strategy', strategy, '--timeout', '120s', ...extra]);
    const deployMs = Date.now() - began;
    during.stop();
    const switched = await during.done;
    if (deployed.status !== 0) throw new Error(`deploy failed:\n${deployed.stderr}`);
    const failed = switched.errors + switched.timeouts + switched.non2xx;
    console.log(`deploy (${strategy}${extra.length ? ', built already' : ', with its build'}): ${(deployMs / 1000).toFixed(1)} s`);
    console.log(
      `during the ${strategy} deploy: p99 ${switched.latency.p99} ms (${(switched.latency.p99 / Math.max(1, steady.latency.p99)).toFixed(2)}x steady p99), worst ${switched.latency.max} ms (${(switched.latency.max / Math.max(1, steady.latency.p99)).toFixed(2)}x steady p99), ${switched.requests.total} requests, failed ${failed} (target 0): ${failed === 0 ? 'PASS' : 'MISSED'}`,
    );
  }
  console.log('(measured on this machine as it is: on a shared, loaded machine the ratios matter, not the absolute figures)');
} finally {
  copy.stack(['down']);
  copy.remove();
}
