import { createServer } from 'node:net';
import { startSourceProcess } from '@codiesvibe/shared/testing';
import { describe, expect, it } from 'vitest';

/*
 * src/main.ts as a real process: a start that fails after the bootstrap has begun (here, the port
 * is taken) must end the process non-zero and say so in its last line, not log the exit code 0
 * of a clean shutdown.
 */
const GATEWAY_ROOT = new URL('..', import.meta.url).pathname;
const DEAD = 'http://127.0.0.1:9';

describe('gateway process', () => {
  it('a port already taken is a failed start: one fatal line naming it, exit 1, and the last line says exitCode 1', async () => {
    const taken = createServer();
    await new Promise<void>((resolve) => taken.listen(0, '127.0.0.1', resolve));
    const { port } = taken.address() as { port: number };
    try {
      const gateway = startSourceProcess('src/main.ts', {
        cwd: GATEWAY_ROOT,
        env: {
          NODE_ENV: 'development',
          HOST: '127.0.0.1',
          PORT: String(port),
          API_UPSTREAM: DEAD,
          AI_UPSTREAM: DEAD,
          MCP_UPSTREAM: DEAD,
          FRONTEND_UPSTREAM: DEAD,
        },
      });
      expect(await gateway.exited).toBe(1);
      const lines = gateway
        .stdout()
        .trim()
        .split('\n')
        .map((line) => JSON.parse(line) as Record<string, unknown>);
      expect(lines.filter((line) => line.level === 'fatal').map((line) => line.msg)).toEqual([
        `gateway failed to start: cannot listen on 127.0.0.1:${port} (EADDRINUSE)`,
      ]);
      expect(lines.at(-1)).toMatchObject({ msg: 'shutdown complete', exitCode: 1 });
      expect(gateway.stderr()).toBe('');
    } finally {
      taken.close();
    }
  }, 60_000);
});
