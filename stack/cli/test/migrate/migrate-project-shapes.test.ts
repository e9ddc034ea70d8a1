import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { runCli } from '../../src/main.js';
import { recordingIo } from '../architecture/repo-tree.js';
import { fileTree } from '../support/file-tree.js';
import { configOf, copyFixture, removeFixtureCopies, snapshot, stack } from './migrate-fixture.js';

afterAll(removeFixtureCopies);

// Migration loads every environment several times over: seconds on a busy machine.
const SLOW = { timeout: 60_000 };

/**
 * Shapes seen in published projects' compose files that migrate once got wrong: files in a
 * docker/ folder migrated from the repository root, a build context written `../`, a mount that
 * climbs two folders out of the project, one project name per environment file, a service
 * env_file named like the tree's env file, a development file that blanks a few variables.
 */
describe('stack migrate on the shapes of published projects', () => {
  it('files in docker/ run from above it: the tree goes beside them, `../` contexts keep their slash, mounts may climb out of the project, and each environment keeps its project name', SLOW, async () => {
    const dir = copyFixture('relay');
    const app = join(dir, 'app');
    const argv = ['migrate', '--env', 'production=docker/docker-compose.yml', '--env', 'dev=docker/docker-compose.dev.yml'];
    const result = await stack(app, [...argv, '--write']);
    expect(result.err).toBe('');
    expect(result.status).toBe(0);
    expect(result.out).toContain('stack migrate: production, dev → docker\n');
    expect(result.out).toMatch(/production +- +2 +equal\n/);
    expect(result.out).toMatch(/dev +- +2 +equal\n/);
    const docker = join(app, 'docker');
    expect(existsSync(join(docker, 'compose.yaml'))).toBe(true);
    expect(existsSync(join(app, 'compose.yaml'))).toBe(false);

    const web = readFileSync(join(docker, 'docker-compose/services/docker-compose.web.yml'), 'utf8');
    // Compose reads `../` and `..` alike; writing the slash back keeps even an engine that does not.
    expect(web).toContain('context: ../../../\n');
    expect(web).toContain('- ../../../../site:/usr/share/nginx/html:ro');
    // compose.yaml names the project once; dev's file named another one, kept by its env file.
    expect(readFileSync(join(docker, '.env.dev'), 'utf8')).toContain('COMPOSE_PROJECT_NAME=relay-dev\n');
    expect(readFileSync(join(docker, '.env.production'), 'utf8')).not.toContain('COMPOSE_PROJECT_NAME');

    for (const [environment, file] of [
      ['production', 'docker-compose.yml'],
      ['dev', 'docker-compose.dev.yml'],
    ] as const) {
      const original = (await configOf(docker, ['-f', file])) as { name: string; services: Record<string, { build?: { context: string }; volumes?: { source: string }[] }> };
      const migrated = await configOf(docker, ['--env-file', `.env.${environment}`]);
      expect(migrated, environment).toEqual(original);
      expect(original.services.web?.volumes?.[0]?.source).toBe(join(dir, 'site'));
    }
    expect(((await configOf(docker, ['--env-file', '.env.dev'])) as { name: string }).name).toBe('relay-dev');

    const again = await stack(app, [...argv, '--write']);
    expect(again.status).toBe(0);
    expect(again.out).toContain('✔ written: 0 files');
  });

  it('profiles that exclude each other (one container name behind cpu and gpu) are proven one at a time, as Compose can only run them', SLOW, async () => {
    const dir = copyFixture('profile-variants');
    const result = await stack(dir, ['migrate', '--env', 'production=docker-compose.yml', '--env', 'development=docker-compose.dev.yml', '--write']);
    expect(result.err).toBe('');
    expect(result.status).toBe(0);
    expect(result.out).toMatch(/production +- +1 +equal\n/);
    expect(result.out).toMatch(/production +cpu +2 +equal\n/);
    expect(result.out).toMatch(/production +gpu +2 +equal\n/);
    for (const profile of ['cpu', 'gpu']) {
      const original = await configOf(dir, ['-f', 'docker-compose.yml', '--profile', profile]);
      expect(await configOf(dir, ['--env-file', '.env.production', '--profile', profile]), profile).toEqual(original);
    }
  });

  it('a build with no context (dockerfile_inline alone) still builds the project folder from its new file', SLOW, async () => {
    const dir = copyFixture('inline-build');
    const result = await stack(dir, ['migrate', '--env', 'production=docker-compose.yml', '--env', 'development=docker-compose.dev.yml', '--write']);
    expect(result.out).toMatch(/production +- +2 +equal\n/);
    expect(result.out).toMatch(/development +- +2 +equal\n/);
    expect(result.status).toBe(0);
    for (const environment of ['production', 'development']) {
      const migrated = (await configOf(dir, ['--env-file', `.env.${environment}`])) as { services: Record<string, { build?: { context: string } }> };
      expect(migrated.services['token-service']?.build?.context, environment).toBe(dir);
    }
  });

  it('environments in sibling folders (single-node/, multi-node/) share the folder above them: the tree goes there, each keeps its project name', SLOW, async () => {
    const dir = copyFixture('sibling-folders');
    const result = await stack(dir, ['migrate', '--env', 'single=single-node/docker-compose.yml', '--env', 'multi=multi-node/docker-compose.yml', '--write']);
    expect(result.err).toBe('');
    expect(result.status).toBe(0);
    expect(result.out).toContain('stack migrate: single, multi → .\n');
    // Validate's findings are grouped by file with an empty line between: empty, not two spaces.
    expect(result.out).not.toMatch(/[ \t]+\n/);
    expect(result.out).toMatch(/multi +- +2 +equal\n/);
    expect(existsSync(join(dir, 'compose.yaml'))).toBe(true);
    for (const [environment, folder] of [
      ['single', 'single-node'],
      ['multi', 'multi-node'],
    ] as const) {
      const original = (await configOf(join(dir, folder), ['-f', 'docker-compose.yml'])) as { name: string; services: { search: { volumes: { source: string }[] } } };
      expect(await configOf(dir, ['--env-file', `.env.${environment}`]), environment).toEqual(original);
      expect(original.name).toBe(folder);
      expect(original.services.search.volumes.map((volume) => volume.source)).toEqual([join(dir, 'config/search.yml'), join(dir, folder, 'certs')]);
    }
  });

  it('many findings are counted by rule under the proof, with the command that lists each one', SLOW, async () => {
    const dir = copyFixture('many-services');
    const result = await stack(dir, ['migrate', '--env', 'production=docker-compose.yml']);
    expect(result.status).toBe(0);
    const steps = result.out.slice(result.out.indexOf('Next steps'));
    expect(steps).toMatch(/\n {2}RULE +SEVERITY +FINDINGS +SERVICES\n/);
    expect(steps).toMatch(/\n {2}production-secrets +error +10 +cart, catalog, checkout, mailer \(\+6\)\n/);
    expect(steps).toMatch(/each with its file, line and fix: npx stack validate --env all \(once written\)\n/);
    expect(result.out.split('\n').length).toBeLessThan(60);
  });

  it('top-level models (Docker Model Runner) move with the other shared resources', SLOW, async () => {
    const dir = copyFixture('models');
    const result = await stack(dir, ['migrate', '--env', 'production=docker-compose.yml', '--env', 'development=docker-compose.dev.yml', '--write']);
    expect(result.out).toMatch(/production +- +1 +equal\n/);
    expect(result.out).toMatch(/development +- +1 +equal\n/);
    expect(result.status).toBe(0);
    expect(readFileSync(join(dir, 'docker-compose/infrastructure/docker-compose.infra.yml'), 'utf8')).toContain('models:\n  llm:\n    model: ai/smollm2\n');
    const original = await configOf(dir, ['-f', 'docker-compose.dev.yml']);
    expect(await configOf(dir, ['--env-file', '.env.development'])).toEqual(original);
  });

  it('x- fields one environment has and another has not are kept in a file its env file names in COMPOSE_FILE, so docker compose config prints them as before', SLOW, async () => {
    const dir = copyFixture('anchor-holders');
    const argv = ['migrate', '--env', 'development=docker-compose.yml', '--env', 'ci=docker-compose.ci.yml', '--dotenv', 'development=.env.development', '--write'];
    const result = await stack(dir, argv);
    expect(result.err).toBe('');
    expect(result.status).toBe(0);
    expect(result.out).not.toContain('Left out');
    expect(readFileSync(join(dir, '.env.development'), 'utf8')).toContain('COMPOSE_FILE=compose.yaml:docker-compose/environments/extensions/docker-compose.development.yml\n');
    // Beside the environment files, not among them: stack validate finds no misnamed file.
    expect(result.out).not.toContain('file-naming');
    expect(readFileSync(join(dir, '.env.ci'), 'utf8')).not.toContain('COMPOSE_FILE');
    for (const [environment, file] of [
      ['development', 'docker-compose.yml'],
      ['ci', 'docker-compose.ci.yml'],
    ] as const) {
      const original = (await configOf(dir, ['-f', file])) as Record<string, unknown>;
      expect(await configOf(dir, ['--env-file', `.env.${environment}`]), environment).toEqual(original);
      expect('x-app' in original, environment).toBe(environment === 'development');
    }
    // The env file was already .env.development: a second run finds its COMPOSE_FILE line and keeps it.
    const again = await stack(dir, argv);
    expect(again.status).toBe(0);
    expect(again.out).toContain('✔ written: 0 files');
  });

  it('on a terminal, says which step runs on stderr, one line rewritten in place and cleared before the report', SLOW, async () => {
    const dir = copyFixture('inline-build');
    const io = recordingIo(dir);
    Object.assign(io, { isTerminal: true });
    io.env.NO_COLOR = '1';
    const status = await runCli(['migrate', '--env', 'production=docker-compose.yml', '--env', 'development=docker-compose.dev.yml'], io);
    expect(status).toBe(0);
    const err = io.err.join('');
    for (const step of ['loading production (1/2)', 'loading development (2/2)', 'planning the tree', 'proving production (1/2)', 'proving development (2/2)', 'running stack validate on the new tree']) {
      expect(err).toContain(`\r\x1b[2Kstack migrate: ${step}…`);
    }
    expect(err.endsWith('\r\x1b[2K')).toBe(true);
    expect(io.out.join('')).not.toContain('…');
  });

  it('file modes are written in octal, as in the originals (mode: 0440, not 288)', SLOW, async () => {
    const dir = copyFixture('file-modes');
    const result = await stack(dir, ['migrate', '--env', 'production=docker-compose.yml', '--env', 'staging=docker-compose.staging.yml', '--write']);
    expect(result.out).toMatch(/staging +- +1 +equal\n/);
    expect(result.status).toBe(0);
    const base = readFileSync(join(dir, 'docker-compose/services/docker-compose.api.yml'), 'utf8');
    expect(base).toContain('        mode: 0440\n');
    expect(base).toContain('          mode: 01777\n');
    const original = await configOf(dir, ['-f', 'docker-compose.yml']);
    expect(await configOf(dir, ['--env-file', '.env.production'])).toEqual(original);
  });

  it('says why a service env_file named like the tree\'s env file cannot stay, and --out gives the tree a folder of its own', SLOW, async () => {
    const dir = copyFixture('env-file-clash');
    const before = snapshot(dir);
    const argv = ['migrate', '--env', 'production=docker-compose.yml'];
    const refused = await stack(dir, [...argv, '--write']);
    expect(refused.status).toBe(1);
    expect(refused.out).toContain('services.web.environment.SECRET_KEY_BASE: "only-the-containers-read-this" → (absent)');
    expect(refused.out).toContain(
      'why: web, worker read .env.production through env_file, and the new tree selects production with a file of that name: give the tree a folder of its own (--out deploy), or rename their env_file',
    );
    expect(snapshot(dir)).toEqual(before);

    const moved = await stack(dir, [...argv, '--out', 'deploy', '--write']);
    expect(moved.status).toBe(0);
    expect(readFileSync(join(dir, '.env.production'), 'utf8')).toBe(before['.env.production']);
    expect(readFileSync(join(dir, 'deploy/docker-compose/infrastructure/docker-compose.infra.yml'), 'utf8')).toContain('env_file: ../../../.env.production');
  });

  it('names the variables a later file changes, not the whole environment, and a number restated as a string is no change', SLOW, async () => {
    const dir = copyFixture('override-env');
    const argv = ['migrate', '--env', 'production=docker-compose.yml', '--env', 'development=docker-compose.yml,docker-compose.dev.yml'];
    const refused = await stack(dir, argv);
    expect(refused.status).toBe(1);
    expect(refused.err).toBe(
      'stack: development: docker-compose.dev.yml:6:7: service auth is defined in docker-compose.yml and docker-compose.dev.yml with a different environment.SMTP_USER ("${SMTP_USER}" and ""); the later file wins: environment.SMTP_USER "" (also environment.SMTP_PASS); make the files agree, or pass --accept-overrides if the later file is meant to override [STACK_ERR_MIGRATE_CONFLICT]\n',
    );
    const accepted = await stack(dir, [...argv, '--accept-overrides', '--write']);
    expect(accepted.status).toBe(0);
    expect(accepted.out).toMatch(/development +- +1 +equal\n/);
  });

  it('a depends_on list item with a variable stays a list item (Compose interpolates those, not mapping keys); where it cannot, migrate says why with the project\'s paths', SLOW, async () => {
    const dir = copyFixture('depends-variable');
    const merged = await stack(dir, ['migrate', '--env', 'production=docker-compose.yml', '--env', 'development=docker-compose.yml,docker-compose.dev.yml', '--write']);
    expect(merged.status).toBe(0);
    expect(merged.out).toMatch(/development +- +4 +equal\n/);
    expect(readFileSync(join(dir, 'docker-compose/services/docker-compose.app.yml'), 'utf8')).toContain('- ${DB_HOST:-db}\n');

    const other = copyFixture('depends-variable');
    const before = snapshot(other);
    const mixed = await stack(other, ['migrate', '--env', 'production=docker-compose.yml,docker-compose.healthy.yml', '--env', 'local=docker-compose.local.yml', '--accept-overrides', '--write']);
    expect(mixed.status).toBe(1);
    expect(mixed.out).toMatch(/production +- +4 +does not load\n/);
    expect(mixed.out).toContain(`production: ${join(other, 'docker-compose/environments/docker-compose.production.yml')}:13:7:`);
    // The scratch copy the proof loads is the project's path under a temporary root: never shown.
    expect(mixed.out).not.toContain(`root${other}`);
    expect(mixed.out).toContain("why: docker-compose/environments/docker-compose.production.yml: app's depends_on names ${DB_HOST:-db} with a variable");
    expect(snapshot(other)).toEqual(before);
  });
});

describe('stack migrate writes the same files wherever the project sits', () => {
  it('one fixture migrated in two folders, at two depths, gives trees equal byte for byte (an --env-file is named from the output folder)', SLOW, async () => {
    const argv = ['migrate', '--env', 'development=docker-compose.dev.yml', '--env', 'production=docker-compose.prod.yml', '--dotenv', 'development=env/dev.env', '--dotenv', 'production=env/prod.env', '--write'];
    const trees: Record<string, string>[] = [];
    for (const dir of [copyFixture('blog'), copyFixture('blog', 'one/more')]) {
      const result = await stack(dir, argv);
      expect(result.status, result.err).toBe(0);
      trees.push(fileTree(dir));
    }
    expect(trees[1]).toEqual(trees[0]);
    // The header named the --env-file by its absolute path, so the two trees differed there.
    expect(trees[0]!['.env.production']).toContain('\n# Its variables are those of env/prod.env, which the original files were used with.\n');
  });
});
