import { chmodSync, mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';

/** A file the native runner writes before anything starts: a secret copy, a config, a rendered template. */
export interface RuntimeFile {
  path: string;
  content: string | Buffer;
  /** 0o600 for anything holding a secret. */
  mode: number;
}

/** A folder the runner creates: a tmpfs stand-in, a data folder. */
export interface RuntimeDir {
  path: string;
  mode: number;
  /** Emptied at start (a tmpfs starts empty) rather than kept (data). */
  fresh?: boolean;
}

/**
 * Writes the files and folders of a plan. Folders holding secrets are created 0700 before any file
 * is written into them, and every file is written with its mode from the start (never world
 * readable for a moment).
 */
export function writeRuntimeFiles(dirs: readonly RuntimeDir[], files: readonly RuntimeFile[]): void {
  for (const dir of dirs) {
    if (dir.fresh) rmSync(dir.path, { recursive: true, force: true });
    mkdirSync(dir.path, { recursive: true, mode: dir.mode });
    chmodSync(dir.path, dir.mode);
  }
  for (const file of files) {
    mkdirSync(dirname(file.path), { recursive: true, mode: 0o755 });
    rmSync(file.path, { force: true });
    writeFileSync(file.path, file.content, { mode: file.mode, flag: 'wx' });
  }
}

/** Removes what a run wrote (secret copies above all) once it stopped. */
export function removeRuntimeDir(runDir: string): void {
  rmSync(runDir, { recursive: true, force: true });
}
