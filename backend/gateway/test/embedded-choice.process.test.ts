import { freePort, startSourceProcess } from '@codiesvibe/shared/testing';
import { describe, expect, it } from 'vitest';

/*
 * No silent fallback in production (CODIESVIBE_EMBEDDED, see backend/shared): the gateway as a
 * real process without REDIS_URL.
 */
const GATEWAY_ROOT = new URL('..', import.meta.url).pathname;
const DEAD = 'http://127.0.0.1:9';
const upstreams = { API_UPSTREAM: DEAD, AI_UPSTREAM: DEAD, MCP_UPSTREAM: DEAD, FRONTEND_UPSTREAM: DEAD };

describe('gateway without REDIS_URL', () => {
  it('refuses to start in production with one line naming REDIS_URL', async () => {
    const gateway = startSourceProcess('src/main.ts', {
      cwd: GATEWAY_ROOT,
      env: { NODE_ENV: 'production', ...upstreams },
    });
    expect(await gateway.exited).toBe(1);
    expect(gateway.stderr()).toBe(
      'gateway: Invalid environment: REDIS_URL is required in production (or REDIS_URL_FILE); to run without it on purpose, list it in CODIESVIBE_EMBEDDED\n',
    );
  }, 60_000);

  it('starts in production when CODIESVIBE_EMBEDDED lists REDIS_URL, and says so once', async () => {
    const port = await freePort();
    const gateway = startSourceProcess('src/main.ts', {
      cwd: GATEWAY_ROOT,
      env: {
        NODE_ENV: 'production',
        LOG_LEVEL: 'info',
        HOST: '127.0.0.1',
        PORT: String(port),
        CODIESVIBE_EMBEDDED: 'REDIS_URL',
        ...upstreams,
      },
    });
    try {
      await expect
        .poll(
          async () => (await fetch(`http://127.0.0.1:${port}/health/live`).catch(() => undefined))?.status,
          { timeout: 60_000, interval: 200 },
        )
        .toBe(200);
    } finally {
      gateway.child.kill('SIGTERM');
    }
    expect(await gateway.exited).toBe(0);
    const said = gateway
      .stdout()
      .split('\n')
      .filter((line) =>
        line.includes(
          'REDIS_URL listed in CODIESVIBE_EMBEDDED: rate limits are counted in this process only',
        ),
      );
    expect(said).toHaveLength(1);
  }, 60_000);
});
