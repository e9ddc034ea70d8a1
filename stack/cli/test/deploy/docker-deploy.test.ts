import { mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { afterAll, beforeEach, describe, expect, it } from 'vitest';
import { runCli } from '../../src/main.js';
import { createDockerStandIn } from '../support/docker-stand-in.js';

// `stack deploy --docker`: Compose replaces each built service with `up --scale --no-recreate`.
// No Docker engine here: a recording stand-in for `docker` keeps the containers of each service
// in a file, starts new ones on `up --scale S=N` (or fails, leaving them, when told to), and
// records every command line, so the test asserts the exact commands and their order.
const docker = createDockerStandIn(
  'stack-docker-deploy-',
  (dir) => `
record(args);
const state = JSON.parse(fs.readFileSync(${JSON.stringify(join(dir, 'containers.json'))}, 'utf8'));
const save = () => fs.writeFileSync(${JSON.stringify(join(dir, 'containers.json'))}, JSON.stringify(state));
const sub = args.indexOf('ps') > 0 ? 'ps' : args.indexOf('up') > 0 ? 'up' : args[0];
if (sub === 'ps') console.log((state[args.at(-1)] ?? []).join('\\n'));
if (sub === 'up') {
  const [service, count] = args[args.indexOf('--scale') + 1].split('=');
  const ids = state[service] ?? [];
  for (let i = ids.length; i < Number(count); i++) ids.push(service + '-new' + (i + 1));
  state[service] = ids;
  save();
  if (process.env.STAND_IN_UNHEALTHY === service) { console.error('container ' + service + ' is unhealthy'); process.exit(1); }
}
if (sub === 'inspect') for (const id of args.slice(3)) console.log(process.env.STAND_IN_IMAGE_TAG ? 'demo/' + id.split('-')[0] + ':' + process.env.STAND_IN_IMAGE_TAG : '');
if (sub === 'logs') console.log('Error: CACHE_TTL_SECONDS must be positive\\nexiting');
if (sub === 'rm') { for (const s of Object.keys(state)) state[s] = state[s].filter((id) => id !== args[1]); save(); }
`,
);
const { dir, path: standIn } = docker;
const containers = join(dir, 'containers.json');
writeFileSync(join(dir, 'package.json'), '{"name":"demo","version":"2.0.0"}');
writeFileSync(
  join(dir, 'compose.yaml'),
  `name: demo
x-stack:
  edge: edge
services:
  db:
    image: redis:7
  api:
    image: demo/api:\${VERSION:-dev}
    build: .
    depends_on: [db]
  web:
    image: demo/web:\${VERSION:-dev}
    build: .
    depends_on: [api]
  edge:
    image: nginx:1.27
    depends_on: [web]
`,
);
writeFileSync(join(dir, '.env.production'), 'CODIESVIBE_ENV=production\n');
afterAll(docker.remove);

async function stack(args: string[], env: Record<string, string> = {}) {
  let stdout = '';
  let stderr = '';
  docker.takeCalls();
  const code = await runCli(args, {
    stdout: (text) => (stdout += text),
    stderr: (text) => (stderr += text),
    cwd: dir,
    env: {
      PATH: process.env.PATH,
      HOME: process.env.HOME,
      DOCKER_BINARY: standIn,
      GIT_COMMIT: 'abc1234',
      ...env,
    },
  });
  return { code, stdout, stderr, calls: docker.takeCalls<string[]>().map((args) => args.join(' ')) };
}

const compose = `compose --project-name demo --project-directory ${dir} -f ${join(dir, 'compose.yaml')} --env-file ${join(dir, '.env.production')}`;
const DEPLOY = [
  '--env',
  'production',
  'deploy',
  '--docker',
  '--settle',
  '0s',
  '--timeout',
  '90s',
  '--drain-timeout',
  '20s',
];

describe('stack deploy under Docker (recording stand-in for docker)', { timeout: 60_000 }, () => {
  beforeEach(() =>
    writeFileSync(
      containers,
      JSON.stringify({ db: ['db-1'], api: ['api-1', 'api-2'], web: ['web-1'], edge: ['edge-1'] }),
    ),
  );

  it('builds, then per service in dependency order: scales up beside the old containers, reloads the edge in front of it, stops the old one at a time', async () => {
    const result = await stack(DEPLOY);
    expect(result.code, result.stderr).toBe(0);
    expect(result.calls).toEqual([
      `${compose} ps -q api`,
      `${compose} ps -q web`,
      'inspect --format {{.Config.Image}} api-1 api-2 web-1',
      `${compose} build api web`,
      `${compose} up -d --no-deps --no-build --no-recreate --scale api=4 --wait --wait-timeout 90 api`,
      'stop --time 20 api-1',
      'rm api-1',
      'stop --time 20 api-2',
      'rm api-2',
      `${compose} up -d --no-deps --no-build --no-recreate --scale web=2 --wait --wait-timeout 90 web`,
      `${compose} exec -T edge nginx -s reload`,
      'stop --time 20 web-1',
      'rm web-1',
    ]);
    // Every command is shown as it runs.
    expect(result.stderr).toContain(
      `stack | ${standIn} ${compose} up -d --no-deps --no-build --no-recreate --scale api=4`,
    );
    expect(result.stdout).toMatch(
      /^deployed 2\.0\.0 \(commit abc1234\) on production with docker compose in [\d.]+ s\n$/,
    );
    // The data service and the edge were never touched.
    expect(JSON.parse(readFileSync(containers, 'utf8'))).toEqual({
      db: ['db-1'],
      api: ['api-new3', 'api-new4'],
      web: ['web-new2'],
      edge: ['edge-1'],
    });
  });

  it('removes the new containers of a service that is not healthy, keeps the old ones, and exits 1 with their last lines', async () => {
    const result = await stack([...DEPLOY, '--no-build'], { STAND_IN_UNHEALTHY: 'api' });
    expect(result.code).toBe(1);
    expect(result.calls).toEqual([
      `${compose} ps -q api`,
      `${compose} ps -q web`,
      'inspect --format {{.Config.Image}} api-1 api-2 web-1',
      `${compose} up -d --no-deps --no-build --no-recreate --scale api=4 --wait --wait-timeout 90 api`,
      `${compose} ps -q api`,
      'logs --tail 20 api-new3',
      'logs --tail 20 api-new4',
      'stop api-new3',
      'rm api-new3',
      'stop api-new4',
      'rm api-new4',
    ]);
    expect(result.stderr).toMatch(
      /stack: release 2\.0\.0 failed: a new api container did not become healthy within 90 s; its new containers are removed, the 2 running one\(s\) kept serving/,
    );
    expect(result.stderr).toContain('api-new3 | Error: CACHE_TTL_SECONDS must be positive');
    expect((JSON.parse(readFileSync(containers, 'utf8')) as Record<string, string[]>).api).toEqual([
      'api-1',
      'api-2',
    ]);
  });

  it('refuses, one line, an environment with no container running, a second deploy, the running VERSION, and blue-green or rollback', async () => {
    writeFileSync(containers, '{}');
    const idle = await stack(DEPLOY);
    expect(idle.code).toBe(1);
    expect(
      idle.stderr
        .trim()
        .split('\n')
        .filter((line) => !line.startsWith('stack | ')),
    ).toEqual([
      'stack: production is not running under Docker here (no container of api, web): start it with `stack --env production up -d`, then deploy [STACK_ERR_DEPLOY]',
    ]);

    writeFileSync(containers, JSON.stringify({ api: ['api-1'] }));
    const lock = join(dir, '.stack', 'deploy', 'demo', 'deploy.lock');
    mkdirSync(dirname(lock), { recursive: true });
    writeFileSync(
      lock,
      JSON.stringify({ pid: process.pid, by: 'alice@ci', since: '2026-12-05T07:00:00Z', version: '1.9.0' }),
    );
    const locked = await stack(DEPLOY);
    rmSync(lock);
    expect(locked.code).toBe(1);
    expect(locked.stderr.trim().split('\n').at(-1)).toBe(
      'stack: another deploy runs: alice@ci (pid ' +
        process.pid +
        ') since 2026-12-05T07:00:00Z, releasing 1.9.0; wait for it [STACK_ERR_DEPLOY_LOCKED]',
    );
    expect(locked.calls.filter((call) => !call.includes(' ps -q ') && !call.startsWith('inspect '))).toEqual(
      [],
    );

    const same = await stack(DEPLOY, { STAND_IN_IMAGE_TAG: '2.0.0' });
    expect(same.code).toBe(1);
    expect(same.stderr.trim().split('\n').at(-1)).toBe(
      'stack: VERSION 2.0.0 is the running release (every container runs an image tagged 2.0.0): give the new release its own version (VERSION=... or package.json) [STACK_ERR_DEPLOY]',
    );
    expect(same.calls.filter((call) => !call.includes(' ps -q ') && !call.startsWith('inspect '))).toEqual(
      [],
    );

    expect((await stack([...DEPLOY, '--strategy', 'blue-green'])).stderr).toContain(
      '--strategy blue-green is native only',
    );
    expect((await stack([...DEPLOY, '--rollback'])).stderr).toContain(
      'under Docker, roll back by deploying the previous version',
    );
  });
});
