import { spawn, spawnSync } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { copyProject, type ProjectCopy } from './project-copy.js';
import { markedEnv, nativeProcesses } from './native-stack-harness.js';
import { startSteadyLoad } from './steady-load.js';

/*
 * `stack deploy` natively without the nginx edge (issue 16): production where nginx is not
 * installed, so the gateway is the edge, behind the switch `up` puts on its port. The clients'
 * keep-alive connections then reach the gateway itself (nginx would open one per request), and
 * stay on the old gateway after the switch moves. The deploy tells the old gateway to retire
 * (x-native.retireSignal): it answers `Connection: close` from then on and closes quiet
 * connections, so every connection ends between requests and the drain ends before its timeout.
 * Steady load straight on the switch: 150 GETs and searches a second over 8 keep-alive
 * connections of Node's agent, which never retries, so every reset counts.
 */
const redis = spawnSync('redis-server', ['--version']).status === 0;
if (!redis) {
  const reason = 'SKIPPED: stack deploy without nginx test needs redis-server installed';
  console.log(reason);
  if (process.env.CODIESVIBE_REQUIRE_ALL === '1') throw new Error(reason);
}

let copy: ProjectCopy;
let entry: string;
const environmentFile = () => join(copy.root, 'docker-compose', 'environments', 'docker-compose.production.yml');
const setVersion = (version: string) => {
  const file = join(copy.root, '.env.production');
  writeFileSync(file, readFileSync(file, 'utf8').replace(/^VERSION=.*$/m, `VERSION=${version}`));
};
/** Longer than the deploy needs: a drain that waits it out means connections did not end. */
const DRAIN = '30s';

function deploy(extra: string[] = []): Promise<{ status: number | null; stdout: string; stderr: string }> {
  const args = ['--env', 'production', 'deploy', '--no-build', '--timeout', '60s', '--drain-timeout', DRAIN, ...extra];
  const child = spawn(process.execPath, [join(copy.root, 'stack', 'cli', 'bin', 'stack.js'), ...args], { cwd: copy.root, env: markedEnv(), stdio: ['ignore', 'pipe', 'pipe'] });
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
  child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
  return new Promise((resolve) => child.once('close', (status) => resolve({ status, stdout, stderr })));
}

async function deployUnderLoad(extra: string[] = []) {
  const load = startSteadyLoad(entry, ['/api/tools?limit=5', '/api/tools?q=code&limit=5'], { rate: 150, connections: 8 });
  await new Promise((resolve) => setTimeout(resolve, 1500));
  const result = await deploy(extra);
  await new Promise((resolve) => setTimeout(resolve, 1500));
  return { result, load: await load.stop() };
}

describe.skipIf(!redis)('stack deploy (native, without nginx: the gateway behind its switch is the edge)', () => {
  beforeAll(() => {
    copy = copyProject('codiesvibe-deploy-bare-');
    // nginx is not run in production in this copy, as on a host where it is not installed.
    const infra = join(copy.root, 'docker-compose', 'infrastructure', 'docker-compose.infra.yml');
    const withNginx = readFileSync(infra, 'utf8');
    const without = withNginx.replace('program: nginx\n      emulate: nginx-image\n      environments: [staging, production]', 'program: nginx\n      emulate: nginx-image\n      environments: [staging]');
    expect(without, 'the nginx service runs natively in staging and production').not.toBe(withNginx);
    writeFileSync(infra, without);
    const example = readFileSync(join(copy.root, '.env.production.example'), 'utf8');
    writeFileSync(join(copy.root, '.env.production'), example.replace(/^VERSION=.*$/m, 'VERSION=1.0.0'));
    // The load comes from one address: the gateway's per-client limit would answer most of it 429.
    writeFileSync(environmentFile(), readFileSync(environmentFile(), 'utf8').replace(/(^ {2}gateway:\n[\s\S]*?^ {4}environment:\n)/m, '$1      RATE_LIMIT_MAX: "10000000"\n'));
    const secrets = copy.stack(['--env', 'production', 'secrets', 'init']);
    expect(secrets.status, secrets.stderr).toBe(0);
    const up = copy.stack(['--env', 'production', 'up', '--native', '-d', '--no-build', '--scale', 'nestjs-api=1', '--scale', 'fastify-api=1', '--scale', 'mcp-server=1'], {}, 180_000);
    expect(up.status, up.stderr).toBe(0);
    expect(nativeProcesses('codiesvibe', copy.root).map((p) => p.name)).not.toContain('nginx');
    entry = /is up: open (\S+)/.exec(up.stderr + up.stdout)![1]!.replace('localhost', '127.0.0.1').replace(/\/$/, '');
  });

  afterAll(() => {
    copy?.stack(['down']);
    copy?.remove();
  });

  it('switches to a new release under keep-alive load with no failed request; the old gateway ends its connections between requests', async () => {
    const before = nativeProcesses('codiesvibe', copy.root);
    setVersion('1.1.0');
    const { result, load } = await deployUnderLoad();
    expect(result.status, result.stderr).toBe(0);
    // Every request answered 2xx: no error answer, no reset connection, no timeout.
    expect(load.failed, JSON.stringify(load)).toBe(0);
    expect(load.sent).toBeGreaterThan(100);
    expect(result.stderr).toMatch(/traffic moved \(gateway switch :\d+ from :\d+ to :\d+; gateway told to close its keep-alive connections between requests\)/);
    // The old gateway's connections ended by themselves: the drain did not wait for its timeout.
    expect(result.stderr).not.toMatch(/still busy after/);
    const after = nativeProcesses('codiesvibe', copy.root);
    const oldGateway = before.find((p) => p.name === 'gateway')!;
    expect(after.find((p) => p.name === 'gateway')!.pid).not.toBe(oldGateway.pid);
    expect(isAlive(oldGateway.pid), 'the old gateway is stopped').toBe(false);
    expect((await fetch(`${entry}/api/tools?limit=1`)).status).toBe(200);
  });

  it('rolls every process one at a time under keep-alive load with no failed request', async () => {
    setVersion('1.2.0');
    const { result, load } = await deployUnderLoad(['--strategy', 'rolling']);
    expect(result.status, result.stderr).toBe(0);
    expect(load.failed, JSON.stringify(load)).toBe(0);
    expect(load.sent).toBeGreaterThan(100);
    expect(result.stderr).toMatch(/gateway :\d+ is healthy and takes traffic \(gateway switch :\d+ from :\d+ to :\d+; gateway told to close its keep-alive connections between requests\)/);
    expect(nativeProcesses('codiesvibe', copy.root).filter((p) => p.name.includes('~')), 'no retired process is left').toEqual([]);
    expect(copy.stack(['--env', 'production', 'deploy', '--status']).stdout).toMatch(/current: +1\.2\.0 .*\(rolling\)/);
  });
});

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}
