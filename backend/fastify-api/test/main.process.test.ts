import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { freePort, startSourceProcess } from '@codiesvibe/shared/testing';

/*
 * src/main.ts as a real process, as `stack` runs it natively: config validation at start,
 * health endpoints, and a graceful SIGTERM.
 */
const packageDir = new URL('..', import.meta.url).pathname;

function startMain(env: Record<string, string>) {
  return startSourceProcess('src/main.ts', {
    cwd: packageDir,
    env: { NODE_ENV: 'test', LOG_LEVEL: 'warn', ...env },
  });
}

describe('fastify-api process', () => {
  it('refuses a bad environment with one line per variable and exit code 1', async () => {
    const main = startMain({ PORT: 'abc', MCP_SERVER_URL: 'not a url' });
    expect(await main.exited).toBe(1);
    const lines = main.stderr().trim().split('\n');
    expect(lines.some((line) => /PORT="abc" is not a port/.test(line))).toBe(true);
    expect(lines.some((line) => line.includes('MCP_SERVER_URL'))).toBe(true);
    expect(main.stderr()).not.toMatch(/\n\s+at /); // no stack trace
  });

  it('serves health, is not ready without mcp-server, and exits 0 on SIGTERM', async () => {
    const dataDir = await mkdtemp(join(tmpdir(), 'fastify-api-main-'));
    const port = await freePort();
    const main = startMain({
      HOST: '127.0.0.1',
      PORT: String(port),
      DATA_DIR: dataDir,
      MCP_SERVER_URL: 'http://127.0.0.1:9/mcp',
    });
    try {
      const url = `http://127.0.0.1:${port}`;
      await expect
        .poll(async () => (await fetch(`${url}/health/live`).catch(() => undefined))?.status, {
          timeout: 60_000,
          interval: 200,
        })
        .toBe(200);
      const ready = await fetch(`${url}/health/ready`);
      expect(ready.status).toBe(503);
      expect(await ready.json()).toMatchObject({ failing: ['mcp-server'] });
      main.child.kill('SIGTERM');
      expect(await main.exited).toBe(0);
    } finally {
      if (main.child.exitCode === null) main.child.kill('SIGKILL');
      await rm(dataDir, { recursive: true, force: true });
    }
  });

  it('in production, refuses to start without MONGODB_URI with one line naming it', async () => {
    const main = startMain({ NODE_ENV: 'production', MCP_SERVER_URL: 'http://127.0.0.1:9/mcp' });
    expect(await main.exited).toBe(1);
    expect(main.stderr()).toBe(
      'fastify-api: Invalid environment: MONGODB_URI is required in production (or MONGODB_URI_FILE); to run without it on purpose, list it in CODIESVIBE_EMBEDDED\n',
    );
  });

  it('in production, runs on the embedded store CODIESVIBE_EMBEDDED lists, and says so once', async () => {
    const dataDir = await mkdtemp(join(tmpdir(), 'fastify-api-embedded-choice-'));
    const port = await freePort();
    const main = startMain({
      NODE_ENV: 'production',
      LOG_LEVEL: 'info',
      HOST: '127.0.0.1',
      PORT: String(port),
      DATA_DIR: dataDir,
      MCP_SERVER_URL: 'http://127.0.0.1:9/mcp',
      CODIESVIBE_EMBEDDED: 'MONGODB_URI',
    });
    try {
      await expect
        .poll(
          async () => (await fetch(`http://127.0.0.1:${port}/health/live`).catch(() => undefined))?.status,
          { timeout: 60_000, interval: 200 },
        )
        .toBe(200);
      main.child.kill('SIGTERM');
      expect(await main.exited).toBe(0);
      const lines = main
        .stdout()
        .split('\n')
        .filter((line) =>
          line.includes('MONGODB_URI listed in CODIESVIBE_EMBEDDED: using the embedded store'),
        );
      expect(lines).toHaveLength(1);
    } finally {
      if (main.child.exitCode === null) main.child.kill('SIGKILL');
      await rm(dataDir, { recursive: true, force: true });
    }
  });
});
