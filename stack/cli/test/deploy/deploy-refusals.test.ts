import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync, existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCli } from '../../src/main.js';
import { processStartTime } from '../../src/native/state-store.js';

// Refusals of a deploy to a running environment that come before anything starts (the others, a
// VERSION equal to the running one and a held lock, are in e2e/test/deploy.test.ts against a real
// stack). The "running" stack is a state file whose supervisor is a sleeping process (its pid and start time): a refusal
// must come before the deploy would ever signal it, and the state must be left as it was.
const dir = mkdtempSync(join(tmpdir(), 'stack-deploy-refusals-'));
const stateFile = join(dir, '.stack', 'native', 'demo', 'state.json');
let supervisor: ChildProcess;
let state: string;
const git = (...args: string[]) => spawnSync('git', args, { cwd: dir, encoding: 'utf8' });

beforeAll(() => {
  writeFileSync(join(dir, 'package.json'), '{"name":"demo","version":"1.1.0"}');
  writeFileSync(
    join(dir, 'compose.yaml'),
    `name: demo
services:
  api:
    image: demo/api:\${VERSION:-dev}
    secrets: [api_key]
    x-native:
      command: [node, -e, "setInterval(() => {}, 1000)"]
secrets:
  api_key:
    file: ./secrets/api_key.txt
`,
  );
  writeFileSync(join(dir, '.env.production'), 'CODIESVIBE_ENV=production\n');
  git('init', '-q');
  git('-c', 'user.email=t@t', '-c', 'user.name=t', 'add', '.');
  git('-c', 'user.email=t@t', '-c', 'user.name=t', 'commit', '-qm', 'first');
  supervisor = spawn('sleep', ['120'], { stdio: 'ignore' });
  mkdirSync(join(dir, '.stack', 'native', 'demo'), { recursive: true });
  // Its start time makes it the state's supervisor (a bare pid of a non-stack process is a stale state).
  const supervisorStartTime = processStartTime(supervisor.pid as number);
  state = JSON.stringify({ project: 'demo', environment: 'production', supervisorPid: supervisor.pid, supervisorStartTime, phase: 'running', startedAt: 0, embedded: [], processes: [] });
  writeFileSync(stateFile, state);
});
afterAll(() => {
  supervisor?.kill();
  rmSync(dir, { recursive: true, force: true });
});

async function deploy(extra: string[] = []) {
  let stderr = '';
  const code = await runCli(['--env', 'production', 'deploy', '--native', '--no-build', ...extra], { stdout: () => undefined, stderr: (text) => (stderr += text), cwd: dir, env: { PATH: process.env.PATH, HOME: process.env.HOME } });
  return { code, lines: stderr.trim().split('\n').filter((line) => !line.startsWith('stack | ')) };
}

describe('stack deploy refuses a release it cannot make, one line each, the running one untouched', { timeout: 30_000 }, () => {
  it('uncommitted changes to tracked files', async () => {
    writeFileSync(join(dir, 'package.json'), '{"name":"demo","version":"1.2.0"}');
    const dirty = await deploy();
    expect(dirty.code).toBe(1);
    expect(dirty.lines).toEqual(['stack: uncommitted changes (package.json): a release should be a commit; commit them, or deploy anyway with --allow-dirty [STACK_ERR_DEPLOY]']);
    expect(readFileSync(stateFile, 'utf8')).toBe(state);
  });

  it('a missing secret file, naming it; --allow-dirty warns and lets the tree check pass', async () => {
    let stderr = '';
    const code = await runCli(['--env', 'production', 'deploy', '--native', '--no-build', '--allow-dirty'], { stdout: () => undefined, stderr: (text) => (stderr += text), cwd: dir, env: { PATH: process.env.PATH, HOME: process.env.HOME } });
    expect(code).toBe(1);
    expect(stderr).toContain('stack | warning: deploying 1 uncommitted change(s) (--allow-dirty)');
    const refusal = stderr.trim().split('\n').filter((line) => !line.startsWith('stack | '));
    expect(refusal).toHaveLength(1);
    expect(refusal[0]).toMatch(/^stack: .*secrets\/api_key\.txt.*\[STACK_ERR_DEPLOY\]$/);
    expect(readFileSync(stateFile, 'utf8')).toBe(state);
    // The lock was given back, and no release directory was left behind.
    expect(existsSync(join(dir, '.stack', 'native', 'demo', 'deploy.lock'))).toBe(false);
    expect(existsSync(join(dir, '.stack', 'native', 'demo', 'releases'))).toBe(false);
  });
});
