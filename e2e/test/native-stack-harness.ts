import { spawn, type ChildProcess } from 'node:child_process';
import { readFileSync, readdirSync, readlinkSync } from 'node:fs';
import { randomUUID } from 'node:crypto';
import { join } from 'node:path';

/** The repository root: e2e/ sits right below it. */
export const REPO_ROOT = join(import.meta.dirname, '..', '..');

/**
 * An environment variable every process started by this test file inherits, so a leftover can be
 * told from a process someone else runs in the same folder (a developer's shell, an editor).
 */
export const RUN_MARKER = { name: 'CODIESVIBE_E2E_RUN', value: randomUUID() };

/** The environment for a stack started by a test: the caller's, marked as this run's. */
export function markedEnv(env: NodeJS.ProcessEnv = {}): NodeJS.ProcessEnv {
  return { ...process.env, NO_COLOR: '1', ...env, [RUN_MARKER.name]: RUN_MARKER.value };
}

export interface RunningStack {
  child: ChildProcess;
  url: string;
  /** Milliseconds from spawn to "is up". */
  startupMs: number;
  exited: Promise<number | null>;
  output: () => string;
}

/**
 * Starts `command` (npm start, or the stack binary) in its own process group and resolves when it
 * prints the URL to open. Rejects with the output when it exits first or takes too long.
 */
export function startStack(argv: string[], env: NodeJS.ProcessEnv = {}, timeoutMs = 240_000): Promise<RunningStack> {
  const began = Date.now();
  const child = spawn(argv[0]!, argv.slice(1), {
    cwd: REPO_ROOT,
    env: markedEnv(env),
    stdio: ['ignore', 'pipe', 'pipe'],
    detached: true,
  });
  let output = '';
  const append = (chunk: Buffer) => (output = (output + chunk.toString()).slice(-200_000));
  child.stdout.on('data', append);
  const exited = new Promise<number | null>((resolve) => child.once('close', (code) => resolve(code)));
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`the stack was not up within ${timeoutMs} ms:\n${output.slice(-4000)}`)), timeoutMs);
    child.stderr.on('data', (chunk: Buffer) => {
      append(chunk);
      const match = /is up: open (\S+)/.exec(output);
      if (match) {
        clearTimeout(timer);
        resolve({ child, url: match[1]!, startupMs: Date.now() - began, exited, output: () => output });
      }
    });
    void exited.then((code) => {
      clearTimeout(timer);
      reject(new Error(`the stack exited with ${code} before it was up:\n${output.slice(-4000)}`));
    });
  });
}

export interface NativeProcessRecord {
  name: string;
  service: string;
  pid: number;
  port?: number;
  state: string;
}

/** The processes the running native stack recorded in its state file. */
export function nativeProcesses(project = 'codiesvibe', root = REPO_ROOT): NativeProcessRecord[] {
  const state = JSON.parse(readFileSync(join(root, '.stack', 'native', project, 'state.json'), 'utf8')) as {
    processes: NativeProcessRecord[];
  };
  return state.processes;
}

/** Parent pid and process group of a live process, from /proc/PID/stat. */
function statOf(pid: number): { ppid: number; pgrp: number } | undefined {
  const stat = readOrEmpty(`/proc/${pid}/stat`);
  if (!stat) return undefined;
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  return { ppid: Number(fields[1]), pgrp: Number(fields[2]) };
}

function livePids(): number[] {
  return readdirSync('/proc')
    .map(Number)
    .filter((pid) => Number.isInteger(pid) && pid > 0);
}

/** Live children of `pid` (nginx's workers under its master). */
export function childrenOf(pid: number): number[] {
  return livePids().filter((candidate) => statOf(candidate)?.ppid === pid);
}

/**
 * Live processes in any of these process groups. The native runner starts each service as the
 * leader of its own group, so a leftover shows here even when it rewrote its title and environment
 * (nginx does: the run marker is no longer readable in its workers).
 */
export function processesInGroups(groups: readonly number[]): { pid: number; command: string }[] {
  const wanted = new Set(groups);
  return livePids()
    .filter((pid) => wanted.has(statOf(pid)?.pgrp ?? -1))
    .map((pid) => ({ pid, command: readOrEmpty(`/proc/${pid}/cmdline`).split('\0').join(' ').trim() }));
}

/**
 * Every live process that this test run started in `root` (what `npm start` starts runs there and
 * inherits RUN_MARKER), apart from this test process and its ancestors.
 */
export function processesOfThisRun(root = REPO_ROOT): { pid: number; command: string }[] {
  const ancestors = new Set<number>();
  for (let pid = process.pid; pid > 1; ) {
    ancestors.add(pid);
    const stat = readOrEmpty(`/proc/${pid}/stat`);
    pid = Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1] ?? 0);
  }
  const found: { pid: number; command: string }[] = [];
  for (const entry of readdirSync('/proc')) {
    const pid = Number(entry);
    if (!Number.isInteger(pid) || ancestors.has(pid)) continue;
    let cwd: string;
    try {
      cwd = readlinkSync(`/proc/${pid}/cwd`);
    } catch {
      continue;
    }
    if (cwd !== root) continue;
    if (!readOrEmpty(`/proc/${pid}/environ`).split('\0').includes(`${RUN_MARKER.name}=${RUN_MARKER.value}`)) continue;
    found.push({ pid, command: readOrEmpty(`/proc/${pid}/cmdline`).split('\0').join(' ').trim() });
  }
  return found;
}

function readOrEmpty(path: string): string {
  try {
    return readFileSync(path, 'utf8');
  } catch {
    return '';
  }
}

export function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

/** Resident memory of a process in MiB, from /proc. */
export function residentMemoryMiB(pid: number): number {
  const status = readFileSync(`/proc/${pid}/status`, 'utf8');
  const kib = Number(/VmRSS:\s+(\d+)/.exec(status)?.[1] ?? 0);
  return kib / 1024;
}

/** Sends SIGINT to the whole group, as Ctrl-C in a terminal does, and waits for the exit status. */
export async function interrupt(stack: RunningStack): Promise<number | null> {
  process.kill(-stack.child.pid!, 'SIGINT');
  return stack.exited;
}
