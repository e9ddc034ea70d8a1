import {
  chmodSync,
  fstatSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  readlinkSync,
  rmSync,
  symlinkSync,
  writeFileSync,
} from 'node:fs';
import type * as NodeFs from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { StackError } from '../../src/errors.js';
import {
  writeAllOrNothing,
  type FileToWrite,
  type WriteChanges,
} from '../../src/files/write-transaction.js';
import { fileTree } from '../support/file-tree.js';
import type { FsFaults } from '../support/fs-faults.js';

// Real files in a temporary folder. Three failures no file set-up gives as root (the tests run as
// root, where modes do not stop a write) go through this stand-in: a full disk, a rename back that
// fails while undoing, and a look at a file's mode at the moment its content is written.
const fault = vi.hoisted((): FsFaults => ({}));
vi.mock('node:fs', async (importOriginal) =>
  (await import('../support/fs-faults.js')).fsWithFaults(await importOriginal<typeof NodeFs>(), fault),
);

const dirs: string[] = [];
afterEach(() => {
  fault.rename = undefined;
  fault.write = undefined;
  for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
});

/** A project as `stack migrate` finds it: a monolith named compose.yaml, a private env file, a file --force replaces. */
function project(): string {
  const dir = mkdtempSync(join(tmpdir(), 'stack-write-transaction-'));
  dirs.push(dir);
  writeFileSync(join(dir, 'compose.yaml'), 'services:\n  api:\n    image: api\n');
  writeFileSync(join(dir, '.env.prod'), 'TOKEN=secret\n', { mode: 0o600 });
  chmodSync(join(dir, '.env.prod'), 0o600);
  writeFileSync(join(dir, 'notes.yml'), 'old: true\n');
  chmodSync(join(dir, 'notes.yml'), 0o640);
  mkdirSync(join(dir, 'config'));
  return dir;
}

/** What migrate --write does to that project: the monolith set aside, new files in new folders, files replaced. */
function migration(dir: string): WriteChanges {
  const files: FileToWrite[] = [
    { path: join(dir, 'compose.yaml'), content: 'include: [docker-compose/docker-compose.yml]\n' },
    {
      path: join(dir, 'docker-compose/docker-compose.yml'),
      content: 'include: [environments/docker-compose.prod.yml]\n',
    },
    {
      path: join(dir, 'docker-compose/services/docker-compose.api.yml'),
      content: 'services:\n  api:\n    image: api\n',
    },
    { path: join(dir, 'notes.yml'), content: 'old: false\n' },
    { path: join(dir, '.env.prod'), content: 'TOKEN=secret\nAPP_ENV=prod\n', mode: 0o600 },
    { path: join(dir, '.env.dev'), content: 'APP_ENV=dev\n', mode: 0o644 },
    { path: join(dir, 'docker-compose/environments/docker-compose.prod.yml'), content: 'services: {}\n' },
  ];
  return { moves: [{ from: join(dir, 'compose.yaml'), to: join(dir, 'compose.yaml.orig') }], files };
}

function failure(write: () => void): StackError {
  try {
    write();
  } catch (error) {
    return error as StackError;
  }
  throw new Error('the write did not fail');
}

const show = (dir: string) => (path: string) => relative(dir, path);

function errno(code: string, syscall: string, path: string): Error {
  return Object.assign(new Error(`${code}: ${syscall} '${path}'`), { code, syscall, path });
}

describe('writeAllOrNothing', () => {
  it('writes every file, sets aside the moved ones, keeps the mode of a file it replaces, and leaves nothing else', () => {
    const dir = project();
    writeAllOrNothing(migration(dir), show(dir));
    const after = fileTree(dir);
    expect(after['compose.yaml.orig']).toBe('644 services:\n  api:\n    image: api\n');
    expect(after['compose.yaml']).toBe('644 include: [docker-compose/docker-compose.yml]\n');
    expect(after['notes.yml']).toBe('640 old: false\n');
    expect(after['.env.prod']).toBe('600 TOKEN=secret\nAPP_ENV=prod\n');
    expect(after['.env.dev']).toBe('644 APP_ENV=dev\n');
    expect(after['docker-compose/services/docker-compose.api.yml']).toBe(
      '644 services:\n  api:\n    image: api\n',
    );
    expect(Object.keys(after).sort()).toEqual(
      [
        '.env.dev',
        '.env.prod',
        'compose.yaml',
        'compose.yaml.orig',
        'config/',
        'docker-compose/',
        'docker-compose/docker-compose.yml',
        'docker-compose/environments/',
        'docker-compose/environments/docker-compose.prod.yml',
        'docker-compose/services/',
        'docker-compose/services/docker-compose.api.yml',
        'notes.yml',
      ].sort(),
    );
  });

  it('writes through a symbolic link, as writing in place did: the link stays, its file gets the content', () => {
    const dir = project();
    writeFileSync(join(dir, 'config/prod.env'), 'TOKEN=secret\n');
    rmSync(join(dir, '.env.prod'));
    symlinkSync('config/prod.env', join(dir, '.env.prod'));
    writeAllOrNothing(migration(dir), show(dir));
    expect(readlinkSync(join(dir, '.env.prod'))).toBe('config/prod.env');
    expect(readFileSync(join(dir, 'config/prod.env'), 'utf8')).toBe('TOKEN=secret\nAPP_ENV=prod\n');
    expect(readdirSync(join(dir, 'config'))).toEqual(['prod.env']);

    // A link to a file not there yet: the file is created, where the link points.
    rmSync(join(dir, '.env.dev'));
    symlinkSync('config/dev.env', join(dir, '.env.dev'));
    writeAllOrNothing(
      { moves: [], files: [{ path: join(dir, '.env.dev'), content: 'APP_ENV=dev\n', mode: 0o600 }] },
      show(dir),
    );
    expect(fileTree(dir)).toMatchObject({
      '.env.dev': 'link → config/dev.env',
      'config/dev.env': '600 APP_ENV=dev\n',
    });
  });

  it('sets a file’s mode before any of its content is written, so a secret is never readable by others', () => {
    const dir = project();
    const modes: number[] = [];
    fault.write = (fd) => void modes.push(fstatSync(fd).mode & 0o777);
    writeAllOrNothing(
      {
        moves: [],
        files: [
          { path: join(dir, '.env.prod'), content: 'TOKEN=secret\n', mode: 0o600 },
          { path: join(dir, 'docker-compose/x.yml'), content: 'x\n', mode: 0o640 },
        ],
      },
      show(dir),
    );
    expect(modes).toEqual([0o600, 0o640]);
  });

  // A folder in the place of file N fails its rename, after the moves and the files before it are
  // in place: the latest point a failure can come. (File 0 takes the name of the monolith set aside.)
  it.each([1, 2, 3, 4, 5, 6])(
    'a failure at file %i leaves the project byte for byte as it was, compose.yaml not renamed',
    (index) => {
      const dir = project();
      const changes = migration(dir);
      const failing = changes.files[index]!;
      rmSync(failing.path, { force: true });
      mkdirSync(failing.path, { recursive: true });
      writeFileSync(join(failing.path, 'kept'), 'a file in the folder in the way\n');
      const before = fileTree(dir);
      const error = failure(() => writeAllOrNothing(changes, show(dir)));
      expect(error).toBeInstanceOf(StackError);
      expect(error.code).toBe('STACK_ERR_FILE_ACCESS');
      expect(error.message).toBe(
        `cannot write ${relative(dir, failing.path)}: is a folder where a file belongs (rename); nothing was changed`,
      );
      expect(fileTree(dir)).toEqual(before);
    },
  );

  it('a file where a folder belongs fails before anything changes, and the folders and temporary files made so far are removed', () => {
    const dir = project();
    writeFileSync(join(dir, 'config/nested'), 'a file, not a folder\n');
    const changes = migration(dir);
    // Staged last, once every other file is staged and its folders made.
    const files = [...changes.files, { path: join(dir, 'config/nested/deeper/x.yml'), content: 'x\n' }];
    const before = fileTree(dir);
    const error = failure(() => writeAllOrNothing({ ...changes, files }, show(dir)));
    expect(error.message).toBe(
      'cannot write config/nested/deeper/x.yml: config/nested/deeper: a part of the path is a file where a folder belongs (mkdir); nothing was changed',
    );
    expect(fileTree(dir)).toEqual(before);

    writeFileSync(join(dir, 'docker-compose'), 'a file, not a folder\n');
    const withFile = fileTree(dir);
    expect(failure(() => writeAllOrNothing(changes, show(dir))).message).toBe(
      'cannot write docker-compose/docker-compose.yml: a part of the path is a file where a folder belongs (stat); nothing was changed',
    );
    expect(fileTree(dir)).toEqual(withFile);
  });

  it('a full disk while writing the last file leaves the project as it was', () => {
    const dir = project();
    const changes = migration(dir);
    let writes = 0;
    fault.write = () => (++writes === changes.files.length ? errno('ENOSPC', 'write', '') : undefined);
    const before = fileTree(dir);
    const error = failure(() => writeAllOrNothing(changes, show(dir)));
    expect(error.message).toBe(
      'cannot write docker-compose/environments/docker-compose.prod.yml: no space left on the device (write); nothing was changed',
    );
    expect(fileTree(dir)).toEqual(before);
  });

  it('refuses to set a file aside over one that took its new name meanwhile', () => {
    const dir = project();
    const changes = migration(dir);
    writeFileSync(join(dir, 'compose.yaml.orig'), 'appeared\n');
    const before = fileTree(dir);
    expect(failure(() => writeAllOrNothing(changes, show(dir))).message).toBe(
      'cannot set aside compose.yaml as compose.yaml.orig: compose.yaml.orig appeared meanwhile; nothing was changed',
    );
    expect(fileTree(dir)).toEqual(before);
  });

  it('keeps a file that appears where a new file goes while the others are written, and writes nothing', () => {
    const dir = project();
    const changes = migration(dir);
    const files = changes.files.map((file) => ({ ...file, createOnly: file.path.endsWith('docker-compose.api.yml') }));
    const before = fileTree(dir);
    // Someone else writes the new service file after it was staged, before it is put in place.
    let writes = 0;
    const appearing = join(dir, 'docker-compose/services/docker-compose.api.yml');
    fault.write = () => {
      if (++writes === files.length) writeFileSync(appearing, 'theirs\n');
      return undefined;
    };
    const error = failure(() => writeAllOrNothing({ moves: changes.moves, files }, show(dir)));
    expect(error.message).toBe(
      'cannot write docker-compose/services/docker-compose.api.yml: docker-compose/services/docker-compose.api.yml appeared meanwhile; ' +
        'undoing it failed in part: the folder docker-compose/services is left; the folder docker-compose is left (everything else is as it was)',
    );
    // Their file is kept as they wrote it, so the folders the writer made are kept around it.
    expect(fileTree(dir)).toEqual({
      ...before,
      'docker-compose/': '755',
      'docker-compose/services/': '755',
      'docker-compose/services/docker-compose.api.yml': '644 theirs\n',
    });
  });

  it('refuses a new file whose place is already taken before changing anything', () => {
    const dir = project();
    const before = fileTree(dir);
    const files = [{ path: join(dir, 'notes.yml'), content: 'new\n', createOnly: true }];
    const error = failure(() => writeAllOrNothing({ moves: [], files }, show(dir)));
    expect(error.message).toBe('cannot write notes.yml: notes.yml exists; nothing was changed');
    expect(fileTree(dir)).toEqual(before);
  });

  it('when undoing fails too, says which files are not restored and where their content is, and keeps it there', () => {
    const dir = project();
    const changes = migration(dir);
    const last = changes.files.at(-1)!;
    mkdirSync(last.path, { recursive: true });
    writeFileSync(join(last.path, 'kept'), 'x\n');
    fault.rename = (from, to) =>
      (from.endsWith('.stack-old') && to.endsWith('.env.prod')) || from.endsWith('compose.yaml.orig')
        ? errno('EIO', 'rename', from)
        : undefined;
    const before = fileTree(dir);
    const error = failure(() => writeAllOrNothing(changes, show(dir)));
    expect(error.message).toBe(
      'cannot write docker-compose/environments/docker-compose.prod.yml: is a folder where a file belongs (rename); undoing it failed in part: ' +
        '.env.prod is not restored: its original is .env.prod.stack-old; compose.yaml is still set aside as compose.yaml.orig (everything else is as it was)',
    );
    // The monolith is kept under its new name, and .env.prod's original beside the new one.
    const { 'compose.yaml': monolith, '.env.prod': original, ...rest } = before;
    expect(fileTree(dir)).toEqual({
      ...rest,
      'compose.yaml.orig': monolith,
      '.env.prod': '600 TOKEN=secret\nAPP_ENV=prod\n',
      '.env.prod.stack-old': original,
    });
  });
});
