import { cpSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { runCli } from '../../src/main.js';
import { recordingIo } from '../architecture/repo-tree.js';

const FIXTURES = join(import.meta.dirname, 'fixtures');
const scratch: string[] = [];

/** A copy of fixture `name` in a temporary folder (in `subfolder` of it, when given), so a test may write into it. */
export function copyFixture(name: string, subfolder = '.'): string {
  const root = mkdtempSync(join(tmpdir(), 'stack-migrate-test-'));
  const dir = join(root, subfolder, name);
  cpSync(join(FIXTURES, name), dir, { recursive: true });
  scratch.push(root);
  return dir;
}

export function removeFixtureCopies(): void {
  for (const root of scratch.splice(0)) rmSync(root, { recursive: true, force: true });
}

/** Every file under `dir` with its content, to see that nothing was written. */
export function snapshot(dir: string): Record<string, string> {
  const out: Record<string, string> = {};
  const walk = (folder: string) => {
    for (const entry of readdirSync(folder)) {
      const path = join(folder, entry);
      if (statSync(path).isDirectory()) walk(path);
      else out[relative(dir, path)] = readFileSync(path, 'utf8');
    }
  };
  walk(dir);
  return out;
}

/** Runs `stack` in `cwd` (with `env` added to its environment); the exit status and what it printed. */
export async function stack(cwd: string, argv: string[], env: Record<string, string> = {}): Promise<{ status: number; out: string; err: string }> {
  const io = recordingIo(cwd);
  Object.assign(io.env, env);
  const status = await runCli(argv, io);
  return { status, out: io.out.join(''), err: io.err.join('') };
}

/** `stack config --format json` of `files` (the originals) as a value. */
export async function configOf(cwd: string, argv: string[], env: Record<string, string> = {}): Promise<unknown> {
  const result = await stack(cwd, [...argv, 'config', '--format', 'json'], env);
  if (result.status !== 0) throw new Error(`config failed: ${result.err}`);
  return JSON.parse(result.out);
}
