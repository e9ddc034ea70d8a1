import { spawn, type ChildProcess } from 'node:child_process';
import { freePort } from '@codiesvibe/shared/testing';

/** A started child process with its output kept for failure messages. */
export interface RunningProcess {
  child: ChildProcess;
  output: () => string;
  stop: () => Promise<void>;
}

/** Starts `argv` and keeps its output; `stop` sends SIGTERM and waits for the exit. */
export function startProcess(argv: readonly string[], options: { cwd?: string; env?: NodeJS.ProcessEnv } = {}): RunningProcess {
  const [command, ...args] = argv;
  const child = spawn(command as string, args, { cwd: options.cwd, env: options.env ?? process.env, stdio: ['ignore', 'pipe', 'pipe'] });
  let output = '';
  child.stdout?.on('data', (chunk: Buffer) => (output += chunk.toString()));
  child.stderr?.on('data', (chunk: Buffer) => (output += chunk.toString()));
  const exited = new Promise<void>((resolveExit) => child.once('exit', () => resolveExit()));
  return {
    child,
    output: () => output,
    stop: async () => {
      if (child.exitCode === null && child.signalCode === null) child.kill('SIGTERM');
      await exited;
    },
  };
}

/** Polls `url` until it answers (any status) or the process exits; throws with its output then. */
export async function waitForHttp(url: string, running: RunningProcess, attempts = 200): Promise<void> {
  for (let attempt = 0; attempt < attempts; attempt++) {
    if (running.child.exitCode !== null) throw new Error(`process exited (${running.child.exitCode}) before ${url} answered:\n${running.output()}`);
    try {
      await fetch(url);
      return;
    } catch {
      await new Promise((resolveDelay) => setTimeout(resolveDelay, 50));
    }
  }
  throw new Error(`${url} did not answer:\n${running.output()}`);
}

export { freePort };
