import { spawn } from 'node:child_process';
import { cpSync, existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { runCli } from '../../src/main.js';
import { recordingIo } from '../architecture/repo-tree.js';
import { createDockerStandIn } from '../support/docker-stand-in.js';
import { fileTree } from '../support/file-tree.js';

// Trees broken the way users break them, and what each command answers: one line naming the file
// and line, a non-zero exit, never a result that reads as a success (fixtures/README.md).
const FIXTURES = join(import.meta.dirname, '..', 'fixtures');
const workspace = mkdtempSync(join(tmpdir(), 'stack-broken-'));
afterAll(() => rmSync(workspace, { recursive: true, force: true }));

/** `validate/valid` with `layer` (a folder under test/) laid over it, in a fresh directory. */
function brokenTree(label: string, layer: string): string {
  const projectDir = join(workspace, label);
  cpSync(join(FIXTURES, 'validate', 'valid'), projectDir, { recursive: true });
  cpSync(join(import.meta.dirname, '..', layer), projectDir, { recursive: true });
  return projectDir;
}

/** `validate/valid` changed by `change` (folders where files belong, stale state ...), in a fresh directory. */
function changedTree(label: string, change: (projectDir: string) => void): string {
  const projectDir = join(workspace, label);
  cpSync(join(FIXTURES, 'validate', 'valid'), projectDir, { recursive: true });
  change(projectDir);
  return projectDir;
}

async function run(projectDir: string, argv: string[], env: Record<string, string> = {}) {
  const io = recordingIo(projectDir);
  Object.assign(io.env, env);
  const status = await runCli(argv, io);
  return { status, out: io.out.join(''), err: io.err.join('') };
}

describe('a dependency no file defines', { timeout: 60_000 }, () => {
  const projectDir = brokenTree('undefined-dependency', 'broken-trees/fixtures/undefined-dependency');
  const refusal = /^\/.*docker-compose\/services\/docker-compose\.api\.yml:\d+:\d+: service "api" depends on undefined service "search": invalid compose project \[STACK_ERR_INCONSISTENT\]\n$/;

  it('stack doctor reports it as a blocker (it said "ready" before: up would have failed)', async () => {
    const result = await run(projectDir, ['--env', 'development', 'doctor'], { STACK_MODE: 'native' });
    expect(result.status).toBe(1);
    expect(result.out).toMatch(/✖ the project does not load: .*docker-compose\.api\.yml:\d+:\d+: service "api" depends on undefined service "search"/);
  });

  it('stack diff refuses it like config does, instead of printing differences as a result', async () => {
    const result = await run(projectDir, ['diff', 'development', 'production']);
    expect(result.status).toBe(1);
    expect(result.out).toBe('');
    expect(result.err).toMatch(refusal);
  });

  it('stack diff --no-consistency still compares the two models', async () => {
    const result = await run(projectDir, ['diff', 'development', 'production', '--no-consistency']);
    expect(result.status).toBe(1);
    expect(result.out).toContain('service api');
    expect(result.err).toBe('');
  });
});

describe('a service that always starts needing one only a profile starts', { timeout: 60_000 }, () => {
  const projectDir = brokenTree('profile-dependency', 'fixtures/validate/fail/profile-dependency');

  it('stack matrix refuses it as config and up do (it drew db in tier 1 before)', async () => {
    const result = await run(projectDir, ['--env', 'development', 'matrix']);
    expect(result.status).toBe(1);
    expect(result.out).toBe('');
    expect(result.err).toMatch(/docker-compose\.api\.yml:\d+:\d+: service "api" depends on undefined service "db": invalid compose project \[STACK_ERR_INCONSISTENT\]\n$/);
  });

  it('stack matrix draws it with the profile enabled', async () => {
    const result = await run(projectDir, ['--env', 'development', '--profile', 'store', 'matrix']);
    expect(result.status).toBe(0);
    expect(result.out).toContain('| api | db | 2 |');
  });

  it('stack validate names the depends_on line and the fix (it found no problem before)', async () => {
    const result = await run(projectDir, ['validate', '--env', 'development', '--format', 'json']);
    expect(result.status).toBe(1);
    const report = JSON.parse(result.out) as { findings: Array<{ ruleId: string; file: string; line: number; hint: string }> };
    expect(report.findings).toEqual([
      expect.objectContaining({
        ruleId: 'profile-dependency',
        file: 'docker-compose/services/docker-compose.api.yml',
        line: 19,
        hint: 'remove profiles from db, or give api profiles: [store], or set depends_on.db.required: false',
      }),
    ]);
  });
});

describe('.env.NAME selecting another environment', { timeout: 60_000 }, () => {
  const projectDir = brokenTree('env-file-selects-other', 'broken-trees/fixtures/env-file-selects-other');
  const line =
    "stack: .env.development:2: CODIESVIBE_ENV=production selects environment production, but this is the development environment's file (docker compose --env-file .env.development loads production): set CODIESVIBE_ENV=development [STACK_ERR_ENV_FILE_MISMATCH]\n";

  it('stack config refuses it in one line (it printed development, while docker compose --env-file loads production)', async () => {
    const result = await run(projectDir, ['--env', 'development', 'config']);
    expect(result.status).toBe(1);
    expect(result.out).toBe('');
    expect(result.err).toBe(line);
  });

  it('stack validate reports it at the line of the env file, with the fix', async () => {
    const result = await run(projectDir, ['validate', '--format', 'json']);
    expect(result.status).toBe(1);
    const report = JSON.parse(result.out) as { findings: Array<Record<string, unknown>> };
    expect(report.findings).toEqual([
      expect.objectContaining({ ruleId: 'STACK_ERR_ENV_FILE_MISMATCH', file: '.env.development', line: 2, hint: 'set CODIESVIBE_ENV=development' }),
    ]);
  });

  it('leaves an env file that selects its own environment alone', async () => {
    const result = await run(projectDir, ['--env', 'production', 'config', '-q']);
    expect(result.err).toBe('');
    expect(result.status).toBe(0);
  });
});

describe('a profile no service has', { timeout: 60_000 }, () => {
  const projectDir = brokenTree('profile-typo', 'fixtures/validate/fail/profile-dependency');

  it('keeps Compose\'s result (the profile enables nothing) and says so on stderr', async () => {
    const result = await run(projectDir, ['--env', 'development', '--profile', 'stroe', '--profile', 'store', 'config', '--services']);
    expect(result.status).toBe(0);
    expect(result.out).toBe('db\napi\nnginx\n');
    expect(result.err).toBe('warning: profile stroe: no service has it, so it enables nothing (profiles here: store)\n');
  });

  it('says nothing for a profile a service has, or an environment name', async () => {
    const result = await run(projectDir, ['--profile', 'development', '--profile', 'store', 'config', '-q']);
    expect(result).toEqual({ status: 0, out: '', err: '' });
  });
});

describe('a state file left in .stack/ naming a pid another process has now', { timeout: 60_000 }, () => {
  // After a reboot (or a killed supervisor) state.json stays, and its pid is reused by anything.
  const bystander = spawn('sleep', ['120'], { stdio: 'ignore' });
  afterAll(() => bystander.kill('SIGKILL'));
  const stateOf = (extra: Record<string, unknown>) =>
    JSON.stringify({ project: 'fixture', supervisorPid: bystander.pid, phase: 'running', startedAt: 1, embedded: [], processes: [], ...extra });
  const withState = (label: string, state: string) =>
    changedTree(label, (projectDir) => {
      mkdirSync(join(projectDir, '.stack', 'native', 'fixture'), { recursive: true });
      writeFileSync(join(projectDir, '.stack', 'native', 'fixture', 'state.json'), state);
    });

  it('stack ps does not show it as a running stack', async () => {
    const projectDir = withState('stale-state-ps', stateOf({ supervisorStartTime: '1' }));
    const result = await run(projectDir, ['ps'], { STACK_MODE: 'native' });
    // It printed an empty table of a stack "running" under that pid.
    expect(result.out).not.toContain('NAME');
    expect(bystander.exitCode).toBeNull();
  });

  it.each([
    ['written before start times were recorded', stateOf({})],
    ['recording another start time', stateOf({ supervisorStartTime: '1' })],
  ])('stack down leaves the process alone (it sent it SIGTERM, then SIGKILL) when the state was %s', async (label, state) => {
    const projectDir = withState(`stale-state-${label.split(' ')[0]}`, state);
    const result = await run(projectDir, ['down', '--timeout', '2'], { STACK_MODE: 'native' });
    expect(result).toEqual({ status: 0, out: '', err: 'stack | no native stack of fixture is running\n' });
    expect(bystander.exitCode).toBeNull();
    expect(bystander.signalCode).toBeNull();
  });

  it('a state.json that is not JSON, with no supervisor.pid beside it, is named (ps and down said "no native stack is running")', async () => {
    const projectDir = withState('damaged-state', '{"project": "fixture", "supervisorPid": 12');
    const stateFile = join(projectDir, '.stack', 'native', 'fixture', 'state.json');
    for (const command of ['ps', 'down']) {
      const result = await run(projectDir, [command], { STACK_MODE: 'native' });
      expect(result.status).toBe(1);
      expect(result.err).toMatch(
        new RegExp(`^stack: ${stateFile.replaceAll('.', '\\.')}: not valid JSON: .*; a stack it describes may still run: stop its processes by hand \\(pgrep -af '.*'\\), then delete the file \\[STACK_ERR_NATIVE\\]\\n$`),
      );
    }
  });

  it('a folder where state.json belongs is named (it was "EISDIR: illegal operation on a directory, read [STACK_ERR_INTERNAL]")', async () => {
    const projectDir = changedTree('state-folder', (dir) => mkdirSync(join(dir, '.stack', 'native', 'fixture', 'state.json'), { recursive: true }));
    const result = await run(projectDir, ['ps'], { STACK_MODE: 'native' });
    expect(result.status).toBe(1);
    expect(result.err).toMatch(/^stack: \S+\/state\.json: a folder, not a file; a stack it describes may still run: .* \[STACK_ERR_NATIVE\]\n$/);
  });

  it('a supervisor records its start time, so its own state stays live', async () => {
    const { NativeStateStore, processStartTime } = await import('../../src/native/state-store.js');
    const projectDir = changedTree('own-state', () => undefined);
    const store = new NativeStateStore(projectDir, 'fixture');
    store.write({ project: 'fixture', supervisorPid: process.pid, phase: 'running', startedAt: 1, embedded: [], processes: [] });
    expect(JSON.parse(readFileSync(join(store.dir, 'state.json'), 'utf8'))).toMatchObject({ supervisorStartTime: processStartTime(process.pid) });
    expect(store.readLive()?.supervisorPid).toBe(process.pid);
  });
});

describe('stack down --timeout with a wrong value', { timeout: 60_000 }, () => {
  it('is refused before anything is stopped, also when nothing runs (it exited 0 before)', async () => {
    const projectDir = changedTree('down-timeout', () => undefined);
    const result = await run(projectDir, ['down', '--timeout', 'xyz'], { STACK_MODE: 'native' });
    expect(result).toEqual({ status: 2, out: '', err: 'stack: --timeout takes a number of seconds (got "xyz")\n' });
  });
});

describe('folders where files belong', { timeout: 60_000 }, () => {
  it('.env.NAME as a folder: one line naming it (it was "EISDIR: illegal operation on a directory, read [STACK_ERR_INTERNAL]")', async () => {
    const projectDir = changedTree('env-file-folder', (dir) => {
      rmSync(join(dir, '.env.development'));
      mkdirSync(join(dir, '.env.development'));
    });
    const result = await run(projectDir, ['--env', 'development', 'config', '-q']);
    expect(result).toEqual({
      status: 1,
      out: '',
      err: `stack: ${projectDir}/.env.development: is a folder; the development environment's settings belong in a file of that name [STACK_ERR_FILE_ACCESS]\n`,
    });
  });

  it('deploy --target swarm --out naming a folder: the path and what is wrong (it was STACK_ERR_INTERNAL)', async () => {
    const projectDir = changedTree('swarm-out-folder', (dir) => mkdirSync(join(dir, 'stack.yml')));
    const result = await run(projectDir, ['--env', 'production', 'deploy', '--target', 'swarm', '--out', 'stack.yml']);
    expect(result.status).toBe(1);
    expect(result.err).toMatch(new RegExp(`^stack: ${projectDir}/stack\\.yml: is a folder where a file belongs \\(open\\) \\[STACK_ERR_FILE_ACCESS\\]\\n$`, 'm'));
    expect(result.err).not.toContain('INTERNAL');
  });

  it('.stack as a file: stack up says which path it cannot write, and starts nothing (it was STACK_ERR_INTERNAL)', async () => {
    const projectDir = changedTree('stack-dir-file', (dir) => writeFileSync(join(dir, '.stack'), 'not a folder\n'));
    const result = await run(projectDir, ['--env', 'development', 'up', '-d'], { STACK_MODE: 'native' });
    expect(result.status).toBe(1);
    expect(result.err).toMatch(/stack: .*\/\.stack\/native\/fixture: a part of the path is a file where a folder belongs \(mkdir\) \[STACK_ERR_FILE_ACCESS\]\n$/);
  });
});

describe('stack secrets init on secret files that are not files', { timeout: 60_000 }, () => {
  const compose = `name: fixture
services:
  app:
    image: busybox:1.36
    secrets: [db_password, db_url, api_key]
secrets:
  db_password:
    file: ./secrets/db_password
    x-generate: random
  db_url:
    file: ./secrets/db_url
    x-generate: "postgres://app:{{db_password}}@db/app"
  api_key:
    file: ./secrets/api_key
    x-generate: random
`;
  const secretsProject = (label: string, change: (projectDir: string) => void) => {
    const projectDir = join(workspace, label);
    mkdirSync(projectDir, { recursive: true });
    writeFileSync(join(projectDir, 'compose.yaml'), compose);
    change(projectDir);
    return projectDir;
  };

  it('a folder and a broken link: one line each, and not one file written (it wrote some, then failed on EISDIR or EEXIST)', async () => {
    const projectDir = secretsProject('secrets-not-files', (dir) => {
      mkdirSync(join(dir, 'secrets', 'db_url'), { recursive: true });
      symlinkSync('nowhere', join(dir, 'secrets', 'api_key'));
    });
    const result = await run(projectDir, ['secrets', 'init']);
    expect(result).toEqual({
      status: 1,
      out: '',
      err:
        'stack: secret db_url: secrets/db_url is not a regular file; replace it with a file holding the secret (or delete it and run `stack secrets init`) [STACK_ERR_SECRETS]\n' +
        'stack: secret api_key: secrets/api_key is a symbolic link to a file that does not exist; point it at the secret\'s file, or delete it and run `stack secrets init` [STACK_ERR_SECRETS]\n',
    });
    expect(readdirSync(join(projectDir, 'secrets')).sort()).toEqual(['api_key', 'db_url']);
  });

  it('an empty secret a template is made from is refused, not kept (db_url was written as postgres://app:@db/app)', async () => {
    const projectDir = secretsProject('secrets-empty', (dir) => {
      mkdirSync(join(dir, 'secrets'));
      writeFileSync(join(dir, 'secrets', 'db_password'), '\n', { mode: 0o600 });
    });
    const result = await run(projectDir, ['secrets', 'init']);
    expect(result.status).toBe(1);
    expect(result.err).toBe(
      'stack: secret db_password: secrets/db_password is empty (white space only); write the secret into it, or delete it and run `stack secrets init` [STACK_ERR_SECRETS]\n',
    );
    expect(readdirSync(join(projectDir, 'secrets'))).toEqual(['db_password']);
  });

  it('a file where the secrets folder belongs: one line naming it (it was "EEXIST: file already exists, mkdir")', async () => {
    const projectDir = secretsProject('secrets-folder-file', (dir) => writeFileSync(join(dir, 'secrets'), ''));
    const result = await run(projectDir, ['secrets', 'init']);
    expect(result.status).toBe(1);
    expect(result.err).toBe('stack: secrets is a file, so the secret files cannot be created under it; move it away [STACK_ERR_SECRETS]\n');
  });

  it('secrets list says which link is broken (it said missing)', async () => {
    const projectDir = secretsProject('secrets-list-link', (dir) => {
      mkdirSync(join(dir, 'secrets'));
      symlinkSync('nowhere', join(dir, 'secrets', 'api_key'));
    });
    const result = await run(projectDir, ['secrets', 'list']);
    expect(result.out).toMatch(/api_key +secrets\/api_key +random +broken-link\n/);
  });
});

describe('stack new service on a tree it cannot finish writing', { timeout: 60_000 }, () => {
  it('puts back every file it changed and removes what it created (three environment files were left with the service, the rest missing)', async () => {
    const { writeNewService } = await import('../../src/new/new-service.js');
    const projectDir = changedTree('new-service-undo', (dir) => writeFileSync(join(dir, 'in-the-way'), 'a file where a folder belongs\n'));
    const environmentFile = join(projectDir, 'docker-compose', 'environments', 'docker-compose.development.yml');
    const before = readFileSync(environmentFile, 'utf8');
    const tree = fileTree(projectDir);
    const plan = {
      workspace: 'backend/billing',
      port: 4100,
      writes: [
        { file: environmentFile, content: `${before}  billing: {}\n`, change: 'update' as const },
        { file: join(projectDir, 'backend', 'billing', 'src', 'main.ts'), content: '// main\n', change: 'create' as const },
        { file: join(projectDir, 'in-the-way', 'package.json'), content: '{}\n', change: 'create' as const },
      ],
    };
    expect(() => writeNewService(plan)).toThrow(
      `cannot write ${projectDir}/in-the-way/package.json: a part of the path is a file where a folder belongs (stat); nothing was changed`,
    );
    expect(fileTree(projectDir)).toEqual(tree);
  });

  it('a package.json that is not JSON: one line naming it (it was "Expected property name ... [STACK_ERR_INTERNAL]")', async () => {
    const projectDir = changedTree('new-service-manifest', (dir) => writeFileSync(join(dir, 'package.json'), '{bad json\n'));
    const result = await run(projectDir, ['new', 'service', 'billing', '--template', 'worker']);
    expect(result.status).toBe(1);
    expect(result.err).toMatch(new RegExp(`^stack: ${projectDir}/package\\.json: not valid JSON \\(.*\\); fix it \\(npm cannot read it either\\) \\[STACK_ERR_NEW_SERVICE_INVALID\\]\\n$`));
  });
});

describe('stack deploy on a damaged release history and contradicting options', { timeout: 60_000 }, () => {
  const withHistory = (label: string, content: string) =>
    changedTree(label, (dir) => {
      mkdirSync(join(dir, '.stack', 'native', 'fixture'), { recursive: true });
      writeFileSync(join(dir, '.stack', 'native', 'fixture', 'releases.json'), content);
    });

  it.each([
    ['cut short', '[{"id": "r1", "vers', /not valid JSON: .*/],
    ['not a list', '{"releases": []}', /not a list of releases/],
    ['holding something else', '[1, 2]', /entry 1 is not a release \(no id or version\)/],
  ])('deploy --status names a history %s (it printed "(none)" or "undefined (commit undefined ...)", and the next deploy wrote over it)', async (label, content, reason) => {
    const projectDir = withHistory(`history-${label.split(' ')[0]}`, content);
    const result = await run(projectDir, ['--env', 'production', 'deploy', '--status'], { STACK_MODE: 'native' });
    expect(result.status).toBe(1);
    expect(result.out).toBe('');
    expect(result.err).toMatch(new RegExp(`^stack: ${projectDir}/\\.stack/native/fixture/releases\\.json: ${reason.source}; move it aside \\(the next \`stack up\` starts a new history\\) or restore it \\[STACK_ERR_DEPLOY\\]\\n$`));
  });

  it.each([
    [['--status', '--rollback'], 'stack: --status and --rollback do not go together: --status only shows the releases\n'],
    [['--target', 'swarm', '--rollback'], 'stack: --rollback does not go with --target swarm (Swarm rolls out and back itself)\n'],
    [['--target', 'swarm', '--strategy', 'rolling'], 'stack: --strategy does not go with --target swarm (Swarm rolls out and back itself)\n'],
  ])('deploy %j is refused as a wrong command line (one of the two was dropped without a word)', async (options, line) => {
    const projectDir = changedTree(`deploy-options-${options.join('')}`, () => undefined);
    const result = await run(projectDir, ['--env', 'production', 'deploy', ...options], { STACK_MODE: 'native' });
    expect(result).toEqual({ status: 2, out: '', err: line });
  });
});

describe('COMPOSE_PROFILES naming what does not exist', { timeout: 60_000 }, () => {
  const projectDir = brokenTree('compose-profiles', 'fixtures/validate/fail/profile-dependency');

  it('a profile no service has is told as for --profile, with where it came from (it was silent)', async () => {
    const result = await run(projectDir, ['--env', 'development', 'config', '--services'], { COMPOSE_PROFILES: 'stroe,store,,' });
    expect(result.status).toBe(0);
    expect(result.err).toBe('warning: profile stroe (from COMPOSE_PROFILES): no service has it, so it enables nothing (profiles here: store)\n');
  });

  it('also from .env, as Compose reads it there', async () => {
    const dir = changedTree('compose-profiles-dotenv', (tree) => writeFileSync(join(tree, '.env'), 'COMPOSE_PROFILES=monitorng\n'));
    const result = await run(dir, ['config', '-q']);
    expect(result).toEqual({ status: 0, out: '', err: 'warning: profile monitorng (from COMPOSE_PROFILES): no service has it, so it enables nothing (profiles here: none)\n' });
  });

  it('an environment name there selects nothing, and says so (development ran without a word)', async () => {
    const result = await run(projectDir, ['config', '-q'], { COMPOSE_PROFILES: 'store,production' });
    expect(result).toEqual({
      status: 0,
      out: '',
      err: 'warning: COMPOSE_PROFILES names production, which enables that profile but does not select the environment (the default one runs): use --env production or --profile production\n',
    });
  });

  it('says nothing for profiles services have, or for the environment it runs', async () => {
    const result = await run(projectDir, ['--env', 'production', 'config', '-q'], { COMPOSE_PROFILES: 'store,production' });
    expect(result).toEqual({ status: 0, out: '', err: '' });
  });
});

describe('very long arguments', { timeout: 60_000 }, () => {
  const long = 'a'.repeat(100_000);

  it.each([
    [['--env', long, 'config', '-q'], 2, /^stack: environment "a{59}… \(100002 characters\) has no \.env\.a{55}… \(100005 characters\) in \S+\n$/],
    [['config', long], 1, /^no such service: a{60}… \(100000 characters\) \[STACK_ERR_NO_SUCH_SERVICE\]\n$/],
  ])('an error echoing one stays one short line (it was a 100 kB line)', async (argv, status, line) => {
    const projectDir = changedTree(`long-argument-${status}`, () => undefined);
    const result = await run(projectDir, argv);
    expect(result.status).toBe(status);
    expect(result.err).toMatch(line);
    expect(result.err.length).toBeLessThan(400);
  });
});

describe('Docker mode where docker has no Compose plugin', { timeout: 60_000 }, () => {
  // A docker client without the plugin reads `compose` as nothing: "unknown flag: --project-name", 125.
  const docker = createDockerStandIn('stack-no-compose-', () => `
record(args);
if (args[0] === 'compose') { process.stderr.write('unknown flag: --project-name\\n'); process.exit(125); }
`);
  afterAll(docker.remove);

  it.each([['ps'], ['down'], ['up', '-d']])('stack %s says so in one line, exit 1 (it passed on "unknown flag: --project-name" and 125)', async (...argv) => {
    const projectDir = changedTree(`no-compose-plugin-${argv[0]}`, () => undefined);
    const result = await run(projectDir, ['--env', 'development', ...argv, '--docker'], { DOCKER_BINARY: docker.path });
    expect(result.status).toBe(1);
    expect(result.err.trimEnd().split('\n').at(-1)).toBe(
      `stack: ${docker.path} has no Compose plugin (\`${docker.path} compose version\` fails): install Docker Compose v2 (docker-compose-plugin), or run natively with --native [STACK_ERR_DOCKER_COMPOSE_MISSING]`,
    );
    expect(docker.takeCalls<string[]>().at(-1)).toEqual(['compose', 'version']);
  });
});

describe('stack doctor on a package.json that is not JSON', { timeout: 60_000 }, () => {
  it('is a blocker naming the file (it said ready: npm fails on every command there)', async () => {
    const projectDir = changedTree('doctor-manifest', (dir) => writeFileSync(join(dir, 'package.json'), '{\n  "name": "fixture",\n'));
    const result = await run(projectDir, ['--env', 'development', 'doctor'], { STACK_MODE: 'native' });
    expect(result.status).toBe(1);
    expect(result.out).toContain(`✖ ${projectDir}/package.json cannot be read as JSON (`);
    expect(result.out).toContain('→ fix the file (git diff package.json shows what changed)');
  });
});

describe('x-stack.edge naming a service no environment has', { timeout: 60_000 }, () => {
  it('stack validate refuses the setting at its line (it reported the rules about the edge against a service that is not there)', async () => {
    const projectDir = changedTree('edge-typo', (dir) => writeFileSync(join(dir, 'compose.yaml'), 'name: fixture\nx-stack:\n  edge: ngnix\ninclude:\n  - docker-compose/docker-compose.yml\n'));
    const result = await run(projectDir, ['validate']);
    expect(result).toEqual({
      status: 2,
      out: '',
      err: 'compose.yaml:3:3: x-stack.edge: ngnix is not a service of development, production (services: api, db, nginx) [STACK_ERR_STACK_SETTINGS]\n',
    });
  });
});

describe('stack logs naming a service the project does not have', { timeout: 60_000 }, () => {
  it('is a wrong command line also when nothing runs (it said "no logs" and exited 0)', async () => {
    const projectDir = changedTree('logs-unknown', () => undefined);
    const result = await run(projectDir, ['logs', 'apii'], { STACK_MODE: 'native' });
    expect(result).toEqual({ status: 2, out: '', err: 'stack: no such service: apii (services: db, api, nginx)\n' });
  });
});

describe('a full disk under a file stack writes', { timeout: 60_000 }, () => {
  // /dev/full answers every write with ENOSPC: a link to it stands for a full disk.
  const fullDisk = existsSync('/dev/full');

  it.skipIf(!fullDisk)('config -o and deploy --target swarm --out name the file and the full disk (it was "ENOSPC: no space left on device, write [STACK_ERR_INTERNAL]")', async () => {
    const projectDir = changedTree('full-disk', (dir) => {
      symlinkSync('/dev/full', join(dir, 'model.yml'));
      symlinkSync('/dev/full', join(dir, 'swarm.yml'));
    });
    expect(await run(projectDir, ['--env', 'development', 'config', '-o', 'model.yml'])).toEqual({
      status: 1,
      out: '',
      err: `stack: ${projectDir}/model.yml: no space left on the device (write); the file may be cut short [STACK_ERR_FILE_ACCESS]\n`,
    });
    const swarm = await run(projectDir, ['--env', 'production', 'deploy', '--target', 'swarm', '--out', 'swarm.yml']);
    expect(swarm.status).toBe(1);
    expect(swarm.err).toContain(`stack: ${projectDir}/swarm.yml: no space left on the device (write); the file may be cut short [STACK_ERR_FILE_ACCESS]\n`);
  });
  if (!fullDisk) console.log('SKIPPED: no /dev/full on this system to stand for a full disk');
});

describe('--env with an empty value', { timeout: 60_000 }, () => {
  it('is a wrong command line (--env= ran the default environment as if no --env was given)', async () => {
    const projectDir = changedTree('env-empty', () => undefined);
    const result = await run(projectDir, ['--env=', 'config', '-q']);
    expect(result).toEqual({ status: 2, out: '', err: 'stack: --env needs an environment name (development, staging, production, testing ...)\n' });
  });

  it('STACK_ENV set to nothing is unset, as shells mean it', async () => {
    const projectDir = changedTree('stack-env-empty', () => undefined);
    expect(await run(projectDir, ['config', '-q'], { STACK_ENV: '' })).toEqual({ status: 0, out: '', err: '' });
  });
});

describe('native commands and builds that cannot run', { timeout: 60_000 }, () => {
  const nativeProject = (label: string, native: string) => {
    const projectDir = join(workspace, label);
    mkdirSync(projectDir, { recursive: true });
    writeFileSync(join(projectDir, 'package.json'), '{"name":"demo","private":true}\n');
    writeFileSync(join(projectDir, 'compose.yaml'), `name: demo\nservices:\n  db:\n    image: busybox:1.36\n    x-native:\n${native}`);
    return projectDir;
  };

  it('stack up refuses a command whose program is not on PATH before starting anything (it said "db exited with code -2")', async () => {
    const projectDir = nativeProject('native-no-program', '      command: [no-such-program-here, --serve]\n');
    const result = await run(projectDir, ['up', '-d'], { STACK_MODE: 'native' });
    expect(result.status).toBe(1);
    expect(result.err).toContain(
      'stack: service db: x-native.command runs no-such-program-here, which is not on PATH; install it or fix x-native.command [STACK_ERR_NATIVE]\n',
    );
    expect(existsSync(join(projectDir, '.stack', 'native', 'demo', 'supervisor.log'))).toBe(false);
  });

  it('stack up refuses a command that is a file without the execute bit (it started and exited with -13)', async () => {
    const projectDir = nativeProject('native-not-executable', '      command: [./serve.sh]\n');
    writeFileSync(join(projectDir, 'serve.sh'), '#!/bin/sh\nsleep 60\n', { mode: 0o644 });
    const result = await run(projectDir, ['up', '-d'], { STACK_MODE: 'native' });
    expect(result.status).toBe(1);
    expect(result.err).toContain('stack: service db: x-native.command runs ./serve.sh, which is not executable; chmod +x ./serve.sh [STACK_ERR_NATIVE]\n');
  });

  it.each([
    ['[node, -e, "process.exit(4)"]', 'stack: build of db failed (node -e process.exit(4) exited with 4) [STACK_ERR_NATIVE]\n'],
    ['[no-such-builder]', 'stack: build of db could not start no-such-builder: it is not on PATH; install it or fix x-native.build [STACK_ERR_NATIVE]\n'],
  ])('stack build with x-native.build %s: the project\'s failure, not STACK_ERR_INTERNAL', async (build, line) => {
    const projectDir = nativeProject(`native-build-${line.length}`, `      command: [node, -e, "setInterval(() => {}, 1000)"]\n      build: ${build}\n`);
    const result = await run(projectDir, ['build'], { STACK_MODE: 'native' });
    expect(result.status).toBe(1);
    expect(result.err.split('\n').filter((text) => text.startsWith('stack: ')).join('\n') + '\n').toBe(line);
  });
});

describe('a damaged state.json while its supervisor runs', { timeout: 60_000 }, () => {
  // The supervisor stands in as a sleeping process; supervisor.pid (pid and start time) names it.
  const supervisor = spawn('sleep', ['120'], { stdio: 'ignore' });
  afterAll(() => supervisor.kill('SIGKILL'));
  const projectDir = changedTree('damaged-live-state', (dir) => {
    const stateDir = join(dir, '.stack', 'native', 'fixture');
    mkdirSync(stateDir, { recursive: true });
    writeFileSync(join(stateDir, 'state.json'), '{"project": "fixture", "supervisorPid": ');
  });
  const pidFile = join(projectDir, '.stack', 'native', 'fixture', 'supervisor.pid');

  it('restart and deploy refuse it in one line instead of acting on a stack they cannot see', async () => {
    const { processStartTime } = await import('../../src/native/state-store.js');
    writeFileSync(pidFile, `${supervisor.pid} ${processStartTime(supervisor.pid as number)}\n`);
    const restart = await run(projectDir, ['restart'], { STACK_MODE: 'native' });
    expect(restart.status).toBe(1);
    expect(restart.err).toMatch(/^stack: \S+\/state\.json: not valid JSON: .*: what runs is unknown; `stack down` stops it \(supervisor pid \d+\), then `stack up` \[STACK_ERR_NATIVE\]\n$/);
    const deploy = await run(projectDir, ['--env', 'production', 'deploy', '--allow-dirty'], { STACK_MODE: 'native' });
    expect(deploy.status).toBe(1);
    expect(deploy.err).toMatch(/stack: \S+\/state\.json: not valid JSON: .*: what runs is unknown, so nothing can be replaced; `stack down` stops it/);
    expect(supervisor.exitCode).toBeNull();
    expect(supervisor.signalCode).toBeNull();
  });

  it('down stops the supervisor supervisor.pid names', async () => {
    const result = await run(projectDir, ['down', '--timeout', '5'], { STACK_MODE: 'native' });
    expect(result.status).toBe(0);
    expect(result.err).toContain(`stack | stopping the native stack of fixture (supervisor pid ${supervisor.pid})`);
    await new Promise((resolve) => setTimeout(resolve, 200));
    expect(supervisor.signalCode).toBe('SIGTERM');
  });
});

describe('--project-directory that is not a folder', { timeout: 60_000 }, () => {
  it.each([['/nonexistent-project'], ['compose.yaml']])('%s is a wrong command line naming it (it said no compose file was found "in it and its parents")', async (directory) => {
    const projectDir = changedTree(`project-directory-${directory.length}`, () => undefined);
    const result = await run(projectDir, ['--project-directory', directory, 'config', '-q']);
    expect(result).toEqual({ status: 2, out: '', err: `stack: --project-directory ${directory}: no such folder\n` });
  });
});

describe('config -o into a folder that does not exist', { timeout: 60_000 }, () => {
  it('names the path (it was "ENOENT: no such file or directory, open ... [STACK_ERR_INTERNAL]")', async () => {
    const projectDir = changedTree('output-missing-folder', () => undefined);
    const result = await run(projectDir, ['config', '-o', 'out/model.yml']);
    expect(result).toEqual({
      status: 1,
      out: '',
      err: `stack: ${projectDir}/out/model.yml: does not exist (nor, perhaps, a folder on its path) (open) [STACK_ERR_FILE_ACCESS]\n`,
    });
  });
});

describe('a compose file Compose cannot decode', { timeout: 60_000 }, () => {
  it('stack validate gives go-yaml\'s reason, as config does (it read the bytes as replacement characters and reported a YAML syntax error)', async () => {
    const projectDir = changedTree('undecodable-bytes', (dir) => {
      const file = join(dir, 'docker-compose', 'services', 'docker-compose.db.yml');
      writeFileSync(file, Buffer.concat([Buffer.from('services:\n  db:\n    image: "postgres:16'), Buffer.from([0xff]), Buffer.from('"\n    ports: [\n')]));
    });
    const validate = await run(projectDir, ['validate']);
    expect(validate.status).not.toBe(0);
    expect(validate.out + validate.err).toContain('docker-compose/services/docker-compose.db.yml:3: yaml: invalid leading UTF-8 octet (byte 0xFF) [STACK_ERR_YAML_SYNTAX]');
    const config = await run(projectDir, ['config', '-q']);
    expect(config.err).toContain('docker-compose.db.yml:3: yaml: invalid leading UTF-8 octet (byte 0xFF) [STACK_ERR_YAML_SYNTAX]');
  });
});

describe('a folder where a compose file belongs', { timeout: 60_000 }, () => {
  it.each([['compose.yaml'], ['docker-compose/docker-compose.yml']])(
    '%s: validate, matrix and new name it in one line (they said "EISDIR: illegal operation on a directory, read [STACK_ERR_INTERNAL]")',
    async (file) => {
      const projectDir = changedTree(`compose-file-folder-${file.length}`, (dir) => {
        rmSync(join(dir, file));
        mkdirSync(join(dir, file));
        // `new service` works in an npm workspace root only.
        writeFileSync(join(dir, 'package.json'), '{ "name": "fixture", "private": true, "workspaces": ["backend/api"] }\n');
      });
      for (const argv of [['validate'], ['matrix'], ['new', 'service', 'billing', '--template', 'worker']]) {
        const result = await run(projectDir, argv);
        expect(result.status).toBe(1);
        expect(result.err).toBe(`stack: ${projectDir}/${file}: is a folder where a file belongs (read) [STACK_ERR_FILE_ACCESS]\n`);
      }
    },
  );

  it('.env.development as a folder is a finding of validate, as config words it (validate stopped with STACK_ERR_INTERNAL)', async () => {
    const projectDir = changedTree('validate-env-folder', (dir) => {
      rmSync(join(dir, '.env.development'));
      mkdirSync(join(dir, '.env.development'));
    });
    const result = await run(projectDir, ['validate', '--format', 'json']);
    expect(result.status).toBe(1);
    const report = JSON.parse(result.out) as { findings: Array<{ ruleId: string; message: string }> };
    expect(report.findings).toEqual([
      expect.objectContaining({
        ruleId: 'STACK_ERR_FILE_ACCESS',
        message: `development: ${projectDir}/.env.development: is a folder; the development environment's settings belong in a file of that name`,
      }),
    ]);
  });
});

describe('a compose file nested thousands of levels deep (generated)', { timeout: 60_000 }, () => {
  // Compose reads up to 10,000 levels; the engine's recursion ran out of call stack first.
  const deep = (levels: number) => `\nx-generated:\n${Array.from({ length: levels }, (_, level) => `${'  '.repeat(level + 1)}k:\n`).join('')}`;
  const projectDir = changedTree('deep-nesting', (dir) => {
    const file = join(dir, 'docker-compose', 'environments', 'docker-compose.development.yml');
    writeFileSync(file, readFileSync(file, 'utf8') + deep(3000));
  });

  it('config, matrix and diff name the file and line (they said "Maximum call stack size exceeded [STACK_ERR_INTERNAL]")', async () => {
    const line = readFileSync(join(FIXTURES, 'validate', 'valid', 'docker-compose', 'environments', 'docker-compose.development.yml'), 'utf8').split('\n').length + 501;
    for (const argv of [['config', '-q'], ['matrix'], ['diff', 'development', 'production']]) {
      const result = await run(projectDir, argv);
      expect(result.status).toBe(1);
      expect(result.err).toMatch(
        new RegExp(
          `^${projectDir}/docker-compose/environments/docker-compose\\.development\\.yml:${line}:\\d+: yaml: line ${line}: collections nested more than 500 levels deep, more than stack reads \\(Compose stops at 10000\\): flatten the nesting \\[STACK_ERR_YAML_SYNTAX\\]\\n$`,
        ),
      );
    }
  });
});

describe('an env file that is not UTF-8', { timeout: 60_000 }, () => {
  it('config refuses it at its line (it printed DB_PASSWORD with U+FFFD where the file has a Latin-1 é)', async () => {
    const projectDir = changedTree('env-file-latin1', (dir) => writeFileSync(join(dir, '.env.development'), Buffer.from('CODIESVIBE_ENV=development\nDB_PASSWORD=café\n', 'latin1')));
    const result = await run(projectDir, ['--env', 'development', 'config']);
    expect(result).toEqual({
      status: 1,
      out: '',
      err: `${projectDir}/.env.development:2: not valid UTF-8 (byte 0xE9): Compose passes such bytes on unread, stack reads the file as UTF-8 text; save it as UTF-8 [STACK_ERR_DOTENV_SYNTAX]\n`,
    });
  });
});

describe('stack doctor on secret files that are there but unusable', { timeout: 60_000 }, () => {
  const project = (label: string, change: (secrets: string) => void) => {
    const projectDir = join(workspace, label);
    mkdirSync(join(projectDir, 'secrets'), { recursive: true });
    writeFileSync(join(projectDir, 'compose.yaml'), 'services:\n  app:\n    image: busybox:1.36\n    secrets: [api_key]\nsecrets:\n  api_key:\n    file: ./secrets/api_key\n    x-generate: random\n');
    writeFileSync(join(projectDir, '.env.production'), 'MODE=production\n', { mode: 0o600 });
    change(join(projectDir, 'secrets'));
    return projectDir;
  };

  it.each([
    ['a folder', (secrets: string) => mkdirSync(join(secrets, 'api_key')), 'is not a regular file → replace it with a file holding the secret (or delete it and run `npx stack --env production secrets init`)'],
    ['an empty file', (secrets: string) => writeFileSync(join(secrets, 'api_key'), '\n', { mode: 0o644 }), 'is empty (white space only) → write the secret into it, or delete it and run `npx stack --env production secrets init`'],
    ['a link to nowhere', (secrets: string) => symlinkSync('nowhere', join(secrets, 'api_key')), "is a symbolic link to a file that does not exist → point it at the secret's file, or delete it and run `npx stack --env production secrets init`"],
  ])('%s is a blocker (it said "ready", or "missing", and up then failed)', async (label, change, finding) => {
    const projectDir = project(`doctor-secret-${label.split(' ').at(-1)}`, change);
    const result = await run(projectDir, ['--env', 'production', 'doctor'], { STACK_MODE: 'native', DOCKER_BINARY: join(projectDir, 'no-docker-here') });
    expect(result.status).toBe(1);
    expect(result.out).toContain(`✖ secret api_key: secrets/api_key ${finding}\n`);
  });
});

describe('stack new service on a tree Compose refuses', { timeout: 60_000 }, () => {
  it('names the environment and its error and writes nothing (it added the service everywhere and said "Next: npx stack up billing")', async () => {
    // The repository's own tree (the fixture has no Node service to learn the entries from), with
    // an extends target deleted; node_modules is linked for the template's dependency versions.
    const repo = join(import.meta.dirname, '..', '..', '..', '..');
    const projectDir = join(workspace, 'new-service-refused-tree');
    mkdirSync(projectDir);
    for (const name of ['package.json', 'compose.yaml', 'docker-compose', '.env.development']) cpSync(join(repo, name), join(projectDir, name), { recursive: true });
    symlinkSync(join(repo, 'node_modules'), join(projectDir, 'node_modules'));
    rmSync(join(projectDir, 'docker-compose', 'services', 'docker-compose.redis.yml'));
    const tree = fileTree(projectDir);
    const result = await run(projectDir, ['new', 'service', 'billing', '--template', 'worker']);
    expect(result.status).toBe(1);
    expect(result.out).toBe('');
    expect(result.err).toMatch(
      /^stack: the development environment does not load, so nothing was written: \S+\/docker-compose\.development\.yml:\d+:\d+: .*docker-compose\.redis\.yml.* \[STACK_ERR_\w+\]; fix it first \(stack validate --env development\) \[STACK_ERR_NEW_SERVICE_INVALID\]\n$/,
    );
    expect(fileTree(projectDir)).toEqual(tree);
  });
});

describe('a root compose file that is not YAML', { timeout: 60_000 }, () => {
  it('matrix and new name the file and line (they said "stack: yaml: control characters are not allowed (U+000B)", naming no file)', async () => {
    const projectDir = changedTree('root-file-control-character', (dir) => {
      writeFileSync(join(dir, 'compose.yaml'), `name: fixture\n\x0bservices: {}\n`);
      writeFileSync(join(dir, 'package.json'), '{ "name": "fixture", "private": true, "workspaces": ["backend/api"] }\n');
    });
    for (const argv of [['matrix'], ['new', 'service', 'billing', '--template', 'worker']]) {
      const result = await run(projectDir, argv);
      expect(result.status).toBe(1);
      expect(result.err).toBe(`${projectDir}/compose.yaml:2:1: yaml: control characters are not allowed (U+000B) [STACK_ERR_YAML_SYNTAX]\n`);
    }
  });
});
