import { spawnSync } from 'node:child_process';
import { chmodSync, existsSync, mkdirSync, writeFileSync } from 'node:fs';
import type * as NodeFs from 'node:fs';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { fileTree } from '../support/file-tree.js';
import type { FsFaults } from '../support/fs-faults.js';
import { copyFixture, removeFixtureCopies, stack } from './migrate-fixture.js';

// Real files in a copy of a fixture. A failure once the project has started to change (the renames
// that put files in place) is one no file set-up gives, so that one rename is made to fail here.
const fault = vi.hoisted((): FsFaults => ({}));
vi.mock('node:fs', async (importOriginal) =>
  (await import('../support/fs-faults.js')).fsWithFaults(await importOriginal<typeof NodeFs>(), fault),
);

afterEach(() => {
  fault.rename = undefined;
});
afterAll(removeFixtureCopies);

// Migration loads every environment several times over: seconds on a busy machine.
const SLOW = { timeout: 60_000 };

const STACK_BIN = join(import.meta.dirname, '..', '..', 'bin', 'stack.js');

/** A monolith named compose.yaml (set aside by --write), a second environment's file and env file. */
const MONOLITH = [
  'migrate',
  '--env',
  'development=compose.yaml',
  '--env',
  'production=compose.yaml,compose.prod.yaml',
  '--env-file',
  'production=.env.prod',
  '--accept-overrides',
  '--write',
];

/** The monolith with a private .env, and a .env.development of other content, which --force replaces. */
function monolithWithEnvFile(): string {
  const dir = copyFixture('monolith-compose-yaml');
  chmodSync(join(dir, '.env'), 0o600);
  writeFileSync(join(dir, '.env.development'), 'SECRET_KEY=keep-me\n');
  return dir;
}

describe('stack migrate --write is all or nothing', () => {
  // The files are put in place in the plan's order: 5 base, infra and environment files, the
  // layout's root, compose.yaml, then .env.development (replaced) and .env.production.
  it.each([
    [1, 'docker-compose/services/docker-compose.web.yml'],
    [7, 'compose.yaml'],
    [8, '.env.development'],
    [9, '.env.production'],
  ])(
    'a failure putting file %i (%s) in place undoes the others: the project is byte for byte as before, compose.yaml not set aside',
    SLOW,
    async (failing, file) => {
      const dir = monolithWithEnvFile();
      const before = fileTree(dir);
      let renames = 0;
      fault.rename = (from) =>
        from.includes('.stack-new') && ++renames === failing
          ? Object.assign(new Error('ENOSPC: rename'), { code: 'ENOSPC', syscall: 'rename', path: from })
          : undefined;
      const result = await stack(dir, [...MONOLITH, '--force']);
      expect(result.status).toBe(1);
      expect(result.err).toBe(
        `stack: cannot write ${file}: no space left on the device (rename); nothing was changed [STACK_ERR_FILE_ACCESS]\n`,
      );
      expect(result.out).toBe('');
      expect(fileTree(dir)).toEqual(before);
    },
  );

  it(
    'a file where a folder of the tree belongs stops the write before anything changes, with one line',
    SLOW,
    async () => {
      const dir = monolithWithEnvFile();
      mkdirSync(join(dir, 'docker-compose'));
      writeFileSync(join(dir, 'docker-compose/environments'), 'a file where the tree needs a folder\n');
      const before = fileTree(dir);
      const result = await stack(dir, [...MONOLITH, '--force']);
      expect(result.status).toBe(1);
      expect(result.err).toBe(
        'stack: cannot write docker-compose/environments/docker-compose.development.yml: a part of the path is a file where a folder belongs (stat); nothing was changed [STACK_ERR_FILE_ACCESS]\n',
      );
      expect(fileTree(dir)).toEqual(before);
    },
  );
});

describe('stack migrate --write through the stack binary', () => {
  beforeAll(() => {
    if (!existsSync(join(import.meta.dirname, '..', '..', 'dist', 'bundle', 'stack.js')))
      throw new Error('stack is not built: run `npm run build -w stack/compose -w stack/cli` first');
  });

  const run = (dir: string, args: string[]) =>
    spawnSync(STACK_BIN, args, {
      cwd: dir,
      env: { PATH: process.env.PATH, HOME: process.env.HOME, NO_COLOR: '1' },
      encoding: 'utf8',
      timeout: 60_000,
    });

  it('fails with one line, no stack trace, exit status 1, and leaves the project as it was', SLOW, () => {
    const dir = monolithWithEnvFile();
    mkdirSync(join(dir, 'docker-compose'));
    writeFileSync(join(dir, 'docker-compose/environments'), 'a file where the tree needs a folder\n');
    const before = fileTree(dir);
    const result = run(dir, [...MONOLITH, '--force']);
    expect(result.stderr).toBe(
      'stack: cannot write docker-compose/environments/docker-compose.development.yml: a part of the path is a file where a folder belongs (stat); nothing was changed [STACK_ERR_FILE_ACCESS]\n',
    );
    expect(result.status).toBe(1);
    expect(fileTree(dir)).toEqual(before);
  });

  it('writes the same tree as the command run in this process', SLOW, async () => {
    const [binary, inProcess] = [monolithWithEnvFile(), monolithWithEnvFile()];
    const result = run(binary, [...MONOLITH, '--force']);
    expect(result.stderr).toBe('');
    expect(result.status).toBe(0);
    expect((await stack(inProcess, [...MONOLITH, '--force'])).status).toBe(0);
    // .env.production names the env file it takes its variables from by its absolute path.
    const tree = fileTree(binary);
    const inProcessTree = JSON.parse(
      JSON.stringify(fileTree(inProcess)).replaceAll(inProcess, binary),
    ) as Record<string, string>;
    expect(tree).toEqual(inProcessTree);
    expect(tree['compose.yaml.orig']).toMatch(/^644 .*A Django shop as one compose.yaml/s);
    // The mode of the env file it takes its variables from.
    expect(tree['.env.development']).toMatch(/^600 /);
    expect(Object.keys(tree).filter((path) => /\.stack-(new|old)/.test(path))).toEqual([]);
  });
});
