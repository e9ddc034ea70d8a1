import { spawn, type ChildProcess } from 'node:child_process';
import { fileURLToPath } from 'node:url';

const FIXTURE = fileURLToPath(new URL('./fixtures/fixture-service.ts', import.meta.url));
const PACKAGE_DIR = fileURLToPath(new URL('..', import.meta.url));

/** A fixture service running as a real child process, with its output collected line by line. */
export interface FixtureProcess {
  child: ChildProcess;
  stdoutLines: string[];
  stderr: () => string;
  /** Resolves with the first JSON log line matching `predicate`. */
  waitForLog: (predicate: (line: Record<string, unknown>) => boolean) => Promise<Record<string, unknown>>;
  /** Resolves with the exit code (or signal name) once the process is gone. */
  exited: Promise<number | string>;
  /** JSON log lines so far. */
  logs: () => Record<string, unknown>[];
}

/** Starts `test/fixtures/fixture-service.ts` under tsx with exactly `env` (plus PATH). */
export function startFixture(env: Record<string, string>): FixtureProcess {
  const child = spawn(process.execPath, ['--import', 'tsx', FIXTURE], {
    cwd: PACKAGE_DIR,
    env: { PATH: process.env.PATH ?? '', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const stdoutLines: string[] = [];
  let stderr = '';
  let pending = '';
  const waiters: {
    predicate: (line: Record<string, unknown>) => boolean;
    resolve: (line: Record<string, unknown>) => void;
  }[] = [];

  const parse = (line: string): Record<string, unknown> | undefined => {
    try {
      return JSON.parse(line) as Record<string, unknown>;
    } catch {
      return undefined;
    }
  };

  child.stdout.setEncoding('utf8').on('data', (chunk: string) => {
    pending += chunk;
    const lines = pending.split('\n');
    pending = lines.pop() ?? '';
    for (const line of lines) {
      stdoutLines.push(line);
      const parsed = parse(line);
      if (!parsed) continue;
      for (const waiter of [...waiters]) {
        if (waiter.predicate(parsed)) {
          waiters.splice(waiters.indexOf(waiter), 1);
          waiter.resolve(parsed);
        }
      }
    }
  });
  child.stderr.setEncoding('utf8').on('data', (chunk: string) => {
    stderr += chunk;
  });

  const exited = new Promise<number | string>((resolve) => {
    child.on('exit', (code, signal) => resolve(code ?? signal ?? 'unknown'));
  });

  return {
    child,
    stdoutLines,
    stderr: () => stderr,
    exited,
    logs: () => stdoutLines.map(parse).filter((line): line is Record<string, unknown> => line !== undefined),
    waitForLog: (predicate) =>
      new Promise((resolve, reject) => {
        const found = stdoutLines.map(parse).find((line) => line !== undefined && predicate(line));
        if (found) return resolve(found);
        waiters.push({ predicate, resolve });
        void exited.then((code) =>
          reject(new Error(`fixture exited (${code}) before the awaited log line; stderr: ${stderr}`)),
        );
      }),
  };
}
