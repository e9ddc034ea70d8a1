import {
  closeSync,
  existsSync,
  fchmodSync,
  fchownSync,
  fstatSync,
  fsyncSync,
  linkSync,
  lstatSync,
  mkdirSync,
  openSync,
  readlinkSync,
  renameSync,
  rmdirSync,
  rmSync,
  statSync,
  unlinkSync,
  writeFileSync,
  type Stats,
} from 'node:fs';
import { dirname, resolve } from 'node:path';
import { fileAccessReason, STACK_ERROR_CODES, StackError } from '../errors.js';

/** A file to write whole; `mode` when it needs one of its own (0600 for an env file with secrets). */
export interface FileToWrite {
  path: string;
  content: string;
  mode?: number;
  /** A new file: nothing may be at `path`, not even a file that appears while the others are written. */
  createOnly?: boolean;
}

/** A file renamed out of the way (`compose.yaml` → `compose.yaml.orig`). */
export interface FileToMove {
  from: string;
  to: string;
}

export interface WriteChanges {
  /** Renamed before any file is put in place: a file written may take the name one leaves. */
  moves: readonly FileToMove[];
  files: readonly FileToWrite[];
}

/** A change made on disk and how to take it back. */
interface DoneStep {
  undo: () => void;
  /** What is on disk when `undo` fails, so that nothing is lost without a word. */
  leftBehind: string;
}

/** A file's new content, written in full to a temporary file beside the place it goes. */
interface StagedFile {
  path: string;
  /** The path, or the file its symbolic link points to (writing in place went through the link). */
  destination: string;
  temporary: string;
  /** A regular file is there, to keep under another name until every file is in place. */
  replaces: boolean;
  createOnly: boolean;
}

/**
 * Writes every file and makes every move, or none: a project is never left half changed (half
 * migrated by `stack migrate --write`, a new service in some of its files by `stack new service`). Each
 * file's content goes to a temporary file in its destination's folder first (its mode set before
 * any content, and synced), so the errors of writing (permission, a full disk, a file where a
 * folder belongs) come before the project starts to change. Then the moves, then each temporary
 * file is renamed over its destination, an atomic step on one file system, the file it replaces
 * renamed aside first. When any step fails, the steps done are undone in reverse order: files
 * put back, the new ones and the temporary files removed, the folders created removed. Throws
 * one line naming the file and why; when undoing fails too, the line says which files are not
 * restored and where their content is.
 */
export function writeAllOrNothing(
  changes: WriteChanges,
  show: (path: string) => string = (path) => path,
): void {
  const done: DoneStep[] = [];
  const replaced: string[] = [];
  let step = '';
  try {
    const movedAway = new Set(changes.moves.map((move) => move.from));
    const staged = changes.files.map((file) => {
      step = `write ${show(file.path)}`;
      return stage(file, movedAway.has(file.path), done, show);
    });
    for (const move of changes.moves) {
      step = `set aside ${show(move.from)} as ${show(move.to)}`;
      moveAside(move, done, show);
    }
    for (const file of staged) {
      step = `write ${show(file.path)}`;
      const original = putInPlace(file, done, show);
      if (original) replaced.push(original);
    }
  } catch (error) {
    const leftBehind = rollBack(done);
    const outcome =
      leftBehind.length === 0
        ? 'nothing was changed'
        : `undoing it failed in part: ${leftBehind.join('; ')} (everything else is as it was)`;
    throw new StackError(
      STACK_ERROR_CODES.FILE_ACCESS,
      `cannot ${step}: ${reasonOf(error, show)}; ${outcome}`,
    );
  }
  for (const original of replaced) {
    try {
      rmSync(original, { force: true });
    } catch {
      // Every file is written: a replaced file's old content left beside it loses nothing.
    }
  }
}

function stage(
  file: FileToWrite,
  takesMovedName: boolean,
  done: DoneStep[],
  show: (path: string) => string,
): StagedFile {
  // The name a moved file leaves is free by the time this file takes it.
  const destination = takesMovedName ? file.path : followLinks(file.path);
  createFolders(dirname(destination), done, show);
  // A folder in the file's place is no original: renaming onto it fails, and everything is undone.
  const original = takesMovedName ? undefined : regularFile(destination);
  if (file.createOnly && (original || existsSync(destination))) throw new Error(`${show(file.path)} exists`);
  // A file replaced keeps its mode (and owner), as when it was written in place.
  const mode = file.mode ?? (original && original.mode & 0o7777);
  const { fd, path: temporary } = openFree(
    `${destination}.stack-new`,
    mode === undefined ? 0o666 : 0o600,
  );
  done.push({
    undo: () => rmSync(temporary, { force: true }),
    leftBehind: `the temporary file ${show(temporary)} is left`,
  });
  try {
    // The mode before the content: a secret is never readable by more than its mode allows.
    if (mode !== undefined) fchmodSync(fd, mode);
    if (original) keepOwner(fd, original);
    writeFileSync(fd, file.content);
    // On disk before the rename makes it the file: a crash then leaves the old content or the
    // new, never an empty file.
    fsyncSync(fd);
  } finally {
    closeSync(fd);
  }
  return { path: file.path, destination, temporary, replaces: original !== undefined, createOnly: file.createOnly === true };
}

function moveAside(move: FileToMove, done: DoneStep[], show: (path: string) => string): void {
  // The name was free when the plan was made; rename would replace a file that took it since.
  if (existsSync(move.to)) throw new Error(`${show(move.to)} appeared meanwhile`);
  renameSync(move.from, move.to);
  done.push({
    undo: () => renameSync(move.to, move.from),
    leftBehind: `${show(move.from)} is still set aside as ${show(move.to)}`,
  });
}

/** Renames a staged file over its destination; returns where the file it replaced is kept. */
function putInPlace(file: StagedFile, done: DoneStep[], show: (path: string) => string): string | undefined {
  let original: string | undefined;
  if (file.replaces) {
    const kept = freeName(`${file.destination}.stack-old`);
    renameSync(file.destination, kept);
    done.push({
      undo: () => renameSync(kept, file.destination),
      leftBehind: `${show(file.path)} is not restored: its original is ${show(kept)}`,
    });
    original = kept;
  }
  if (file.createOnly) renameNoReplace(file.temporary, file.destination, show);
  else renameSync(file.temporary, file.destination);
  // A file replaced is undone by renaming its original back over it (the step above).
  if (!file.replaces)
    done.push({
      undo: () => rmSync(file.destination, { force: true }),
      leftBehind: `the new ${show(file.path)} is left`,
    });
  return original;
}

// Where a file system has no hard links, a new file is put in place by a check and a rename.
const NO_HARD_LINKS = new Set(['EPERM', 'ENOTSUP', 'EOPNOTSUPP', 'ENOSYS', 'EXDEV', 'EMLINK']);

/**
 * Renames `from` to `to` only when nothing is there, even a file that appeared a moment ago: a hard
 * link, which fails when the name is taken, then the old name removed (rename would replace it).
 */
function renameNoReplace(from: string, to: string, show: (path: string) => string): void {
  try {
    linkSync(from, to);
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code ?? '';
    if (code === 'EEXIST') throw new Error(`${show(to)} appeared meanwhile`, { cause: error });
    if (!NO_HARD_LINKS.has(code)) throw error;
    if (existsSync(to)) throw new Error(`${show(to)} appeared meanwhile`, { cause: error });
    renameSync(from, to);
    return;
  }
  try {
    unlinkSync(from);
  } catch (error) {
    rmSync(to, { force: true });
    throw error;
  }
}

/** Undoes `done` from the last step; returns what could not be undone. */
function rollBack(done: readonly DoneStep[]): string[] {
  const leftBehind: string[] = [];
  for (const step of [...done].reverse()) {
    try {
      step.undo();
    } catch {
      leftBehind.push(step.leftBehind);
    }
  }
  return leftBehind;
}

/** Creates the folders missing on the way to `folder`, one by one, so each can be removed again. */
function createFolders(folder: string, done: DoneStep[], show: (path: string) => string): void {
  const missing: string[] = [];
  for (let dir = folder; !existsSync(dir) && dirname(dir) !== dir; dir = dirname(dir)) missing.unshift(dir);
  for (const dir of missing) {
    mkdirSync(dir);
    // rmdir, not rm -r: a folder someone else put a file in meanwhile stays, with the file.
    done.push({ undo: () => rmdirSync(dir), leftBehind: `the folder ${show(dir)} is left` });
  }
}

/** Opens a new file at `path`, or at `path.2`, `path.3`... when the name is taken; never one that exists. */
function openFree(path: string, mode: number): { fd: number; path: string } {
  for (let n = 1; ; n++) {
    const candidate = n === 1 ? path : `${path}.${n}`;
    try {
      return { fd: openSync(candidate, 'wx', mode), path: candidate };
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
    }
  }
}

function freeName(path: string): string {
  let candidate = path;
  for (let n = 2; existsSync(candidate); n++) candidate = `${path}.${n}`;
  return candidate;
}

/** The file at the end of `path`'s symbolic links, which writing in place wrote (the links stay). */
function followLinks(path: string): string {
  let target = path;
  // The kernel's limit: a loop of links then fails as it did when writing in place (ELOOP).
  for (let hops = 0; hops < 40 && isLink(target); hops++)
    target = resolve(dirname(target), readlinkSync(target));
  return target;
}

function isLink(path: string): boolean {
  try {
    return lstatSync(path).isSymbolicLink();
  } catch {
    // No file there (or no folder on the way, which making the folders reports with its name).
    return false;
  }
}

function regularFile(path: string): Stats | undefined {
  const stats = statSync(path, { throwIfNoEntry: false });
  return stats?.isFile() ? stats : undefined;
}

function keepOwner(fd: number, original: Stats): void {
  const staged = fstatSync(fd);
  if (staged.uid === original.uid && staged.gid === original.gid) return;
  try {
    fchownSync(fd, original.uid, original.gid);
  } catch {
    // Only root may give a file away; anyone else's replaced file becomes theirs, as a copy would.
  }
}

/** Why a step failed, as the user can act on it. */
function reasonOf(error: unknown, show: (path: string) => string): string {
  const reason = fileAccessReason(error);
  if (reason === undefined) return (error as Error).message;
  // A folder on the way is named: the file's name does not say which folder could not be made.
  const { syscall, path } = error as NodeJS.ErrnoException;
  return syscall === 'mkdir' && path ? `${show(path)}: ${reason}` : reason;
}
