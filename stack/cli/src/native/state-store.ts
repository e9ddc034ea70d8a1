import { mkdirSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { basename, join } from 'node:path';
import { STACK_ERROR_CODES, StackError } from '../errors.js';
import type { ProcessStatus } from './process-supervisor.js';

export type NativePhase = 'building' | 'starting' | 'running' | 'stopping' | 'stopped' | 'failed';

/** What a running native stack records so that `ps`, `logs` and `down` in another shell find it. */
export interface NativeState {
  project: string;
  environment?: string;
  supervisorPid: number;
  /**
   * When the supervisor started, as the kernel counts it (see {@link processStartTime}): a pid
   * alone names another process once the supervisor is gone and the pid is reused (after a reboot,
   * a state file left in .stack/ names whatever runs under that pid now).
   */
  supervisorStartTime?: string;
  phase: NativePhase;
  /** One line, when phase is `failed`. */
  error?: string;
  startedAt: number;
  entrypointUrl?: string;
  embedded: { service: string; replacement: string }[];
  processes: ProcessStatus[];
  /** The release a `stack deploy` asked for, while and after the supervisor runs it. */
  release?: ReleaseProgress;
  /** Set when state.json could not be read and this state comes from supervisor.pid: why. */
  unreadable?: string;
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
  private pidWritten: number | undefined;

  constructor(root: string, project: string) {
    this.dir = join(root, '.stack', 'native', project);
  }

  get logDir(): string {
    return join(this.dir, 'logs');
  }

  get supervisorLog(): string {
    return join(this.dir, 'supervisor.log');
  }

  /**
   * The recorded state; undefined when no stack ever ran here. A state.json that does not parse
   * (cut short by a full disk, edited by hand) while its supervisor may still run is read from
   * `supervisor.pid` instead, so `down` can still stop it (it said "no native stack is running"
   * and left every process running); without that file it is an error naming the file.
   */
  read(): NativeState | undefined {
    const file = join(this.dir, 'state.json');
    let text: string | undefined;
    try {
      text = readFileSync(file, 'utf8');
    } catch (error) {
      const code = (error as NodeJS.ErrnoException).code ?? '';
      // ENOTDIR: a file where .stack/ belongs; no state can be there (writing it is what fails).
      if (code === 'ENOENT' || code === 'ENOTDIR') return undefined;
      if (code !== 'EISDIR') throw error;
    }
    let problem = 'a folder, not a file';
    if (text !== undefined) {
      try {
        const state = JSON.parse(text) as Partial<NativeState> | null;
        if (typeof state?.supervisorPid === 'number' && Array.isArray(state.processes)) return state as NativeState;
        problem = 'not a state of a native stack';
      } catch (error) {
        problem = `not valid JSON: ${(error as Error).message}`;
      }
    }
    const supervisor = this.readSupervisorPid();
    if (supervisor) return { ...supervisor, project: basename(this.dir), phase: 'running', startedAt: 0, embedded: [], processes: [], unreadable: `${file}: ${problem}` };
    throw new StackError(
      STACK_ERROR_CODES.NATIVE,
      `${file}: ${problem}; a stack it describes may still run: stop its processes by hand (pgrep -af '${this.dir}'), then delete the file`,
    );
  }

  private readSupervisorPid(): Pick<NativeState, 'supervisorPid' | 'supervisorStartTime'> | undefined {
    try {
      const [pid, startTime] = readFileSync(join(this.dir, 'supervisor.pid'), 'utf8').trim().split(' ');
      const supervisorPid = Number(pid);
      return Number.isInteger(supervisorPid) && supervisorPid > 0 ? { supervisorPid, ...(startTime ? { supervisorStartTime: startTime } : {}) } : undefined;
    } catch {
      return undefined;
    }
  }

  /**
   * The state of a stack whose supervisor is still alive, or undefined. A live pid that is not the
   * supervisor that wrote the state (another start time, or not a `stack` process) is a stale
   * state: `down` must never signal it.
   */
  readLive(): NativeState | undefined {
    const state = this.read();
    return state && isProcessAlive(state.supervisorPid) && isSupervisorOf(state) ? state : undefined;
  }

  /** Written through a rename, so a reader never sees half a file. */
  write(state: NativeState): void {
    mkdirSync(this.dir, { recursive: true });
    if (state.supervisorPid === process.pid) {
      state.supervisorStartTime ??= processStartTime(process.pid);
      // Beside the state, in a file written once: what `down` needs when state.json is damaged.
      if (this.pidWritten !== process.pid) {
        writeFileSync(join(this.dir, 'supervisor.pid'), `${process.pid} ${state.supervisorStartTime ?? ''}\n`);
        this.pidWritten = process.pid;
      }
    }
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

/**
 * When process `pid` started, in clock ticks since boot (field 22 of Linux's /proc/PID/stat), or
 * undefined where there is no /proc (macOS) or no such process. Together with the pid it names one
 * process for as long as the machine runs.
 */
export function processStartTime(pid: number): string | undefined {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    // The command name (field 2) is in parentheses and may hold spaces: count from the last one.
    return stat.slice(stat.lastIndexOf(')') + 2).split(' ')[19];
  } catch {
    return undefined;
  }
}

/** Whether the live process `state.supervisorPid` is the supervisor that wrote `state`, as far as this system tells. */
function isSupervisorOf(state: NativeState): boolean {
  const started = processStartTime(state.supervisorPid);
  if (started === undefined) return true;
  if (state.supervisorStartTime !== undefined) return started === state.supervisorStartTime;
  // A state written before the start time was recorded: the supervisor is a `stack` process.
  try {
    return readFileSync(`/proc/${state.supervisorPid}/cmdline`, 'utf8').includes('stack');
  } catch {
    return true;
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
