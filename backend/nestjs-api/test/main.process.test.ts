import { mkdtemp, readdir, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { ToolPage } from '@codiesvibe/shared/domain';
import { startSourceProcess } from '@codiesvibe/shared/testing';
import { describe, expect, it } from 'vitest';
import { loadSeedTools } from '../src/seed/seed-data.js';
import { freePort } from './support/redis-server.js';
import { sampleTool } from './tool-repository.contract.js';

/*
 * src/main.ts as a real process, as `stack` runs it natively: config validation at start, the
 * embedded store on disk, and a graceful SIGTERM.
 */
const packageDir = new URL('..', import.meta.url).pathname;
const ADMIN_KEY = 'process-test-admin-key-42';

function startMain(env: Record<string, string>) {
  return startSourceProcess('src/main.ts', {
    cwd: packageDir,
    env: { NODE_ENV: 'test', LOG_LEVEL: 'warn', ...env },
  });
}

async function untilReady(url: string): Promise<void> {
  await expect
    .poll(async () => (await fetch(`${url}/health/ready`).catch(() => undefined))?.status, {
      timeout: 60_000,
      interval: 200,
    })
    .toBe(200);
}

describe('nestjs-api process', () => {
  it('refuses a bad environment with one line per variable and exit code 1', async () => {
    const main = startMain({ PORT: 'abc', MONGODB_URI: 'http://not-mongo', ADMIN_API_KEY: 'short' });
    expect(await main.exited).toBe(1);
    const lines = main.stderr().trim().split('\n');
    expect(lines).toHaveLength(3);
    expect(lines[0]).toMatch(/^nestjs-api: Invalid environment: PORT="abc" is not a port/);
    expect(main.stderr()).toContain('MONGODB_URI');
    expect(main.stderr()).not.toContain('short');
    expect(main.stderr()).not.toMatch(/\n\s+at /);
  }, 60_000);

  it('in production, refuses to start without MONGODB_URI with one line naming it (no silent fallback)', async () => {
    const main = startMain({
      NODE_ENV: 'production',
      REDIS_URL: 'redis://127.0.0.1:9',
      ADMIN_API_KEY: ADMIN_KEY,
    });
    expect(await main.exited).toBe(1);
    expect(main.stderr()).toBe(
      'nestjs-api: Invalid environment: MONGODB_URI is required in production (or MONGODB_URI_FILE); to run without it on purpose, list it in CODIESVIBE_EMBEDDED\n',
    );
  }, 60_000);

  it('in production, starts on the embedded store and cache that CODIESVIBE_EMBEDDED lists, and says so once', async () => {
    const dataDir = await mkdtemp(join(tmpdir(), 'nestjs-api-embedded-choice-'));
    const port = await freePort();
    try {
      const main = startMain({
        NODE_ENV: 'production',
        LOG_LEVEL: 'info',
        HOST: '127.0.0.1',
        PORT: String(port),
        DATA_DIR: dataDir,
        ADMIN_API_KEY: ADMIN_KEY,
        CODIESVIBE_EMBEDDED: 'MONGODB_URI,REDIS_URL',
      });
      try {
        await untilReady(`http://127.0.0.1:${port}`);
      } finally {
        main.child.kill('SIGTERM');
      }
      expect(await main.exited).toBe(0);
      const said = (text: string) =>
        main
          .stdout()
          .split('\n')
          .filter((line) => line.includes(text)).length;
      expect(said('MONGODB_URI listed in CODIESVIBE_EMBEDDED: using the embedded store')).toBe(1);
      expect(said('REDIS_URL listed in CODIESVIBE_EMBEDDED: using an in-process cache')).toBe(1);
    } finally {
      await rm(dataDir, { recursive: true, force: true });
    }
  }, 120_000);

  // Persistence across a restart is covered in-process (tools-api.test.ts): one start is enough here.
  it('seeds the embedded store on disk, answers, and exits 0 on SIGTERM', async () => {
    const dataDir = await mkdtemp(join(tmpdir(), 'nestjs-api-main-'));
    const port = await freePort();
    const url = `http://127.0.0.1:${port}`;
    try {
      const main = startMain({
        HOST: '127.0.0.1',
        PORT: String(port),
        DATA_DIR: dataDir,
        ADMIN_API_KEY: ADMIN_KEY,
      });
      try {
        await untilReady(url);
        const page = (await (await fetch(`${url}/api/tools?limit=1`)).json()) as ToolPage;
        expect(page.total).toBe(loadSeedTools().length);
        const created = await fetch(`${url}/api/tools`, {
          method: 'POST',
          headers: { 'content-type': 'application/json', authorization: `Bearer ${ADMIN_KEY}` },
          body: JSON.stringify(sampleTool('made-by-process-test')),
        });
        expect(created.status).toBe(201);
      } finally {
        main.child.kill('SIGTERM');
      }
      expect(await main.exited).toBe(0);
      expect(await readdir(dataDir)).toContain('tools.sqlite');
    } finally {
      await rm(dataDir, { recursive: true, force: true });
    }
  }, 120_000);
});
