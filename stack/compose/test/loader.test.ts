import { mkdirSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { COMPOSE_ERROR_CODES, ComposeError, loadProjectSync, toComposeJson, toComposeYaml, type LoadProjectOptions } from '../src/index.js';
import { tempProject } from './support/temp-project.js';

function load(dir: string, options: Omit<LoadProjectOptions, 'cwd'> = {}) {
  return loadProjectSync({ cwd: dir, env: { PATH: '/usr/bin' }, ...options }).project;
}

function loadError(dir: string, options: Omit<LoadProjectOptions, 'cwd'> = {}): ComposeError {
  try {
    load(dir, options);
  } catch (error) {
    if (error instanceof ComposeError) return error;
    throw error;
  }
  throw new Error('expected the load to fail');
}

describe('extends', () => {
  it('rebases relative paths of a service extended from another folder', () => {
    const dir = tempProject({
      'compose.yml': 'services:\n  api:\n    extends: { file: lib/base.yml, service: base }\n    image: api\n',
      'lib/base.yml': 'services:\n  base:\n    build: ../src\n    env_file: base.env\n    volumes: ["./scripts:/scripts"]\n',
      'lib/base.env': 'FROM_BASE=1\n',
    });
    const api = load(dir).services.api;
    expect(api?.build?.context).toBe(join(dir, 'src'));
    expect(api?.volumes?.[0]?.source).toBe(join(dir, 'lib', 'scripts'));
    expect(api?.environment).toEqual({ FROM_BASE: '1' });
  });

  it('follows chains and lets the extending service win', () => {
    const dir = tempProject({
      'compose.yml': 'services:\n  a:\n    image: a\n    environment: { X: a, Y: a }\n  b:\n    extends: a\n    environment: { Y: b }\n  c:\n    extends: { service: b }\n    environment: { Z: c }\n',
    });
    expect(load(dir).services.c?.environment).toEqual({ X: 'a', Y: 'b', Z: 'c' });
  });

  it('refuses a cycle, naming every service in it', () => {
    const dir = tempProject({ 'compose.yml': 'services:\n  a:\n    extends: b\n    image: x\n  b:\n    extends: a\n' });
    const error = loadError(dir);
    expect(error.code).toBe(COMPOSE_ERROR_CODES.EXTENDS_CYCLE);
    expect(error.message).toMatch(/a in .*b in/);
  });

  it('reports an unknown base service', () => {
    const dir = tempProject({ 'compose.yml': 'services:\n  a:\n    extends: nothere\n' });
    expect(loadError(dir).message).toContain('service "nothere" not found');
  });
});

describe('extends: what the base brings is checked as Compose checks it', () => {
  // compose-go loads an `extends` file without validating it (getExtendsBaseFromFile sets
  // SkipValidation: "we validate the merge result"): only its canonical step refuses a type, and
  // the schema sees the service once merged over its base.
  const base = (service: string) => `services:\n  ${service}:\n    image: api\n    environment:\n      MALLOC_ARENA_MAX: [2]\n`;

  it('accepts a list value in a base environment when the extending service sets environment, as Compose does', () => {
    // override.mergeToSequence writes a mapping as KEY=%v per list element before validation.
    const dir = tempProject({
      'compose.yaml': 'services:\n  api:\n    extends: { file: services/api.yml, service: api }\n    environment:\n      OTHER: "1"\n',
      'services/api.yml': base('api'),
    });
    expect(load(dir).services.api?.environment).toEqual({ MALLOC_ARENA_MAX: '2', OTHER: '1' });
  });

  it('refuses it when nothing is merged over it, at the base file line', () => {
    const dir = tempProject({ 'compose.yaml': 'services:\n  api:\n    extends: { file: services/api.yml, service: api }\n', 'services/api.yml': base('api') });
    const error = loadError(dir);
    expect(error.format()).toBe(
      `${join(dir, 'services/api.yml')}:5:7: validating ${join(dir, 'compose.yaml')}: services.api.environment.MALLOC_ARENA_MAX must be a boolean, null, number or string, not [2] [STACK_ERR_SCHEMA]`,
    );
  });

  it('finds the line in a base of another name, and along a chain of files', () => {
    const renamed = tempProject({ 'compose.yaml': 'services:\n  api:\n    extends: { file: services/api.yml, service: common }\n', 'services/api.yml': base('common') });
    const error = loadError(renamed);
    expect(error.code).toBe(COMPOSE_ERROR_CODES.SCHEMA);
    expect([error.file, error.line, error.column]).toEqual([join(renamed, 'services/api.yml'), 5, 7]);

    const chain = tempProject({
      'compose.yaml': 'services:\n  api:\n    extends: { file: lib/mid.yml, service: mid }\n',
      'lib/mid.yml': 'services:\n  mid:\n    extends: { file: root.yml, service: root }\n',
      'lib/root.yml': 'services:\n  root:\n    image: x\n    read_only: { a: 1 }\n',
    });
    const deep = loadError(chain);
    expect(deep.code).toBe(COMPOSE_ERROR_CODES.SCHEMA);
    expect(deep.message).toContain('services.api.read_only must be a boolean or string');
    expect([deep.file, deep.line, deep.column]).toEqual([join(chain, 'lib/root.yml'), 4, 5]);
  });

  it('refuses a value the base gives another type at the extending key, naming the base line', () => {
    const dir = tempProject({
      'compose.yaml': 'services:\n  base:\n    image: x\n    deploy: [1]\n  api:\n    extends: base\n    deploy: { replicas: 2 }\n',
    });
    const error = loadError(dir);
    expect(error.format()).toBe(
      `${join(dir, 'compose.yaml')}:7:5: cannot override services.api.deploy: the service it extends gives it another type (services.base.deploy at ${join(dir, 'compose.yaml')}:4:5) [STACK_ERR_MERGE]`,
    );
  });

  it.each([
    ['ports: 80', 'services.api.ports: invalid type int for port', 5],
    ['build: 5', 'services.api.build: invalid type int for build', 5],
    ['gpus: 1', 'services.api.gpus: invalid type int for gpus', 5],
    ['ulimits: { nofile: 1.5 }', 'services.api.ulimits.nofile: invalid type float64 for ulimits', 16],
    ['env_file: { path: a.env }', 'services.api.env_file: invalid type map[string]interface {} for env_file', 5],
  ])('refuses `%s` in a base file even when the extending service replaces it', (line, message, column) => {
    const key = line.slice(0, line.indexOf(':'));
    const replacement: Record<string, string> = { ports: '["81:81"]', build: '{ context: . }', gpus: 'all', ulimits: '{ nofile: 5 }', env_file: '[]' };
    const dir = tempProject({
      'compose.yaml': `services:\n  api:\n    extends: { file: services/api.yml, service: api }\n    ${key}: ${replacement[key] ?? ''}\n`,
      'services/api.yml': `services:\n  api:\n    image: api\n    ${line}\n`,
    });
    const error = loadError(dir);
    expect(error.code).toBe(COMPOSE_ERROR_CODES.INVALID_SYNTAX);
    expect(error.message).toBe(message);
    expect([error.file, error.line, error.column]).toEqual([join(dir, 'services/api.yml'), 4, column]);
  });

  it('writes merged mapping values as Go prints them (lists, mappings, timestamps)', () => {
    const dir = tempProject({
      'compose.yaml': 'services:\n  api:\n    extends: { file: services/api.yml, service: api }\n    environment: { Z: "1" }\n    labels: { z: "1" }\n',
      'services/api.yml':
        'services:\n  api:\n    image: api\n    environment:\n      RELEASE: 2024-01-01\n      AT: 2024-01-01T10:20:30.5+02:00\n      HOSTS: [a, b]\n    labels:\n      nested: { b: 2, a: [x, 1.5] }\n',
    });
    const api = load(dir).services.api;
    expect(api?.environment).toEqual({
      AT: '2024-01-01 10:20:30.5 +0200 +0200',
      HOSTS: 'b',
      RELEASE: '2024-01-01 00:00:00 +0000 UTC',
      Z: '1',
    });
    expect(api?.labels).toEqual({ nested: 'map[a:[x 1.5] b:2]', z: '1' });
  });
});

describe('include', () => {
  it('imports services from a nested include with paths relative to each file', () => {
    const dir = tempProject({
      'compose.yml': 'include: [platform/compose.yml]\nservices:\n  app: { image: app }\n',
      'platform/compose.yml': 'include:\n  - path: obs/compose.yml\nservices:\n  gw: { image: gw, volumes: ["./gw.yml:/gw.yml"] }\n',
      'platform/obs/compose.yml': 'services:\n  otel: { image: otel, volumes: ["./otel.yml:/otel.yml"] }\n',
    });
    const project = load(dir);
    expect(Object.keys(project.services).sort()).toEqual(['app', 'gw', 'otel']);
    expect(project.services.otel?.volumes?.[0]?.source).toBe(join(dir, 'platform', 'obs', 'otel.yml'));
  });

  it('refuses a service both included and redefined', () => {
    const dir = tempProject({
      'compose.yml': 'include: [db.yml]\nservices:\n  db: { image: postgres }\n',
      'db.yml': 'services:\n  db: { image: mysql }\n',
    });
    const error = loadError(dir);
    expect(error.code).toBe(COMPOSE_ERROR_CODES.INCLUDE_CONFLICT);
    expect(error.message).toBe('services.db conflicts with imported resource');
  });

  it('refuses include cycles', () => {
    const dir = tempProject({
      'compose.yml': 'include: [a.yml]\nservices:\n  app: { image: app }\n',
      'a.yml': 'include: [b.yml]\nservices:\n  a: { image: a }\n',
      'b.yml': 'include: [a.yml]\nservices:\n  b: { image: b }\n',
    });
    const error = loadError(dir);
    expect(error.code).toBe(COMPOSE_ERROR_CODES.INCLUDE_CYCLE);
    expect(error.message).toContain('include cycle detected');
  });

  it('interpolates include paths and reads the include env_file under the parent variables', () => {
    const dir = tempProject({
      'compose.yml': 'include:\n  - path: env/${STAGE:-dev}.yml\n    env_file: env/extra.env\nservices:\n  app: { image: app }\n',
      'env/prod.yml': 'services:\n  backup: { image: "restic:${RESTIC_TAG}" }\n',
      'env/extra.env': 'RESTIC_TAG=0.16\n',
    });
    const project = loadProjectSync({ cwd: dir, env: { STAGE: 'prod' } }).project;
    expect(project.services.backup?.image).toBe('restic:0.16');
  });

  // Recorded from Docker Compose v2.40 (compose-go v2.9.1): the included model's paths are still
  // relative to the including file when the two are compared, and the including file's as written.
  it('takes a resource defined alike in both files when its path, rebased on the including file, is written the same', () => {
    const dir = tempProject({
      'compose.yml': 'include: [sub/compose.yml]\nservices:\n  app: { image: app, secrets: [db] }\nsecrets:\n  db: { file: secrets/db.txt }\n',
      'sub/compose.yml': 'services:\n  worker: { image: worker, secrets: [db] }\nsecrets:\n  db: { file: ../secrets/db.txt }\n',
    });
    expect(load(dir).secrets?.db?.file).toBe(join(dir, 'secrets', 'db.txt'));
    // Compose compares the text: `./secrets/db.txt` as written is not the rebased `secrets/db.txt`.
    const dotted = tempProject({
      'compose.yml': 'include: [sub/compose.yml]\nservices:\n  app: { image: app, secrets: [db] }\nsecrets:\n  db: { file: ./secrets/db.txt }\n',
      'sub/compose.yml': 'services:\n  worker: { image: worker, secrets: [db] }\nsecrets:\n  db: { file: ../secrets/db.txt }\n',
    });
    expect(loadError(dotted).message).toBe('secrets.db conflicts with imported resource');
  });

  it('finds the env_file of an include inside an included file from the current directory, as Compose does', () => {
    // compose-go joins it to the included file's folder relative to the project (`..`), and the
    // system reads that from where the command runs: the project's folder here, so `../env/x.env`
    // from `app/` is not `env/x.env`.
    const files = {
      'app/compose.yml': 'include: [../platform/compose.yml]\nservices:\n  app: { image: app }\n',
      'platform/compose.yml': 'include:\n  - path: obs.yml\n    env_file: obs.env\nservices:\n  gw: { image: gw }\n',
      'platform/obs.yml': 'services:\n  otel: { image: "otel:${OTEL_TAG}" }\n',
      'platform/obs.env': 'OTEL_TAG=0.1\n',
    };
    const dir = tempProject(files);
    const fromProject = loadError(dir, { files: ['app/compose.yml'] });
    expect(fromProject.message).toBe(`include env_file ../platform/obs.env: no such file (looked up from ${dir}, the folder the command runs in, as Compose does)`);
    const inApp = loadProjectSync({ cwd: join(dir, 'app'), env: { PATH: '/usr/bin' } }).project;
    expect(inApp.services.otel?.image).toBe('otel:0.1');
  });
});

describe('profiles', () => {
  const files = {
    'compose.yml': [
      'services:',
      '  app: { image: app, depends_on: { metrics: { condition: service_started, required: false } } }',
      '  metrics: { image: m, profiles: [obs] }',
      '  debug: { image: d, profiles: [debug, all] }',
      '  portal: { image: p, profiles: [portal], depends_on: [vault] }',
      '  vault: { image: v, profiles: [secrets] }',
    ].join('\n'),
  };

  it('enables only services without profiles by default', () => {
    expect(Object.keys(load(tempProject(files)).services).sort()).toEqual(['app']);
  });

  it('enables the services of --profile and of COMPOSE_PROFILES', () => {
    expect(Object.keys(load(tempProject(files), { profiles: ['obs'] }).services).sort()).toEqual(['app', 'metrics']);
    const dir = tempProject(files);
    expect(Object.keys(loadProjectSync({ cwd: dir, env: { COMPOSE_PROFILES: 'all,obs' } }).project.services).sort()).toEqual(['app', 'debug', 'metrics']);
  });

  it('enables the profiles of services named on the command line', () => {
    expect(Object.keys(load(tempProject(files), { services: ['debug'] }).services)).toEqual(['debug']);
  });

  it('refuses a required dependency on a disabled service', () => {
    const error = loadError(tempProject(files), { profiles: ['portal'] });
    expect(error.message).toContain('service "portal" depends on undefined service "vault"');
  });
});

describe('project name, variables and files', () => {
  // Recorded from Docker Compose v2.40 (compose-go v2.9.1), which parses every env file into one map.
  it('reads a variable a later --env-file redefines with its new value in the rest of that file', () => {
    const dir = tempProject({
      'compose.yml': 'services:\n  app:\n    image: "app:${TAG}"\n',
      'one.env': 'A=first\nTAG=${A}\n',
      'two.env': 'A=second\nTAG=${A}-x\n',
    });
    expect(load(dir, { envFiles: ['one.env', 'two.env'] }).services.app?.image).toBe('app:second-x');
  });

  // Recorded from Docker Compose v2.40 (compose-go v2.9.1): its cast of a boolean field warns on
  // YAML 1.1 spellings, as written, each time one is read; `true` and `false` in any case do not.
  // Compose's order follows Go's random map order; the engine's is the file's.
  it('warns of a boolean field written as yes, on, no or off, and still reads it', () => {
    const dir = tempProject({
      'compose.yml': 'services:\n  a:\n    image: a\n    tty: yes\n    read_only: "Off"\n    privileged: TRUE\n    init: ${INIT}\n',
    });
    const { project } = loadProjectSync({ cwd: dir, env: { INIT: 'on' } });
    expect(project.services.a).toMatchObject({ tty: true, privileged: true, init: true });
    expect(project.services.a?.read_only).toBeUndefined();
    expect(project.warnings).toEqual([
      '"yes" for boolean is not supported by YAML 1.2, please use `true`',
      '"Off" for boolean is not supported by YAML 1.2, please use `false`',
      '"on" for boolean is not supported by YAML 1.2, please use `true`',
    ]);
  });

  it('takes -p over COMPOSE_PROJECT_NAME over name: over the folder', () => {
    const dir = tempProject({ 'compose.yml': 'name: From-File.v2\nservices:\n  a: { image: a }\n' }, 'My.Folder');
    expect(load(dir).name).toBe('from-filev2');
    expect(loadProjectSync({ cwd: dir, env: { COMPOSE_PROJECT_NAME: 'env-name' } }).project.name).toBe('env-name');
    expect(load(dir, { projectName: 'flag' }).name).toBe('flag');
    const unnamed = tempProject({ 'compose.yml': 'services:\n  a: { image: a }\n' }, 'My.Folder');
    expect(load(unnamed).name).toBe('myfolder');
  });

  it('refuses an invalid -p', () => {
    expect(loadError(tempProject({ 'compose.yml': 'services: {a: {image: a}}' }), { projectName: 'Bad Name' }).code).toBe(COMPOSE_ERROR_CODES.PROJECT_NAME);
  });

  it('ranks the shell over --env-file over .env, and --env-file replaces .env', () => {
    const dir = tempProject({
      'compose.yml': 'services:\n  a:\n    image: "a:${TAG}"\n    environment: { ONLY_DOTENV: "${ONLY_DOTENV:-none}", LEVEL: "${LEVEL}" }\n',
      '.env': 'TAG=dotenv\nONLY_DOTENV=yes\nLEVEL=dotenv\n',
      'ci.env': 'TAG=ci\nLEVEL=ci\n',
    });
    expect(loadProjectSync({ cwd: dir, env: {} }).project.services.a?.image).toBe('a:dotenv');
    const withFile = loadProjectSync({ cwd: dir, env: { LEVEL: 'shell' }, envFiles: ['ci.env'] }).project.services.a;
    expect(withFile?.image).toBe('a:ci');
    expect(withFile?.environment).toEqual({ ONLY_DOTENV: 'none', LEVEL: 'shell' });
  });

  it('refuses an env file that is not UTF-8 at its line (a Latin-1 password was printed and passed on as U+FFFD)', () => {
    const dir = tempProject({ 'compose.yml': 'services:\n  a:\n    image: a\n    environment: { PASSWORD: "${PASSWORD}" }\n    env_file: [web.env]\n' });
    const latin1 = (text: string) => Buffer.from(text, 'latin1');
    writeFileSync(join(dir, '.env'), latin1('USER=app\nPASSWORD=café\n'));
    writeFileSync(join(dir, 'web.env'), 'MODE=web\n');
    const fromDotenv = loadError(dir);
    expect(fromDotenv.format()).toBe(
      `${join(dir, '.env')}:2: not valid UTF-8 (byte 0xE9): Compose passes such bytes on unread, stack reads the file as UTF-8 text; save it as UTF-8 [STACK_ERR_DOTENV_SYNTAX]`,
    );
    writeFileSync(join(dir, '.env'), 'PASSWORD=café\n');
    writeFileSync(join(dir, 'web.env'), latin1('MODE=web\nGREETING=¡hola\n'));
    const fromEnvFile = loadError(dir);
    expect(fromEnvFile.code).toBe(COMPOSE_ERROR_CODES.DOTENV_SYNTAX);
    expect([fromEnvFile.file, fromEnvFile.line]).toEqual([join(dir, 'web.env'), 2]);
  });

  it('finds compose.yaml and its override in a parent directory', () => {
    const dir = tempProject({
      'compose.yaml': 'services:\n  a: { image: a }\n',
      'compose.override.yml': 'services:\n  a: { image: b }\n',
      'sub/deeper/.keep': '',
    });
    const project = load(join(dir, 'sub', 'deeper'));
    expect(project.services.a?.image).toBe('b');
    expect(project.composeFiles).toEqual([join(dir, 'compose.yaml'), join(dir, 'compose.override.yml')]);
  });

  it('says clearly when there is no compose file', () => {
    expect(loadError(tempProject({ 'readme.txt': 'x' })).code).toBe(COMPOSE_ERROR_CODES.NO_COMPOSE_FILE);
  });
});

describe('normalization and output', () => {
  // Expected values checked against compose-go v2.9.1 (driven as docker compose v2.40.3 config).
  it("converts a float in a typed field as Compose's Go types do", () => {
    const dir = tempProject({
      'compose.yml': [
        'services:',
        '  app:',
        '    image: app',
        '    cpu_shares: 1.5',
        '    cpu_period: 100000.9',
        '    cpu_quota: -2.7',
        '    pids_limit: 0.5',
        '    mem_limit: 1.5',
        '    shm_size: 2.5',
        '    memswap_limit: "1.5"',
        '    cpu_percent: ${CPUS}',
        '    blkio_config:',
        '      weight: 65537',
        '      weight_device: [{ path: /dev/sda, weight: 99999999999 }]',
        '    ports: [{ target: 4294967297, published: "8080" }]',
        '    healthcheck: { test: [CMD, "true"], retries: 2.5 }',
        '    ulimits:',
        '      nofile: 0',
        '      nproc: { soft: 0, hard: 5 }',
        '    deploy: { resources: { limits: { pids: "12" } } }',
        '',
      ].join('\n'),
    });
    const project = loadProjectSync({ cwd: dir, env: { CPUS: '1_0' } }).project;
    const app = (JSON.parse(toComposeJson(project)) as { services: Record<string, Record<string, unknown>> }).services.app!;
    // Integer fields keep the whole part; 0 is left out like any zero.
    expect(app).toMatchObject({ cpu_shares: 1, cpu_period: 100000, cpu_quota: -2, cpu_percent: 10 });
    expect(app.pids_limit).toBeUndefined();
    // UnitBytes takes an int or a string: a float leaves it unset, text is read as a size.
    expect(app.mem_limit).toBeUndefined();
    expect(app.shm_size).toBeUndefined();
    expect(app.memswap_limit).toBe('1');
    // uint16 and uint32 keep their low bits (a weight device has no JSON tags in Go: Path, Weight).
    expect(app.blkio_config).toEqual({ weight: 1, weight_device: [{ Path: '/dev/sda', Weight: 59391 }] });
    expect(app.ports).toEqual([{ mode: 'ingress', target: 1, published: '8080', protocol: 'tcp' }]);
    expect(app.healthcheck).toMatchObject({ retries: 2 });
    expect(app.deploy).toMatchObject({ resources: { limits: { pids: 12 } } });
    // A single ulimit of 0 is Go's zero struct: JSON prints nothing of it, YAML its two limits.
    expect(app.ulimits).toEqual({ nofile: {}, nproc: { hard: 5 } });
    expect(toComposeYaml(project)).toContain('    ulimits:\n      nofile:\n        soft: 0\n        hard: 0\n      nproc:\n        soft: 0\n        hard: 5\n');
  });

  it('reads number text as strconv reads it, and refuses what it refuses', () => {
    const failure = (service: string) => loadError(tempProject({ 'compose.yml': `services:\n  app:\n    image: app\n${service}` }));
    expect(failure('    cpus: " 3"\n').message).toContain(
      'error while interpolating services.app.cpus: failed to cast to expected type: strconv.ParseFloat: parsing " 3": invalid syntax',
    );
    expect(failure('    deploy: { resources: { limits: { pids: "0x10" } } }\n').message).toContain('strconv.ParseInt: parsing "0x10": invalid syntax');
    expect(failure('    blkio_config: { weight: "5" }\n').message).toContain("expected type 'uint16', got unconvertible type 'string'");
    // storage_opt is a plain map[string]string: text and integers, nothing else.
    expect(failure('    storage_opt: { size: 1.5 }\n').message).toContain("expected type 'string', got unconvertible type 'float64'");
    expect(failure('    storage_opt: { size: true }\n').message).toContain("expected type 'string', got unconvertible type 'bool'");
    const storage = load(tempProject({ 'compose.yml': 'services:\n  app:\n    image: app\n    storage_opt: { size: 5, mode: "ro" }\n' }));
    expect(storage.services.app?.storage_opt).toEqual({ mode: 'ro', size: '5' });
  });

  it('keeps x-* fields in the model but prints them only at top level', () => {
    const dir = tempProject({
      'compose.yml': 'x-owner: team\nservices:\n  api:\n    image: api\n    x-native: { command: node dist/main.js }\n',
    });
    const project = load(dir);
    expect(project.services.api?.['x-native']).toEqual({ command: 'node dist/main.js' });
    expect(project.extensions).toEqual({ 'x-owner': 'team' });
    const printed = JSON.parse(toComposeJson(project)) as { services: { api: Record<string, unknown> }; 'x-owner': string };
    expect(printed.services.api['x-native']).toBeUndefined();
    expect(printed['x-owner']).toBe('team');
  });

  it('adds the default network, long syntaxes and project-prefixed names', () => {
    const dir = tempProject({ 'compose.yml': 'name: shop\nservices:\n  web:\n    image: nginx\n    ports: ["8080:80"]\n    volumes: [data:/data]\nvolumes:\n  data: {}\n' });
    const project = load(dir);
    expect(project.networks.default).toEqual({ name: 'shop_default', ipam: {} });
    expect(project.volumes.data).toEqual({ name: 'shop_data' });
    expect(project.services.web?.ports).toEqual([{ mode: 'ingress', target: 80, published: '8080', protocol: 'tcp' }]);
  });

  it('drops unused resources unless asked to keep them', () => {
    const dir = tempProject({ 'compose.yml': 'services:\n  a: { image: a }\nvolumes:\n  unused: {}\n' });
    expect(load(dir).volumes).toEqual({});
    expect(Object.keys(load(dir, { allResources: true }).volumes)).toEqual(['unused']);
  });

  it('escapes every $ of the output as $$', () => {
    const dir = tempProject({ 'compose.yml': 'services:\n  a:\n    image: a\n    command: echo $$HOME\n' });
    expect(toComposeJson(load(dir))).toContain('"$$HOME"');
  });
});

describe('error locations', () => {
  it('points interpolation errors at the file and line of the value', () => {
    const dir = tempProject({ 'compose.yml': 'services:\n  db:\n    image: postgres\n    environment:\n      PASSWORD: ${DB_PASSWORD:?set DB_PASSWORD}\n' });
    const error = loadError(dir);
    expect(error.code).toBe(COMPOSE_ERROR_CODES.INTERPOLATION_REQUIRED);
    expect(error.format()).toBe(
      `${join(dir, 'compose.yml')}:5:7: error while interpolating services.db.environment.PASSWORD: required variable DB_PASSWORD is missing a value: set DB_PASSWORD [STACK_ERR_INTERPOLATION_REQUIRED]`,
    );
  });

  it('points a required variable of the project name at its line in the file that sets it', () => {
    const dir = tempProject({
      'compose.yml': 'services:\n  web:\n    image: nginx\n',
      'override.yml': '# the name comes from here\nname: ${PROJECT:?set PROJECT}\n',
    });
    const error = loadError(dir, { files: ['compose.yml', 'override.yml'] });
    expect(error.code).toBe(COMPOSE_ERROR_CODES.INTERPOLATION_REQUIRED);
    expect(error.format()).toBe(
      `${join(dir, 'override.yml')}:2:1: error while interpolating name: required variable PROJECT is missing a value: set PROJECT [STACK_ERR_INTERPOLATION_REQUIRED]`,
    );
  });

  it('points schema errors at the offending key', () => {
    const dir = tempProject({ 'compose.yml': 'services:\n  web:\n    image: nginx\n    profiles: dev\n' });
    const error = loadError(dir);
    expect(error.code).toBe(COMPOSE_ERROR_CODES.SCHEMA);
    expect(error.message).toContain('services.web.profiles must be a array');
    expect([error.line, error.column]).toEqual([4, 5]);
  });

  it('points a missing env_file at the compose file line that names it', () => {
    const dir = tempProject({ 'compose.yml': 'services:\n  web:\n    image: nginx\n    env_file:\n      - ./web.env\n' });
    const error = loadError(dir);
    expect(error.code).toBe(COMPOSE_ERROR_CODES.FILE_NOT_FOUND);
    expect(error.file).toBe(join(dir, 'compose.yml'));
    expect(error.line).toBe(4);
    expect(error.message).toContain(`env file ${join(dir, 'web.env')} not found`);
  });

  it('says why an include cannot be read in Go\'s words, as Compose does (it printed "ENOTDIR" and "ELOOP")', () => {
    const dir = tempProject({ 'compose.yml': 'include:\n  - ./modules/db.yml\n', modules: 'a file where the folder belongs\n' });
    expect(loadError(dir).message).toBe(`include ./modules/db.yml: open ${join(dir, 'modules/db.yml')}: not a directory`);
    rmSync(join(dir, 'modules'));
    mkdirSync(join(dir, 'modules'));
    symlinkSync('loop.yml', join(dir, 'modules', 'db.yml'));
    symlinkSync('db.yml', join(dir, 'modules', 'loop.yml'));
    expect(loadError(dir).message).toBe(`include ./modules/db.yml: open ${join(dir, 'modules/db.yml')}: too many levels of symbolic links`);
  });

  it('points a missing include or extends file at the file that names it, and only the file it names', () => {
    const included = tempProject({ 'compose.yml': 'services:\n  a:\n    image: a\ninclude:\n  - ./modules/db.yml\n' });
    const include = loadError(included);
    expect(include.code).toBe(COMPOSE_ERROR_CODES.FILE_NOT_FOUND);
    expect([include.file, include.line]).toEqual([join(included, 'compose.yml'), 4]);
    expect(include.message).toBe(`include ./modules/db.yml: open ${join(included, 'modules/db.yml')}: no such file or directory`);
    expect(include.missingPath).toBe(join(included, 'modules/db.yml'));

    const extended = tempProject({ 'compose.yml': 'services:\n  a:\n    extends:\n      file: base.yml\n      service: a\n' });
    const extend = loadError(extended);
    expect([extend.file, extend.line, extend.column]).toEqual([join(extended, 'compose.yml'), 4, 7]);
    expect(extend.message).toBe(`extends file base.yml: open ${join(extended, 'base.yml')}: no such file or directory`);

    // A file the included module includes in turn is named by that module, not by compose.yml.
    const nested = tempProject({ 'compose.yml': 'include: [sub/a.yml]\n', 'sub/a.yml': 'include:\n  - ../gone.yml\n' });
    const deep = loadError(nested);
    expect([deep.file, deep.line]).toEqual([join(nested, 'sub/a.yml'), 1]);
    expect(deep.message).toContain('include ../gone.yml: open');
  });

  it('names a missing -f file', () => {
    const dir = tempProject({ 'compose.yml': 'services: {a: {image: a}}' });
    const error = loadError(dir, { files: ['compose.yml', 'nope.yml'] });
    expect(error.code).toBe(COMPOSE_ERROR_CODES.FILE_NOT_FOUND);
    expect(error.message).toBe(`open ${join(dir, 'nope.yml')}: no such file or directory`);
  });
});
