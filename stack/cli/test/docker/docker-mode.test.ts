import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { runCli } from '../../src/main.js';
import { createDockerStandIn } from '../support/docker-stand-in.js';

// There is no Docker engine here: a recording stand-in for the `docker` client writes each
// command line (and the build args it received) to a file, and answers `docker info` as an
// engine would, so the tests assert the exact `docker compose` invocations.
const docker = createDockerStandIn(
  'stack-docker-',
  () => `
if (args[0] === 'info') { console.log('28.2.2'); process.exit(0); }
record({ args, BUILD_DATE: process.env.BUILD_DATE, GIT_COMMIT: process.env.GIT_COMMIT, VERSION: process.env.VERSION });
process.exit(Number(process.env.STAND_IN_EXIT ?? 0));
`,
);
const { dir, path: standIn } = docker;
writeFileSync(join(dir, 'package.json'), '{"name":"demo","version":"2.3.4"}');
writeFileSync(
  join(dir, 'compose.yaml'),
  `name: demo
services:
  api:
    image: demo/api:\${VERSION:-dev}
    deploy:
      replicas: 2
  tests:
    image: demo/tests:1
    profiles: [testing]
    depends_on: [api]
`,
);
writeFileSync(join(dir, '.env.production'), 'CODIESVIBE_ENV=production\nLOG_LEVEL=info\n');
writeFileSync(join(dir, '.env.testing'), 'CODIESVIBE_ENV=testing\n');
afterAll(docker.remove);

async function stack(args: string[], extraEnv: Record<string, string> = {}) {
  let stderr = '';
  const status = await runCli(args, {
    stdout: () => undefined,
    stderr: (text) => (stderr += text),
    cwd: dir,
    env: { PATH: process.env.PATH, DOCKER_BINARY: standIn, GIT_COMMIT: 'abc1234', ...extraEnv },
  });
  const call = docker
    .takeCalls<{ args: string[]; BUILD_DATE: string; GIT_COMMIT: string; VERSION: string }>()
    .at(-1)!;
  return { status, stderr, call };
}

const globals = (extra: string[] = []) => [
  'compose',
  '--project-name',
  'demo',
  '--project-directory',
  dir,
  '-f',
  join(dir, 'compose.yaml'),
  ...extra,
];

// Each case spawns the real CLI, which takes seconds on a loaded machine.
describe('docker mode (recording stand-in for docker)', { timeout: 60_000 }, () => {
  it('runs `docker compose up` with the resolved files, env file, profiles and computed build args', async () => {
    const { status, call } = await stack(['--profile', 'production', 'up', '-d', '--docker']);
    expect(status).toBe(0);
    expect(call.args).toEqual([
      ...globals(['--env-file', join(dir, '.env.production'), '--profile', 'production']),
      'up',
      '-d',
      '--wait',
    ]);
    expect(call.BUILD_DATE).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$/);
    expect(call.GIT_COMMIT).toBe('abc1234');
    expect(call.VERSION).toBe('2.3.4');
  });

  it('passes --scale, --build and named services through', async () => {
    const { call } = await stack(['up', '--docker', '--build', '--scale', 'api=3', 'api']);
    expect(call.args).toEqual([...globals(), 'up', '--build', '--scale', 'api=3', 'api']);
  });

  it('makes the tests service decide the exit code of an aborting testing run', async () => {
    const { status, call } = await stack(
      ['--profile', 'testing', 'up', '--abort-on-container-exit', '--docker'],
      { STAND_IN_EXIT: '3' },
    );
    expect(call.args).toEqual([
      ...globals(['--env-file', join(dir, '.env.testing'), '--profile', 'testing']),
      'up',
      '--abort-on-container-exit',
      '--exit-code-from',
      'tests',
    ]);
    expect(status).toBe(3);
  });

  it('chooses Docker on its own when an engine answers', async () => {
    const { call, stderr } = await stack(['down', '--volumes']);
    expect(call.args).toEqual([...globals(), 'down', '--volumes']);
    expect(stderr).toContain(`stack | ${standIn} compose --project-name demo`);
  });

  it('runs ps, logs, restart, build and exec through docker compose', async () => {
    expect((await stack(['ps', '--docker'])).call.args.slice(-1)).toEqual(['ps']);
    expect((await stack(['logs', '-f', '--tail', '5', 'api', '--docker'])).call.args.slice(-5)).toEqual([
      'logs',
      '--follow',
      '--tail',
      '5',
      'api',
    ]);
    expect((await stack(['restart', 'api', '--docker'])).call.args.slice(-2)).toEqual(['restart', 'api']);
    expect((await stack(['build', '--no-cache', '--docker'])).call.args.slice(-2)).toEqual([
      'build',
      '--no-cache',
    ]);
    expect((await stack(['exec', 'api', '--docker', '--', 'node', '-v'])).call.args.slice(-5)).toEqual([
      'exec',
      '-T',
      'api',
      'node',
      '-v',
    ]);
  });
});
