import { spawn, spawnSync } from 'node:child_process';
import { readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { copyProject, type ProjectCopy } from './project-copy.js';
import { markedEnv, nativeProcesses } from './native-stack-harness.js';
import { startSteadyLoad, type LoadResult } from './steady-load.js';

/*
 * `stack deploy` natively (issue 16, item 2): production runs behind a real nginx edge in a copy
 * of the project, autocannon keeps a steady load of GETs and searches on the edge, and releases
 * are deployed under it. A good release (a new VERSION and a changed nestjs-api definition) must
 * take over with no failed request; a broken one (nestjs-api exits at start) must fail the deploy
 * with no failed request and leave the old release serving. `--strategy rolling` then replaces
 * one process at a time (nestjs-api's two replicas through the gateway's upstream set, the
 * gateway through its edge switch), under the same load. MongoDB is not installed here: the
 * APIs use their embedded store (CODIESVIBE_EMBEDDED), which is what production natively runs.
 */
const nginx = spawnSync('nginx', ['-v']).status === 0;
const redis = spawnSync('redis-server', ['--version']).status === 0;
const missing = [!nginx && 'nginx', !redis && 'redis-server'].filter(Boolean).join(' and ');
if (missing) {
  const reason = `SKIPPED: stack deploy zero-downtime test needs ${missing} installed`;
  console.log(reason);
  if (process.env.CODIESVIBE_REQUIRE_ALL === '1') throw new Error(reason);
}

async function freePort(): Promise<number> {
  return new Promise((resolve) => {
    const server = createServer().listen(0, '127.0.0.1', () => {
      const { port } = server.address() as { port: number };
      server.close(() => resolve(port));
    });
  });
}

let copy: ProjectCopy;
let edge: string;
const environmentFile = () => join(copy.root, 'docker-compose', 'environments', 'docker-compose.production.yml');
const setVersion = (version: string) => {
  const file = join(copy.root, '.env.production');
  writeFileSync(file, readFileSync(file, 'utf8').replace(/^VERSION=.*$/m, `VERSION=${version}`));
};
/** One more variable in a service's environment (for nestjs-api: a change of its definition). */
const addVariable = (service: string, line: string) => {
  const text = readFileSync(environmentFile(), 'utf8');
  writeFileSync(environmentFile(), text.replace(new RegExp(`(^  ${service}:\\n[\\s\\S]*?^    environment:\\n)`, 'm'), `$1      ${line}\n`));
};
const DEPLOY = ['--env', 'production', 'deploy', '--no-build', '--timeout', '60s', '--drain-timeout', '10s'];

/** `stack deploy` without blocking this process, so the load keeps going while it runs. */
function deploy(extra: string[] = [], env: NodeJS.ProcessEnv = {}): Promise<{ status: number | null; stdout: string; stderr: string }> {
  const child = spawn(process.execPath, [join(copy.root, 'stack', 'cli', 'bin', 'stack.js'), ...DEPLOY, ...extra], { cwd: copy.root, env: markedEnv(env), stdio: ['ignore', 'pipe', 'pipe'] });
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
  child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
  return new Promise((resolve) => child.once('close', (status) => resolve({ status, stdout, stderr })));
}

/** Steady load on the edge while `during` runs: GETs of the catalogue and searches (see steady-load.ts). */
async function underLoad<T>(during: () => Promise<T>, base = edge): Promise<{ result: T; load: LoadResult }> {
  const load = startSteadyLoad(base, ['/api/tools?limit=5', '/api/tools?q=code&limit=5'], { rate: 150, connections: 8 });
  await new Promise((resolve) => setTimeout(resolve, 1500));
  const result = await during();
  await new Promise((resolve) => setTimeout(resolve, 1500));
  return { result, load: await load.stop() };
}

describe.skipIf(Boolean(missing))('stack deploy (native, behind nginx)', () => {
  beforeAll(async () => {
    copy = copyProject('codiesvibe-deploy-');
    const port = await freePort();
    edge = `http://127.0.0.1:${port}`;
    const example = readFileSync(join(copy.root, '.env.production.example'), 'utf8');
    writeFileSync(join(copy.root, '.env.production'), example.replace(/^EDGE_HTTP_PORT=.*$/m, `EDGE_HTTP_PORT=${port}`).replace(/^VERSION=.*$/m, 'VERSION=1.0.0'));
    // The load comes from one address: the edge's and the gateway's per-client limits (30 and 10
    // requests a second) would answer most of it 429. Raised in this copy only.
    const limits = join(copy.root, 'config', 'nginx', 'conf.d', 'rate-limits.conf');
    writeFileSync(limits, readFileSync(limits, 'utf8').replace('zone=edge_api:10m rate=30r/s', 'zone=edge_api:10m rate=10000r/s'));
    addVariable('gateway', 'RATE_LIMIT_MAX: "10000000"');
    const secrets = copy.stack(['--env', 'production', 'secrets', 'init']);
    expect(secrets.status, secrets.stderr).toBe(0);
    const up = copy.stack(['--env', 'production', 'up', '--native', '-d', '--no-build', '--scale', 'nestjs-api=2', '--scale', 'fastify-api=1', '--scale', 'mcp-server=1'], {}, 180_000);
    expect(up.status, up.stderr).toBe(0);
  });

  afterAll(() => {
    copy?.stack(['down']);
    copy?.remove();
  });

  it('switches to a new release under load with no failed request, and then serves from it', async () => {
    const before = nativeProcesses('codiesvibe', copy.root);
    setVersion('1.1.0');
    addVariable('nestjs-api', 'CACHE_TTL_SECONDS: "120"');
    const { result, load } = await underLoad(() => deploy());
    expect(result.status, result.stderr).toBe(0);
    // Every request answered 2xx: no error answer, no reset connection, no timeout.
    expect(load.failed, JSON.stringify(load)).toBe(0);
    expect(load.sent).toBeGreaterThan(100);

    const after = nativeProcesses('codiesvibe', copy.root);
    const replaced = ['gateway', 'nestjs-api', 'fastify-api', 'mcp-server'];
    for (const name of replaced) {
      const old = before.find((p) => p.name === name)!;
      const now = after.find((p) => p.name === name)!;
      expect(now.pid, name).not.toBe(old.pid);
      expect(now.port, name).not.toBe(old.port);
      expect(isAlive(old.pid), `${name}: the old process is stopped`).toBe(false);
    }
    // The edge reaches the new gateway: the old one is stopped (above), and the edge still answers.
    const response = await fetch(`${edge}/api/tools?limit=1&q=afterdeploy`);
    expect(response.status).toBe(200);
    // The running nestjs-api is the new definition, with the release's VERSION.
    const environ = readFileSync(`/proc/${after.find((p) => p.name === 'nestjs-api')!.pid}/environ`, 'utf8').split('\0');
    expect(environ).toContain('CACHE_TTL_SECONDS=120');
    expect(environ).toContain('VERSION=1.1.0');

    const status = copy.stack(['--env', 'production', 'deploy', '--status']);
    expect(status.stdout).toMatch(/current: +1\.1\.0 \(commit \w+, built .*\), deployed .* by \S+@\S+ \(blue-green\)/);
    expect(status.stdout).toMatch(/previous: 1\.0\.0 .*\(stack up\)/);
  });

  it('keeps the old release serving when the new nestjs-api exits at start, and exits non-zero with its last lines', async () => {
    const before = nativeProcesses('codiesvibe', copy.root);
    setVersion('1.2.0');
    // A cache lifetime nestjs-api refuses: it exits at start, as a release with a startup bug would.
    writeFileSync(environmentFile(), readFileSync(environmentFile(), 'utf8').replace('CACHE_TTL_SECONDS: "120"', 'CACHE_TTL_SECONDS: "-5"'));
    const { result, load } = await underLoad(() => deploy());
    expect(result.status).toBe(1);
    expect(result.stderr).toMatch(/release 1\.2\.0 failed: nestjs-api\S* exited with code 1 before it became healthy; traffic stays on the running release/);
    expect(result.stderr).toContain('CACHE_TTL_SECONDS');
    expect(load.failed, JSON.stringify(load)).toBe(0);
    const after = nativeProcesses('codiesvibe', copy.root);
    expect(after.map((p) => [p.name, p.pid])).toEqual(before.map((p) => [p.name, p.pid]));
    expect((await fetch(`${edge}/api/tools?limit=1`)).status).toBe(200);
    expect(copy.stack(['--env', 'production', 'deploy', '--status']).stdout).toMatch(/current: +1\.1\.0/);
    // The running release runs from its own copy of the build, which the failed release did not touch.
    expect(commandOf(after.find((p) => p.name === 'nestjs-api')!.pid)).toMatch(releaseFile('1.1.0', 'backend/nestjs-api/dist/main.js'));
  });

  it('refuses, one line each, a VERSION equal to the running one and a second deploy while one runs', async () => {
    setVersion('1.1.0');
    const same = await deploy();
    expect(same.status).toBe(1);
    expect(same.stderr.trim()).toMatch(/^stack: VERSION 1\.1\.0 is the running release .*\[STACK_ERR_DEPLOY\]$/);

    setVersion('1.3.0');
    const lock = join(copy.root, '.stack', 'native', 'codiesvibe', 'deploy.lock');
    writeFileSync(lock, JSON.stringify({ pid: process.pid, by: 'alice@ci', since: '2026-12-04T16:00:00Z', version: '9.9.9' }));
    const locked = await deploy();
    expect(locked.status).toBe(1);
    expect(locked.stderr).toMatch(/another deploy runs: alice@ci \(pid \d+\) since 2026-12-04T16:00:00Z, releasing 9\.9\.9.*STACK_ERR_DEPLOY_LOCKED/);
     rmSync(lock);
  });

  it('rolls back to the previous release from its release directory under load, and refuses a release stack up started', async () => {
    // 1.1.0 runs; its previous is 1.0.0, started by `stack up` from the working tree.
    const fromUp = await deploy(['--rollback']);
    expect(fromUp.status).toBe(1);
    expect(fromUp.stderr.trim()).toMatch(/^stack: the previous release 1\.0\.0 was started by `stack up` without a release directory.*\[STACK_ERR_DEPLOY\]$/);

    setVersion('1.3.0');
    writeFileSync(environmentFile(), readFileSync(environmentFile(), 'utf8').replace('CACHE_TTL_SECONDS: "-5"', 'CACHE_TTL_SECONDS: "60"'));
    const next = await deploy();
    expect(next.status, next.stderr).toBe(0);
    const { result, load } = await underLoad(() => deploy(['--rollback']));
    expect(result.status, result.stderr).toBe(0);
    expect(result.stdout).toMatch(/^rolled back to 1\.1\.0 .*previous: 1\.3\.0/);
    expect(load.failed, JSON.stringify(load)).toBe(0);
    const nestjs = nativeProcesses('codiesvibe', copy.root).find((p) => p.name === 'nestjs-api')!;
    const environ = readFileSync(`/proc/${nestjs.pid}/environ`, 'utf8').split('\0');
    expect(environ).toContain('VERSION=1.1.0');
    expect(environ).toContain('CACHE_TTL_SECONDS=120');
    expect(commandOf(nestjs.pid)).toMatch(releaseFile('1.1.0', 'backend/nestjs-api/dist/main.js'));
    expect((await fetch(`${edge}/api/tools?limit=1`)).status).toBe(200);
    const status = copy.stack(['--env', 'production', 'deploy', '--status']).stdout;
    expect(status).toMatch(/current: +1\.1\.0 .*\(rollback\)/);
    expect(status).toMatch(/previous: 1\.3\.0 .*\(blue-green\)/);
    // Only the current and previous releases keep a directory (the failed 1.2.0's went at once).
    const kept = readdirSync(join(copy.root, '.stack', 'native', 'codiesvibe', 'releases')).map((id) => id.replace(/-[a-z0-9]+$/, ''));
    expect(kept.sort()).toEqual(['1.1.0', '1.3.0']);
  });

  it('rolls every process one at a time under load with no failed request, nestjs-api through the gateway\'s upstream set', async () => {
    const before = nativeProcesses('codiesvibe', copy.root);
    setVersion('1.4.0');
    writeFileSync(environmentFile(), readFileSync(environmentFile(), 'utf8').replace(/CACHE_TTL_SECONDS: "-?\d+"/, 'CACHE_TTL_SECONDS: "90"'));
    const { result, load } = await underLoad(() => deploy(['--strategy', 'rolling']));
    expect(result.status, result.stderr).toBe(0);
    expect(load.failed, JSON.stringify(load)).toBe(0);
    expect(load.sent).toBeGreaterThan(100);
    // One at a time: each replica of nestjs-api joined the running gateway's set in its old one's place.
    const gatewayMoves = result.stderr.match(/nestjs-api(-2)? :\d+ is healthy and takes traffic \(gateway's API_UPSTREAM from :\d+ to :\d+\)/g) ?? [];
    expect(gatewayMoves, result.stderr).toHaveLength(2);
    expect(result.stderr).toMatch(/gateway :\d+ is healthy and takes traffic \(gateway switch :\d+ from :\d+ to :\d+; gateway told to close its keep-alive connections between requests\)/);

    const after = nativeProcesses('codiesvibe', copy.root);
    expect(after.filter((p) => p.name.includes('~')), 'no retired process is left').toEqual([]);
    for (const name of ['gateway', 'nestjs-api', 'nestjs-api-2', 'fastify-api', 'mcp-server']) {
      const old = before.find((p) => p.name === name)!;
      const now = after.find((p) => p.name === name)!;
      expect(now.pid, name).not.toBe(old.pid);
      expect(isAlive(old.pid), `${name}: the old process is stopped`).toBe(false);
    }
    const environ = readFileSync(`/proc/${after.find((p) => p.name === 'nestjs-api-2')!.pid}/environ`, 'utf8').split('\0');
    expect(environ).toContain('VERSION=1.4.0');
    expect(environ).toContain('CACHE_TTL_SECONDS=90');
    expect((await fetch(`${edge}/api/tools?limit=1`)).status).toBe(200);
    // The gateway serves the frontend's built files from the release's own copy.
    const gatewayEnv = readFileSync(`/proc/${after.find((p) => p.name === 'gateway')!.pid}/environ`, 'utf8').split('\0');
    expect(gatewayEnv.find((line) => line.startsWith('FRONTEND_DIR='))).toMatch(releaseFile('1.4.0', 'frontend/dist'));
    expect((await fetch(`${edge}/`)).status).toBe(200);
    expect(copy.stack(['--env', 'production', 'deploy', '--status']).stdout).toMatch(/current: +1\.4\.0 .*\(rolling\)/);
  });

  it('stops the roll at a replica that exits at start, keeps its old one serving, and exits non-zero with its last lines', async () => {
    const before = nativeProcesses('codiesvibe', copy.root);
    setVersion('1.5.0');
    writeFileSync(environmentFile(), readFileSync(environmentFile(), 'utf8').replace('CACHE_TTL_SECONDS: "90"', 'CACHE_TTL_SECONDS: "-5"'));
    const { result, load } = await underLoad(() => deploy(['--strategy', 'rolling']));
    expect(result.status).toBe(1);
    expect(result.stderr).toMatch(/release 1\.5\.0 failed: nestjs-api exited with code 1 before it became healthy; the roll stopped there: the old nestjs-api keeps serving; 0 of \d+ processes were replaced/);
    expect(result.stderr).toContain('CACHE_TTL_SECONDS');
    expect(load.failed, JSON.stringify(load)).toBe(0);
    const after = nativeProcesses('codiesvibe', copy.root);
    expect(after.map((p) => [p.name, p.pid])).toEqual(before.map((p) => [p.name, p.pid]));
    expect((await fetch(`${edge}/api/tools?limit=1`)).status).toBe(200);
    expect(copy.stack(['--env', 'production', 'deploy', '--status']).stdout).toMatch(/current: +1\.4\.0/);
  });

});

/** A release directory's file, as a pattern: `.stack/native/codiesvibe/releases/<version>-<time>/<path>`. */
function releaseFile(version: string, path: string): RegExp {
  return new RegExp(`/\\.stack/native/codiesvibe/releases/${version.replaceAll('.', '\\.')}-[a-z0-9]+/${path}$`);
}

function commandOf(pid: number): string {
  return readFileSync(`/proc/${pid}/cmdline`, 'utf8').split('\0').filter(Boolean).at(-1)!;
}

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}
