import { spawn, type ChildProcess } from 'node:child_process';

/** A child process running a TypeScript entry point of a workspace from its sources. */
export interface SourceProcess {
  child: ChildProcess;
  /** Resolves with the exit code (null when a signal ended it). */
  exited: Promise<number | null>;
  stdout(): string;
  stderr(): string;
}

/**
 * Runs `node --import tsx --conditions=@codiesvibe/source <script> ...args` in `cwd` with exactly
 * `env` (plus PATH), as a test's stand-in for a service process or replica, and collects its output.
 */
export function startSourceProcess(
  script: string,
  options: { cwd: string; args?: readonly string[]; env?: Record<string, string> },
): SourceProcess {
  const child = spawn(
    process.execPath,
    ['--import', 'tsx', '--conditions=@codiesvibe/source', script, ...(options.args ?? [])],
    {
      cwd: options.cwd,
      env: { PATH: process.env.PATH ?? '', ...options.env },
      stdio: ['ignore', 'pipe', 'pipe'],
    },
  );
  let stdout = '';
  let stderr = '';
  child.stdout?.on('data', (chunk: Buffer) => (stdout += chunk.toString('utf8')));
  child.stderr?.on('data', (chunk: Buffer) => (stderr += chunk.toString('utf8')));
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  return { child, exited, stdout: () => stdout, stderr: () => stderr };
}
