import { type ChildProcess, spawn } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { freePort } from '@codiesvibe/shared/testing';
import { seedSyntheticStore } from '../seed/synthetic-store.js';

/** A real nestjs-api child process with its embedded store (seeded) in a temporary DATA_DIR. */
export interface NestjsApiProcess {
  url: string;
  /** Bearer token for writes (PATCH /api/tools/:slug). */
  adminApiKey: string;
  stop(): Promise<void>;
}

// Starting from sources through tsx takes seconds, more on a busy shared machine.
const READY_TIMEOUT_MS = 90_000;

/** This package's folder: src/testing (or dist/testing) sits two levels below it. */
const NESTJS_API_DIR = join(dirname(fileURLToPath(import.meta.url)), '..', '..');

async function waitUntilReady(url: string, child: ChildProcess, output: () => string): Promise<void> {
  const deadline = Date.now() + READY_TIMEOUT_MS;
  while (Date.now() < deadline) {
    if (child.exitCode !== null)
      throw new Error(`nestjs-api exited with ${child.exitCode} before it was ready:\n${output()}`);
    try {
      const response = await fetch(`${url}/health/ready`, { signal: AbortSignal.timeout(2000) });
      await response.body?.cancel();
      if (response.ok) return;
    } catch {
      // not listening yet
    }
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
  throw new Error(`nestjs-api was not ready within ${READY_TIMEOUT_MS} ms:\n${output()}`);
}

/**
 * For the tests of services that read the directory (mcp-server, fastify-api).
 * Starts nestjs-api from its sources as `stack` runs it natively (main.ts seeds the embedded
 * store), on a free loopback port, and waits until it is ready.
 */
export async function startNestjsApi(
  options: { label?: string; adminApiKey?: string; /** Synthetic tools added beside the seed before the start. */ syntheticTools?: number } = {},
): Promise<NestjsApiProcess> {
  const label = options.label ?? 'tests';
  const dataDir = await mkdtemp(join(tmpdir(), `${label}-nestjs-api-`));
  if (options.syntheticTools) await seedSyntheticStore({ dataDir, count: options.syntheticTools });
  const port = await freePort();
  const url = `http://127.0.0.1:${port}`;
  const adminApiKey = options.adminApiKey ?? `${label}-admin-key`;
  const child = spawn(process.execPath, ['--import', 'tsx', '--conditions=@codiesvibe/source', 'src/main.ts'], {
    cwd: NESTJS_API_DIR,
    // A clean environment: a MONGODB_URI or REDIS_URL of the caller must not leak into the test.
    env: {
      PATH: process.env.PATH ?? '',
      NODE_ENV: 'test',
      LOG_LEVEL: 'warn',
      HOST: '127.0.0.1',
      PORT: String(port),
      DATA_DIR: dataDir,
      INSTANCE_ID: label,
      ADMIN_API_KEY: adminApiKey,
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  const collect = (chunk: Buffer) => {
    output = (output + chunk.toString('utf8')).slice(-4000);
  };
  child.stdout?.on('data', collect);
  child.stderr?.on('data', collect);

  const stop = async () => {
    if (child.exitCode === null && child.signalCode === null) {
      const exited = new Promise((resolve) => child.once('exit', resolve));
      child.kill('SIGTERM');
      const timer = setTimeout(() => child.kill('SIGKILL'), 15_000);
      await exited;
      clearTimeout(timer);
    }
    await rm(dataDir, { recursive: true, force: true });
  };
  try {
    await waitUntilReady(url, child, () => output);
  } catch (error) {
    await stop();
    throw error;
  }
  return { url, adminApiKey, stop };
}
