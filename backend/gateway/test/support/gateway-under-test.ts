import { createLogger } from '@codiesvibe/shared';
import type { FastifyInstance } from 'fastify';
import type { Redis } from 'ioredis';
import { buildApp } from '../../src/app.js';
import type { LineSink } from '../../src/observability/access-log.js';
import { readGatewayConfig } from '../../src/config/gateway.config.js';

/** Every upstream points at a closed port unless the test says otherwise. */
const DEAD = 'http://127.0.0.1:9';

/**
 * Builds the gateway with `env` (on top of test defaults: fast health polling and cool-downs)
 * and listens on a free loopback port.
 */
export async function startGateway(env: Record<string, string>, redis?: Redis, accessLogSink?: LineSink): Promise<{ app: FastifyInstance; url: string }> {
  const config = readGatewayConfig(
    {
      NODE_ENV: 'test',
      LOG_LEVEL: 'silent',
      INSTANCE_ID: 'gateway-test',
      API_UPSTREAM: DEAD,
      AI_UPSTREAM: DEAD,
      MCP_UPSTREAM: DEAD,
      FRONTEND_UPSTREAM: DEAD,
      HEALTH_POLL_MS: '200',
      EJECT_AFTER_FAILURES: '2',
      EJECT_COOLDOWN_MS: '500',
      ...env,
    },
    'throw',
  );
  const logger = createLogger({ service: 'gateway', env: config.NODE_ENV, instanceId: config.INSTANCE_ID, level: config.LOG_LEVEL });
  const app = buildApp({ config, logger, ...(redis ? { redis } : {}), ...(accessLogSink ? { accessLogSink } : {}) });
  await app.listen({ port: 0, host: '127.0.0.1' });
  const address = app.server.address();
  if (address === null || typeof address === 'string') throw new Error('gateway did not listen on TCP');
  return { app, url: `http://127.0.0.1:${address.port}` };
}

/** Resolves after `ms`; for waiting on background work, never for asserting speed. */
export const pause = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/**
 * Polls `probe` until it returns true, at most `attempts` times `intervalMs` apart; throws with
 * `what` when it never does.
 */
export async function eventually(what: string, probe: () => Promise<boolean>, attempts = 100, intervalMs = 100): Promise<void> {
  for (let attempt = 0; attempt < attempts; attempt++) {
    if (await probe()) return;
    await pause(intervalMs);
  }
  throw new Error(`never happened: ${what}`);
}
