import { mkdirSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { ProcessStatus } from './process-supervisor.js';

export type NativePhase = 'building' | 'starting' | 'running' | 'stopping' | 'stopped' | 'failed';

/** What a running native stack records so that `ps`, `logs` and `down` in another shell find it. */
export interface NativeState {
  project: string;
  environment?: string;
  supervisorPid: number;
  phase: NativePhase;
  /** One line, when phase is `failed`. */
  error?: string;
  startedAt: number;
  entrypointUrl?: string;
  embedded: { service: string; replacement: string }[];
  processes: ProcessStatus[];
  /** The release a `stack deploy` asked for, while and after the supervisor runs it. */
  release?: ReleaseProgress;
}

/** How far the supervisor is with a release (`stack deploy` polls it). */
export interface ReleaseProgress {
  id: string;
  phase: 'starting' | 'switching' | 'draining' | 'done' | 'failed';
  /** What happened so far, one line each, for the deploy command to print. */
  lines: string[];
  error?: string;
  /** The last lines of the process that failed. */
  lastLines?: string[];
}

/** Where one project's native state and logs live: `<npm root>/.stack/native/<project>/`. */
export class NativeStateStore {
  readonly dir: string;

  constructor(root: string, project: string) {
    this.dir = join(root, '.stack', 'native', project);
  }

  get logDir(): string {
    return join(this.dir, 'logs');
  }

  get supervisorLog(): string {
    return join(this.dir, 'supervisor.log');
  }

  read(): NativeState | undefined {
    try {
      return JSON.parse(readFileSync(join(this.dir, 'state.json'), 'utf8')) as NativeState;
    } catch {
      return undefined;
    }
  }

  /** The state of a stack whose supervisor is still alive, or undefined. */
  readLive(): NativeState | undefined {
    const state = this.read();
    return state && isProcessAlive(state.supervisorPid) ? state : undefined;
  }

  /** Written through a rename, so a reader never sees half a file. */
  write(state: NativeState): void {
    mkdirSync(this.dir, { recursive: true });
    const temporary = join(this.dir, `state.json.${process.pid}`);
    writeFileSync(temporary, JSON.stringify(state, null, 2));
    renameSync(temporary, join(this.dir, 'state.json'));
  }

  /** Clears the previous run's logs, so `stack logs` shows this run only. */
  resetLogs(): void {
    rmSync(this.logDir, { recursive: true, force: true });
    mkdirSync(this.logDir, { recursive: true });
  }
}

export function isProcessAlive(pid: number): boolean {
  // kill(0) would signal our own process group: never a live supervisor.
  if (!Number.isInteger(pid) || pid <= 0) return false;
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}
