import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { copyFileSync, existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import { pickFreePort } from '../../src/native/ports.js';

// These tests run the built `stack` binary as a real process: signals, process groups and the
// orphan watchdog only mean something across processes. `npm test` builds before testing.
const STACK_BIN = join(import.meta.dirname, '..', '..', 'bin', 'stack.js');
const STACK_DIST = join(import.meta.dirname, '..', '..', 'dist', 'main.js');

interface Project {
  dir: string;
  env: Record<string, string>;
  dbPort: number;
  apiPort: number;
}
const projects: Project[] = [];
const running: ChildProcess[] = [];

beforeAll(() => {
  if (!existsSync(STACK_DIST))
    throw new Error('stack is not built: run `npm run build -w stack/compose -w stack/cli` first');
});

afterEach(async () => {
  for (const project of projects.splice(0)) {
    await new Promise((resolve) =>
      spawn(process.execPath, [STACK_BIN, 'down', '--native'], {
        cwd: project.dir,
        env: project.env,
        stdio: 'ignore',
      }).once('close', resolve),
    );
    rmSync(project.dir, { recursive: true, force: true });
  }
  for (const child of running.splice(0)) if (child.exitCode === null) child.kill('SIGKILL');
}, 60_000);

async function fixtureProject(): Promise<Project> {
  const dir = mkdtempSync(join(tmpdir(), 'stack-cli-'));
  writeFileSync(join(dir, 'package.json'), '{"name":"demo","private":true}');
  copyFileSync(join(import.meta.dirname, 'fixtures', 'fake-service.mjs'), join(dir, 'fake-service.mjs'));
  writeFileSync(
    join(dir, 'compose.yaml'),
    `name: demo
services:
  db:
    image: busybox:1.36
    environment:
      PORT: "\${DB_PORT}"
      SERVICE_NAME: db
    restart: unless-stopped
    x-native:
      command: [node, fake-service.mjs]
      health: /health/ready
  api:
    image: busybox:1.36
    environment:
      PORT: "\${API_PORT}"
      SERVICE_NAME: api
      UPSTREAM: http://db:\${DB_PORT}
      MONGO_URL: mongodb://mongo:27017/app
    ports:
      - "\${API_PORT}:\${API_PORT}"
    depends_on:
      db:
        condition: service_healthy
      mongo:
        condition: service_started
    restart: unless-stopped
    x-native:
      command: [node, fake-service.mjs]
      health: /health/ready
      entrypoint: true
  mongo:
    image: mongo:7.0.14
    x-native:
      embedded: an in-memory store stands in
`,
  );
  const dbPort = await pickFreePort();
  const apiPort = await pickFreePort();
  const env = {
    PATH: process.env.PATH ?? '',
    HOME: process.env.HOME ?? '/root',
    DB_PORT: String(dbPort),
    API_PORT: String(apiPort),
    NO_COLOR: '1',
  };
  const project = { dir, env, dbPort, apiPort };
  projects.push(project);
  return project;
}

function stack(project: Project, args: string[]) {
  return spawnSync(process.execPath, [STACK_BIN, ...args], {
    cwd: project.dir,
    env: project.env,
    encoding: 'utf8',
    timeout: 60_000,
  });
}

/** Starts `stack up` in the foreground and resolves once it says the stack is up. */
async function upInForeground(project: Project, args: string[] = []) {
  const child = spawn(process.execPath, [STACK_BIN, 'up', '--native', ...args], {
    cwd: project.dir,
    env: project.env,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  running.push(child);
  let stderr = '';
  let stdout = '';
  child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
  await new Promise<void>((resolve, reject) => {
    child.stderr.on('data', (chunk: Buffer) => {
      stderr += chunk.toString();
      if (stderr.includes('is up: open')) resolve();
    });
    child.once('close', (code) =>
      reject(new Error(`stack up exited with ${code} before it was up:\n${stderr}`)),
    );
  });
  const exited = new Promise<number | null>((resolve) => child.once('close', (code) => resolve(code)));
  return { child, exited, output: () => ({ stdout, stderr }) };
}

function statePids(project: Project): number[] {
  const ps = stack(project, ['ps', '--format', 'json']);
  const state = JSON.parse(ps.stdout) as { processes: { pid: number }[] };
  return state.processes.map((p) => p.pid);
}

const alive = (pid: number) => {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
};

async function eventually(condition: () => boolean, timeoutMs = 15_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error('condition not met in time');
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

// Generous timeouts: each test starts several Node processes, which takes long on a loaded machine.
describe('stack up --native (real processes)', { timeout: 90_000 }, () => {
  it('starts in dependency order, rewrites URLs, reports embedded defaults, and Ctrl-C stops everything', async () => {
    const project = await fixtureProject();
    const up = await upInForeground(project);
    const { stderr } = up.output();
    expect(stderr).toContain('mongo: not started, an in-memory store stands in');
    expect(stderr.indexOf('db healthy')).toBeLessThan(stderr.indexOf('api starting'));
    expect(stderr).toContain(`demo is up: open http://localhost:${project.apiPort}/`);

    const answer = (await (await fetch(`http://127.0.0.1:${project.apiPort}/`)).json()) as {
      env: { UPSTREAM: string };
    };
    expect(answer.env.UPSTREAM).toBe(`http://127.0.0.1:${project.dbPort}`);

    const ps = stack(project, ['ps']);
    expect(ps.stdout).toMatch(/^NAME\s+STATE\s+PID\s+PORT\s+HEALTH\s+RESTARTS\s+UPTIME/);
    expect(ps.stdout).toMatch(new RegExp(`api\\s+healthy\\s+\\d+\\s+${project.apiPort}\\s+healthy`));
    expect(stack(project, ['logs', 'db']).stdout).toContain(`db    | db starting on ${project.dbPort}`);
    const unknown = stack(project, ['logs', 'db', 'dbb']);
    expect(unknown.status).toBe(2);
    expect(unknown.stderr).toMatch(/^stack: no such service: dbb \(services: .*\bdb\b.*\)\n$/);
    expect(stack(project, ['logs', 'mongo']).stderr).toContain(
      'no logs of mongo: it has not run natively here',
    );

    const pids = statePids(project);
    up.child.kill('SIGINT');
    expect(await up.exited).toBe(0);
    for (const pid of pids) expect(alive(pid)).toBe(false);
  });

  it('stops a stack whose state.json was damaged (down said "no native stack is running" and left every process running)', async () => {
    const project = await fixtureProject();
    const up = await upInForeground(project);
    const pids = statePids(project);
    const stateFile = join(project.dir, '.stack', 'native', 'demo', 'state.json');
    writeFileSync(stateFile, '{"project": "demo", "superv');
    const ps = stack(project, ['ps', '--native']);
    expect(ps.status).toBe(1);
    expect(ps.stderr).toMatch(/^stack: \S+\/state\.json: not valid JSON: .*; its supervisor \(pid \d+\) still runs: `stack down` stops it\n$/);
    // Spawned, not spawnSync: the stopped supervisor is this process's child, reaped only while it runs.
    const down = await new Promise<number | null>((resolve) =>
      spawn(process.execPath, [STACK_BIN, 'down', '--native'], { cwd: project.dir, env: project.env, stdio: 'ignore' }).once('close', resolve),
    );
    expect(down).toBe(0);
    await up.exited;
    await eventually(() => pids.every((pid) => !alive(pid)));
  });

  it('leaves no service behind when stack itself is killed with SIGKILL', async () => {
    const project = await fixtureProject();
    const up = await upInForeground(project);
    const pids = statePids(project);
    expect(pids.every(alive)).toBe(true);
    up.child.kill('SIGKILL');
    await eventually(() => pids.every((pid) => !alive(pid)));
  });

  it('refuses to start when a port is taken, naming the process that holds it', async () => {
    const project = await fixtureProject();
    const blocker: Server = createServer();
    await new Promise<void>((resolve) => blocker.listen(project.apiPort, '127.0.0.1', resolve));
    try {
      const result = stack(project, ['up', '--native']);
      expect(result.status).toBe(1);
      expect(result.stderr).toContain(
        `port ${project.apiPort} needed by api is already in use by process ${process.pid}`,
      );
      expect(result.stderr).toContain('set API_PORT to a free port');
      expect(
        result.stderr
          .trim()
          .split('\n')
          .filter((line) => line.startsWith('stack:')),
      ).toHaveLength(1);
    } finally {
      blocker.close();
    }
  });

  it('runs in the background with -d, restarts a service on request, and `down` stops it all', async () => {
    const project = await fixtureProject();
    const up = stack(project, ['up', '--native', '-d']);
    expect(up.status, up.stderr).toBe(0);
    expect(up.stdout).toContain(`demo is up: open http://localhost:${project.apiPort}/`);
    const before = statePids(project);

    const restart = stack(project, ['restart', 'api']);
    expect(restart.status, restart.stderr).toBe(0);
    const after = statePids(project);
    expect(after).not.toEqual(before);
    expect(alive(before[1]!) && before[1] !== after[1]).toBe(false);

    const down = stack(project, ['down']);
    expect(down.status, down.stderr).toBe(0);
    for (const pid of after) expect(alive(pid)).toBe(false);
    expect(stack(project, ['ps']).stderr).toContain('no native stack of demo is running');
  });
});
