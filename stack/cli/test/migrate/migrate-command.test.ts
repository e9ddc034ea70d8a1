import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { REPO_ROOT } from '../architecture/repo-tree.js';
import { configOf, copyFixture, removeFixtureCopies, snapshot, stack } from './migrate-fixture.js';

afterAll(removeFixtureCopies);

// Migration loads every environment several times over: seconds on a busy machine.
const SLOW = { timeout: 60_000 };

/** The plan's own "before" state: infra, a development and a production file, monitoring on demand. */
const CODIESVIBE_PLAN = [
  'migrate',
  '--env',
  'development=docker-compose.infra.yml,docker-compose.backend.yml',
  '--env',
  'production=docker-compose.infra.yml,docker-compose.production.yml',
  '--env-file',
  '.env.development',
  '--env-file',
  'production=.env.production',
  '--optional',
  'monitoring=docker-compose.monitoring.yml',
];

describe('stack migrate on the CodiesVibe plan before its migration', () => {
  it('prints the plan and the proof, and writes nothing without --write', SLOW, async () => {
    const dir = copyFixture('codiesvibe-plan');
    const before = snapshot(dir);
    const result = await stack(dir, CODIESVIBE_PLAN);
    expect(result.err).toBe('');
    expect(result.status).toBe(0);
    expect(result.out).toContain('+ docker-compose/services/docker-compose.nestjs-api.yml');
    expect(result.out).toContain('+ docker-compose/infrastructure/docker-compose.infra.yml       mongodb, redis, ollama');
    expect(result.out).toMatch(/development +ai +8 +equal\n/);
    expect(result.out).toMatch(/production +ai,monitoring +11 +equal\n/);
    // Compose prints the x- fields of the files it is given, not of included ones. An environment's
    // own would go to a file its .env.<env> names in COMPOSE_FILE, but here the services read that
    // env file through env_file, so the line would reach them; and the optional group is included.
    expect(result.out).toContain(
      "Left out: top-level x-app (its environment file is read by services through env_file), x-limits (its environment file is read by services through env_file), x-monitoring-logging (only in an optional group's files)",
    );
    // validate's findings on the new tree are the next steps.
    expect(result.out).toContain('container-name-scaled');
    expect(result.out).toContain('no-shell-substitution');
    expect(result.out).toContain('nothing written: run again with --write');
    expect(snapshot(dir)).toEqual(before);
  });

  it('writes a tree that stack resolves like the originals, environment by environment', SLOW, async () => {
    const dir = copyFixture('codiesvibe-plan');
    const result = await stack(dir, [...CODIESVIBE_PLAN, '--write']);
    expect(result.status).toBe(0);
    expect(result.out).toContain('✔ written');
    for (const [environment, files] of [
      ['development', ['docker-compose.infra.yml', 'docker-compose.backend.yml', 'docker-compose.monitoring.yml']],
      ['production', ['docker-compose.infra.yml', 'docker-compose.production.yml', 'docker-compose.monitoring.yml']],
    ] as const) {
      const original = await configOf(dir, ['-p', 'codiesvibe-plan', ...files.flatMap((file) => ['-f', file]), '--env-file', `.env.${environment}`, '--profile', 'monitoring']);
      const migrated = await configOf(dir, ['--env', environment, '--profile', 'monitoring']);
      expect(withoutProfiles(migrated), environment).toEqual(withoutProfiles(original));
    }
    const base = readFileSync(join(dir, 'docker-compose/services/docker-compose.nestjs-api.yml'), 'utf8');
    expect(base).toContain('context: ../../backend/nestjs-api');
    // ${VAR} stays as written, uninterpolated.
    expect(base).toContain("BUILD_DATE: ${BUILD_DATE:-$(date -u +'%Y-%m-%dT%H:%M:%SZ')}");
    const production = readFileSync(join(dir, 'docker-compose/environments/docker-compose.production.yml'), 'utf8');
    expect(production).toContain('replicas: 3');
    expect(production).not.toContain('curl');

    const again = await stack(dir, [...CODIESVIBE_PLAN, '--write']);
    expect(again.status).toBe(0);
    expect(again.out).toMatch(/= compose\.yaml +entry point/);
  });
});

/**
 * What migrate changes on purpose: the monitoring services gain `profiles: [monitoring]`, and the
 * three anchor holders it reports as left out are gone.
 */
function withoutProfiles(model: unknown): unknown {
  const document = model as Record<string, unknown> & { services: Record<string, { profiles?: string[] }> };
  for (const service of Object.values(document.services)) delete service.profiles;
  for (const key of ['x-app', 'x-limits']) delete document[key];
  delete document['x-monitoring-logging'];
  return document;
}

describe('stack migrate refuses bad input with one line and writes nothing', () => {
  it('names the file that does not load and why', SLOW, async () => {
    const dir = copyFixture('codiesvibe-plan');
    writeFileSync(join(dir, 'docker-compose.production.yml'), 'services:\n  api:\n    image: [unclosed\n');
    const before = snapshot(dir);
    const result = await stack(dir, CODIESVIBE_PLAN);
    expect(result.status).toBe(1);
    expect(result.err.trim().split('\n')).toHaveLength(1);
    expect(result.err).toMatch(/^stack: production: docker-compose\.production\.yml:4:1: yaml: invalid YAML in docker-compose\.production\.yml: .* \[STACK_ERR_YAML_SYNTAX\]\n$/);
    expect(snapshot(dir)).toEqual(before);
  });

  it.each([
    [['migrate', '--env', 'production'], '--env takes NAME=FILE[,FILE...] (got "production": no =)'],
    [['migrate', '--env', 'Prod=a.yml'], '--env "Prod": use lower case letters, digits and -'],
    [['migrate'], 'migrate needs at least one --env NAME=FILE'],
    [['migrate', '--env', 'a=x.yml', '--out', '/'], 'shares no folder with the project directory'],
  ])('%j', async (argv, message) => {
    const dir = copyFixture('codiesvibe-plan');
    const result = await stack(dir, argv);
    expect(result.status).toBe(2);
    expect(result.err).toContain(message);
    expect(result.err.trim().split('\n')).toHaveLength(1);
  });

  it('reports a service two files of one environment define differently, the way Compose merges it', SLOW, async () => {
    const dir = copyFixture('codiesvibe-plan');
    writeFileSync(join(dir, 'docker-compose.backend.yml'), `${readFileSync(join(dir, 'docker-compose.backend.yml'), 'utf8')}\n  redis:\n    image: redis:6\n    ports: ["6379:6379"]\n`);
    const before = snapshot(dir);
    const result = await stack(dir, CODIESVIBE_PLAN);
    expect(result.status).toBe(1);
    expect(result.err).toBe(
      'stack: development: docker-compose.backend.yml:129:5: service redis is defined in docker-compose.infra.yml and docker-compose.backend.yml with a different image ("redis:7-alpine" and "redis:6"); the later file wins: image "redis:6"; make the files agree, or pass --accept-overrides if the later file is meant to override [STACK_ERR_MIGRATE_CONFLICT]\n',
    );
    expect(snapshot(dir)).toEqual(before);
  });

  it('refuses to overwrite a file that exists with other content, unless --force', SLOW, async () => {
    const dir = copyFixture('codiesvibe-plan');
    writeFileSync(join(dir, 'compose.yaml'), 'services: {}\n');
    const refused = await stack(dir, [...CODIESVIBE_PLAN, '--write']);
    expect(refused.status).toBe(1);
    expect(refused.out).toContain('! compose.yaml');
    expect(refused.out).toContain('nothing written: 1 file(s) exist with other content (pass --force to overwrite them)');
    expect(existsSync(join(dir, 'docker-compose'))).toBe(false);
    const forced = await stack(dir, [...CODIESVIBE_PLAN, '--write', '--force']);
    expect(forced.status).toBe(0);
    expect(readFileSync(join(dir, 'compose.yaml'), 'utf8')).toContain('include:');
  });
});

describe('stack migrate on other monoliths', () => {
  it('keeps the variables of an .env.<environment> in the way: it says how, and --dotenv appends the selector to it', SLOW, async () => {
    const dir = copyFixture('shop');
    const variables = `${readFileSync(join(dir, '.env'), 'utf8')}API_TOKEN=keep-me\n`;
    writeFileSync(join(dir, '.env.production'), variables);
    const argv = ['migrate', '--env', 'development=docker-compose.yml,docker-compose.override.yml', '--env', 'production=docker-compose.yml,docker-compose.prod.yml', '--accept-overrides', '--write'];
    const refused = await stack(dir, argv);
    expect(refused.status).toBe(1);
    expect(refused.out).toContain('if production runs with --env-file .env.production, pass --dotenv production=.env.production to keep its variables; --force replaces it');
    expect(readFileSync(join(dir, '.env.production'), 'utf8')).toBe(variables);
    const kept = await stack(dir, [...argv, '--dotenv', 'production=.env.production']);
    expect(kept.status).toBe(0);
    const written = readFileSync(join(dir, '.env.production'), 'utf8');
    expect(written.startsWith(variables)).toBe(true);
    expect(written).toMatch(/_ENV=production\n$/);
  });

  it('a base file and per-environment override files (Compose\'s override pattern), extends from another folder, !override, .env by default, --out in a subfolder', SLOW, async () => {
    const dir = copyFixture('shop');
    const argv = ['migrate', '--env', 'development=docker-compose.yml,docker-compose.override.yml', '--env', 'production=docker-compose.yml,docker-compose.prod.yml', '--out', 'deploy'];
    const refused = await stack(dir, argv);
    expect(refused.status).toBe(1);
    expect(refused.err).toContain('service api is defined in docker-compose.yml and docker-compose.override.yml with a different command');
    const result = await stack(dir, [...argv, '--accept-overrides', '--write']);
    expect(result.status).toBe(0);
    expect(result.out).toMatch(/development +tools +7 +equal\n/);
    expect(result.out).toMatch(/production +tools +5 +equal\n/);
    const api = readFileSync(join(dir, 'deploy/docker-compose/services/docker-compose.api.yml'), 'utf8');
    expect(api).toContain('context: ../../..');
    expect(api).toContain('env_file: ../../../config/app.env');
    const development = readFileSync(join(dir, 'deploy/docker-compose/environments/docker-compose.development.yml'), 'utf8');
    // Only in development: written out in full there, no base file.
    expect(development).toContain('  mailhog:\n    image: mailhog/mailhog:v1.0.1');
    expect(existsSync(join(dir, 'deploy/docker-compose/services/docker-compose.mailhog.yml'))).toBe(false);
    expect(development).toContain('../../../${DATA_DIR:-./data}/postgres:/var/lib/postgresql/data');
    const environmentFile = readFileSync(join(dir, 'deploy/.env.production'), 'utf8');
    expect(environmentFile).toContain('POSTGRES_PASSWORD=shop-local\nDATA_DIR=./data\n');
    // Named from the folder the file is in, as the rest of its header.
    expect(environmentFile).toContain('# Its variables are those of ../.env, which the original files were used with.\n');
  });

  it('three full files, one per environment, a service different in every key and services in some environments only', SLOW, async () => {
    const dir = copyFixture('blog');
    const result = await stack(dir, [
      'migrate',
      '--env',
      'development=docker-compose.dev.yml',
      '--env',
      'staging=docker-compose.staging.yml',
      '--env',
      'production=docker-compose.prod.yml',
      '--dotenv',
      'development=env/dev.env',
      '--dotenv',
      'staging=env/staging.env',
      '--dotenv',
      'production=env/prod.env',
    ]);
    expect(result.status).toBe(0);
    for (const environment of ['development', 'staging', 'production']) expect(result.out).toMatch(new RegExp(`${environment} +- +\\d +equal\\n`));
    expect(result.out).toMatch(/\+ docker-compose\/infrastructure\/docker-compose.infra.yml +cache; volumes: static\n/);
    expect(result.out).toContain('+ docker-compose/services/docker-compose.flower.yml');
  });

  it('include, anchors and merge keys, extends in the same file, $$ escapes and a service only in one environment', SLOW, async () => {
    const dir = copyFixture('analytics');
    const result = await stack(dir, ['migrate', '--env', 'dev=compose.base.yml,compose.dev.yml', '--env', 'prod=compose.base.yml,compose.prod.yml', '--env-file', '.env.dev', '--env-file', '.env.prod', '--write']);
    expect(result.status).toBe(0);
    expect(result.out).toMatch(/prod +ops +6 +equal\n/);
    // The anchor holder both environments share stays, in the entry file: `config` prints it as before.
    expect(result.out).not.toContain('Left out');
    expect(readFileSync(join(dir, 'compose.yaml'), 'utf8')).toContain('x-logging:');
    for (const environment of ['dev', 'prod']) {
      const original = await configOf(dir, ['-f', 'compose.base.yml', '-f', `compose.${environment}.yml`, '--env-file', `.env.${environment}`]);
      expect(await configOf(dir, ['--env', environment]), environment).toEqual(original);
    }
    const prod = readFileSync(join(dir, 'docker-compose/environments/docker-compose.prod.yml'), 'utf8');
    expect(prod).toContain('INSTANCE: $${HOSTNAME}');
    expect(readFileSync(join(dir, 'docker-compose/services/docker-compose.clickhouse.yml'), 'utf8')).toContain('../../infra/config/users.xml:/etc/clickhouse-server/users.d/users.xml:ro');
    // The env file the originals used gets the selector line appended, nothing else.
    expect(readFileSync(join(dir, '.env.prod'), 'utf8')).toBe('# production settings\nRETENTION_DAYS=90\n\n# Selects docker-compose/environments/docker-compose.prod.yml (added by stack migrate)\nANALYTICS_ENV=prod\n');
  });
});

describe('stack migrate and the override file Compose loads on its own', () => {
  it('sets aside a migrated docker-compose.override.yml, so plain `config` in the folder gives what it gave before', SLOW, async () => {
    const dir = copyFixture('override-beside');
    const before = await configOf(dir, []);
    const result = await stack(dir, ['migrate', '--env', 'development=docker-compose.yml,docker-compose.override.yml', '--accept-overrides', '--write']);
    expect(result.status).toBe(0);
    expect(result.out).toContain('~ docker-compose.override.yml → docker-compose.override.yml.orig  set aside');
    expect(result.out).toContain('warns while docker-compose.yml is there too');
    expect(existsSync(join(dir, 'docker-compose.override.yml'))).toBe(false);
    expect(readFileSync(join(dir, 'docker-compose.override.yml.orig'), 'utf8')).toContain('LOG_LEVEL: debug');
    // x-logging included: Compose prints the entry file's x- fields, and migrate keeps them there.
    expect(await configOf(dir, [])).toEqual(before);
    // The same command again: the override file it names is read where the first run put it.
    const again = await stack(dir, ['migrate', '--env', 'development=docker-compose.yml,docker-compose.override.yml', '--accept-overrides', '--write']);
    expect(again.err).toBe('');
    expect(again.out).toContain('< docker-compose.override.yml.orig  read for docker-compose.override.yml, which an earlier --write set aside');
    expect(again.out).toContain('✔ written: 0 files');
    expect(again.status).toBe(0);
  });

  it('migrates a monolith named compose.yaml in place: the original is set aside for the entry file, and each environment resolves as before', SLOW, async () => {
    const dir = copyFixture('monolith-compose-yaml');
    const before = {
      development: await configOf(dir, ['-f', 'compose.yaml']),
      production: await configOf(dir, ['-f', 'compose.yaml', '-f', 'compose.prod.yaml', '--env-file', '.env.prod']),
    };
    const args = ['migrate', '--env', 'development=compose.yaml', '--env', 'production=compose.yaml,compose.prod.yaml', '--env-file', 'production=.env.prod', '--accept-overrides'];
    const planned = await stack(dir, args);
    expect(planned.status).toBe(0);
    expect(planned.out).toContain('~ compose.yaml → compose.yaml.orig  set aside by --write: the entry file takes its name');
    const written = await stack(dir, [...args, '--write']);
    expect(written.status).toBe(0);
    expect(written.out).toMatch(/production +debug +6 +equal\n/);
    expect(readFileSync(join(dir, 'compose.yaml.orig'), 'utf8')).toContain("A Django shop as one compose.yaml");
    expect(readFileSync(join(dir, 'compose.yaml'), 'utf8')).toContain('include: [docker-compose/docker-compose.yml]');
    for (const environment of ['development', 'production'] as const) {
      expect(await configOf(dir, ['--env-file', `.env.${environment}`]), environment).toEqual(before[environment]);
    }
    // The same command again: compose.yaml is the tree's entry now, so the monolith is read from
    // compose.yaml.orig, and nothing is set aside or written a second time.
    const tree = snapshot(dir);
    const again = await stack(dir, [...args, '--write']);
    expect(again.err).toBe('');
    expect(again.out).toContain('< compose.yaml.orig  read for compose.yaml, which an earlier --write set aside');
    expect(again.out).toContain('✔ written: 0 files');
    expect(again.status).toBe(0);
    expect(snapshot(dir)).toEqual(tree);
  });

  it('loads an override file that is not migrated in the proof, as plain `docker compose` would, and says why it differs', SLOW, async () => {
    const dir = copyFixture('override-beside');
    const before = snapshot(dir);
    const result = await stack(dir, ['migrate', '--env', 'development=docker-compose.yml', '--write']);
    expect(result.status).toBe(1);
    expect(result.out).toContain('services.api.environment.LOG_LEVEL: (absent) → "debug"');
    expect(result.out).toContain('why: plain `docker compose` also loads docker-compose.override.yml on top of compose.yaml here');
    expect(snapshot(dir)).toEqual(before);
  });
});

describe('stack migrate keeps what the variables of the originals give', () => {
  it("an include's env_file and an included folder's .env still reach the included services (the files move out of the include)", SLOW, async () => {
    const dir = copyFixture('include-env');
    const result = await stack(dir, ['migrate', '--env', 'dev=compose.yml', '--write']);
    expect(result.out).toMatch(/dev +- +3 +equal\n/);
    expect(result.status).toBe(0);
    const original = (await configOf(dir, ['-f', 'compose.yml'])) as { services: Record<string, { image: string; ports: { published: string }[] }> };
    const migrated = await configOf(dir, ['--env', 'dev']);
    expect(migrated).toEqual(original);
    expect(original.services.prometheus?.ports[0]?.published).toBe('19090');
    expect(original.services.loki?.ports[0]?.published).toBe('13100');
    // The project's own .env still wins over the include's env file.
    expect(original.services.prometheus?.image).toBe('prom/prometheus:from-parent');
    const infra = readFileSync(join(dir, 'docker-compose/infrastructure/docker-compose.infra.yml'), 'utf8');
    expect(infra).toContain('image: prom/prometheus:${PROM_TAG:-latest}');
    expect(infra).toContain('"19090:9090"');
  });

  it('several --env-file for one environment, read in order into one map as Compose reads them (a later file wins, ${VAR} reads what came before)', SLOW, async () => {
    const dir = copyFixture('layered-env-files');
    const argv = ['migrate', '--env', 'development=compose.yml', '--env', 'production=compose.yml'];
    const envFiles = ['--env-file', 'development=base.env', '--env-file', 'development=local.env', '--env-file', 'production=base.env', '--env-file', 'production=prod.env'];
    const result = await stack(dir, [...argv, ...envFiles, '--write']);
    expect(result.err).toBe('');
    expect(result.out).toMatch(/\+ \.env\.development +selects development \(LAYERED_ENV_FILES_ENV=development\), with the variables of base\.env, local\.env\n/);
    expect(result.out).toMatch(/development +- +1 +equal\n/);
    expect(result.out).toMatch(/production +- +1 +equal\n/);
    expect(result.status).toBe(0);
    expect(readFileSync(join(dir, '.env.development'), 'utf8')).toBe(
      [
        '# Environment development of the modular tree: docker compose --env-file .env.development',
        '# Its variables are those of base.env and local.env, which the original files were used with, in that order (a later one wins).',
        '',
        '# From base.env:',
        'TAG=1.25',
        'HOST=base.example',
        'GREETING=hello from ${HOST}',
        '# From local.env:',
        'HOST=local.example',
        'GREETING=hi ${HOST} on ${TAG}',
        'PORT=8080',
        '',
        '# Selects docker-compose/environments/docker-compose.development.yml',
        'LAYERED_ENV_FILES_ENV=development',
        '',
      ].join('\n'),
    );
    // What `docker compose --env-file base.env --env-file <env>.env config` prints (v2.40.3).
    const expected = {
      development: { image: 'nginx:1.25', environment: { GREETING: 'hi local.example on 1.25', PORT: '8080' } },
      production: { image: 'nginx:1.26', environment: { GREETING: 'hello from base.example!', PORT: '80' } },
    };
    for (const [environment, web] of Object.entries(expected)) {
      const original = (await configOf(dir, ['-f', 'compose.yml', '--env-file', 'base.env', '--env-file', environment === 'development' ? 'local.env' : 'prod.env'])) as { services: { web: unknown } };
      expect(original.services.web, environment).toMatchObject(web);
      expect(await configOf(dir, ['--env-file', `.env.${environment}`]), environment).toEqual(original);
    }
  });

  it('refuses env files of one environment given with both --env-file and --dotenv (their order would be lost), in one line', async () => {
    const dir = copyFixture('layered-env-files');
    const before = snapshot(dir);
    const result = await stack(dir, ['migrate', '--env', 'development=compose.yml', '--env-file', 'development=base.env', '--dotenv', 'development=local.env', '--write']);
    expect(result.status).toBe(2);
    expect(result.err).toBe('stack: development is given env files with both --env-file and --dotenv: give them all with one of the two, in the order Compose reads them\n');
    expect(snapshot(dir)).toEqual(before);
  });

  it('variables set only in the shell that runs migrate', SLOW, async () => {
    const dir = copyFixture('shell-variables');
    const shell = { VERSION: '1.0.3', HOST_PORT: '18080', APP_PORT: '8080', DATA_DIR: './data', MODE: 'prod', DB_IP: '10.0.0.5' };
    const result = await stack(dir, ['migrate', '--env', 'dev=compose.yml', '--write'], shell);
    expect(result.err).toBe('');
    expect(result.out).toMatch(/dev +- +1 +equal\n/);
    expect(result.status).toBe(0);
    const migrated = (await configOf(dir, ['--env', 'dev'], shell)) as { services: { app: { volumes: { source: string }[] } } };
    expect(migrated).toEqual(await configOf(dir, ['-f', 'compose.yml'], shell));
    expect(migrated.services.app.volumes[0]?.source).toBe(join(dir, 'data'));
    // Without them the originals do not load, as with Compose: migrate names the file and the value.
    const unset = await stack(dir, ['migrate', '--env', 'dev=compose.yml']);
    expect(unset.status).toBe(1);
    expect(unset.err).toContain('compose.yml: invalid volume spec ":/data"');
  });

  it('a project named by the shell (COMPOSE_PROJECT_NAME=shop, over the .env\'s name) keeps its name: compose.yaml holds it, so its volume is still shop_orders without the variable', SLOW, async () => {
    const dir = copyFixture('shell-project-name');
    const shell = { COMPOSE_PROJECT_NAME: 'shop' };
    const result = await stack(dir, ['migrate', '--env', 'prod=compose.yml', '--write'], shell);
    expect(result.err).toBe('');
    expect(result.out).toContain("entry point: name shop (the shell's COMPOSE_PROJECT_NAME)");
    expect(result.out).toMatch(/prod +- +1 +equal\n/);
    expect(result.status).toBe(0);
    const original = (await configOf(dir, ['-f', 'compose.yml'], shell)) as { name: string; volumes: Record<string, { name: string }> };
    expect(original.volumes.orders?.name).toBe('shop_orders');
    // A new shell, or CI, without the variable: the tree alone is the same project, although the
    // copy of the .env it carries named another one.
    expect(await configOf(dir, ['--env-file', '.env.prod'])).toEqual(original);
    expect(readFileSync(join(dir, 'compose.yaml'), 'utf8')).toContain('name: shop\n');
  });
});

describe('stack migrate reads include as Compose does', () => {
  it('a secret the root and its included file both define alike (secrets/db.txt, and ../secrets/db.txt from sub/) is one secret, and the tree resolves as before', SLOW, async () => {
    const dir = copyFixture('include-shared-secret');
    const result = await stack(dir, ['migrate', '--env', 'production=compose.yml', '--write']);
    expect(result.err).toBe('');
    expect(result.out).toMatch(/production +- +2 +equal\n/);
    expect(result.status).toBe(0);
    const original = (await configOf(dir, ['-f', 'compose.yml'])) as { secrets: Record<string, { file: string }> };
    // As `docker compose config` prints it (v2.40.3): one secret, from the root's folder.
    expect(original.secrets).toEqual({ db: { name: 'include-shared-secret_db', file: join(dir, 'secrets/db.txt') } });
    expect(await configOf(dir, ['--env-file', '.env.production'])).toEqual(original);
    expect(readFileSync(join(dir, 'docker-compose/infrastructure/docker-compose.infra.yml'), 'utf8')).toContain('secrets:\n  db:\n    file: ../../secrets/db.txt\n');
  });

  it('the same secret written ./secrets/db.txt at the root differs as written, a conflict to Compose: one line with the file and line, nothing written', SLOW, async () => {
    const dir = copyFixture('include-shared-secret');
    const compose = join(dir, 'compose.yml');
    writeFileSync(compose, readFileSync(compose, 'utf8').replace('file: secrets/db.txt', 'file: ./secrets/db.txt'));
    const before = snapshot(dir);
    const result = await stack(dir, ['migrate', '--env', 'production=compose.yml', '--write']);
    expect(result.status).toBe(1);
    expect(result.err).toBe('stack: production: compose.yml:10:3: secrets.db conflicts with imported resource [STACK_ERR_INCLUDE_CONFLICT]\n');
    expect(snapshot(dir)).toEqual(before);
  });

  it('an include whose project_directory names no folder (api/deploy) resolves its paths from the folder that would hold it (api/), and a file it includes from there as compose-go composes them, in the tree too', SLOW, async () => {
    const dir = copyFixture('include-missing-project-dir');
    const result = await stack(dir, ['migrate', '--env', 'production=compose.yml', '--write']);
    expect(result.err).toBe('');
    expect(result.out).toMatch(/production +- +3 +equal\n/);
    expect(result.status).toBe(0);
    const original = (await configOf(dir, ['-f', 'compose.yml'])) as {
      services: { api: { environment: Record<string, string>; volumes: { source: string }[] }; metrics: { volumes: { source: string }[] } };
      configs: Record<string, { file: string }>;
    };
    // As `docker compose config` prints them (v2.40.3).
    expect(original.services.api.environment).toEqual({ LOG_LEVEL: 'info' });
    expect(original.services.api.volumes.map((volume) => volume.source)).toEqual([join(dir, 'api/src')]);
    expect(original.configs.settings?.file).toBe(join(dir, 'api/settings.json'));
    // The nested include is found from api/deploy (../../common is the fixture's common/), but its
    // paths start at api/ joined with ../../common: one folder above the project.
    expect(original.services.metrics.volumes.map((volume) => volume.source)).toEqual([join(dir, '../common/mapping.yml')]);
    expect(await configOf(dir, ['--env-file', '.env.production'])).toEqual(original);
    const infra = readFileSync(join(dir, 'docker-compose/infrastructure/docker-compose.infra.yml'), 'utf8');
    expect(infra).toContain('env_file: ../../api/api.env\n');
    expect(infra).toContain('- ../../api/src:/app/src:ro\n');
  });

  it('a nested include\'s env_file is found from the folder migrate runs in, as Compose finds it: from the root with -f deploy/compose.yml, it is the root\'s observability/collector.env', SLOW, async () => {
    const dir = copyFixture('include-env-from-cwd');
    const deploy = join(dir, 'deploy');
    const result = await stack(dir, ['migrate', '--env', 'prod=deploy/compose.yml', '--write']);
    expect(result.err).toBe('');
    expect(result.out).toMatch(/prod +- +3 +equal\n/);
    expect(result.status).toBe(0);
    const original = (await configOf(dir, ['-f', 'deploy/compose.yml'])) as { services: { collector: { image: string } } };
    // As `docker compose -f deploy/compose.yml config` prints it from the root (v2.40.3).
    expect(original.services.collector.image).toBe('otel/opentelemetry-collector:0.109.0');
    expect(await configOf(deploy, ['--env-file', '.env.prod'])).toEqual(original);
  });

  it('run in deploy/, where Compose does not find that env_file either, migrate says where it looked, in one line', SLOW, async () => {
    const dir = copyFixture('include-env-from-cwd');
    const deploy = join(dir, 'deploy');
    const before = snapshot(dir);
    const result = await stack(deploy, ['migrate', '--env', 'prod=compose.yml', '--write']);
    expect(result.status).toBe(1);
    expect(result.err).toBe(
      `stack: prod: observability/compose.yml:3:1: include env_file observability/collector.env: no such file (looked up from ${deploy}, the folder the command runs in, as Compose does) [STACK_ERR_FILE_NOT_FOUND]\n`,
    );
    expect(snapshot(dir)).toEqual(before);
  });
});

describe('stack migrate on this repository', () => {
  it('migrates the modular tree itself (extends from base files, include, x-native, secrets) and proves it equal', SLOW, async () => {
    const result = await stack(REPO_ROOT, [
      'migrate',
      '--env',
      'development=compose.yaml',
      '--env',
      'production=compose.yaml',
      '--env-file',
      '.env.development',
      '--dotenv',
      'production=.env.production.example',
      '--out',
      '.migrate-probe',
    ]);
    expect(result.status).toBe(0);
    expect(result.out).toMatch(/development +[\w,]+ +\d+ +equal\n/);
    expect(result.out).toMatch(/production +[\w,]+ +\d+ +equal\n/);
    expect(existsSync(join(REPO_ROOT, '.migrate-probe'))).toBe(false);
  });
});

describe('stack migrate explains a proof that cannot pass', () => {
  it('when services read the env file that would carry the selector', SLOW, async () => {
    const dir = copyFixture('codiesvibe-plan');
    for (const file of ['.env.development', '.env.production']) {
      writeFileSync(join(dir, file), readFileSync(join(dir, file), 'utf8').replace(/^NODE_ENV=.*\n/m, ''));
    }
    const before = snapshot(dir);
    const result = await stack(dir, ['migrate', '--env', 'development=docker-compose.infra.yml,docker-compose.backend.yml', '--env-file', '.env.development', '--write']);
    expect(result.status).toBe(1);
    expect(result.out).toContain('services.nestjs-api.environment.CODIESVIBE_PLAN_ENV: (absent) → "development"');
    expect(result.out).toContain('why: nestjs-api, mcp-server, fastify-api, gateway, frontend read .env.development through env_file');
    expect(result.out).toContain('✖ nothing written');
    expect(snapshot(dir)).toEqual(before);
  });
});
