import { createRequire } from 'node:module';
import { Writable } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { createRequestContext, runWithRequestContext } from '../context/request-context.js';
import { createLogger } from './logger.js';

function capture() {
  const lines: Record<string, unknown>[] = [];
  const destination = new Writable({
    write(chunk: Buffer, _encoding, callback) {
      for (const line of chunk.toString('utf8').split('\n').filter(Boolean))
        lines.push(JSON.parse(line) as Record<string, unknown>);
      callback();
    },
  });
  return { lines, destination };
}

describe('createLogger', () => {
  it('writes JSON lines with service, env, instance, ISO time and a string level', () => {
    const { lines, destination } = capture();
    createLogger({ service: 'gateway', env: 'production', instanceId: 'gw-2', destination }).info(
      { upstream: 'api' },
      'ready',
    );
    expect(lines).toEqual([
      {
        level: 'info',
        time: expect.stringMatching(/^\d{4}-\d\d-\d\dT/) as string,
        service: 'gateway',
        env: 'production',
        instanceId: 'gw-2',
        upstream: 'api',
        msg: 'ready',
      },
    ]);
  });

  it('adds request and trace ids inside a request context only', () => {
    const { lines, destination } = capture();
    const logger = createLogger({ service: 's', env: 'test', instanceId: 'i', destination });
    const context = createRequestContext({ 'x-request-id': 'req-7' });
    runWithRequestContext(context, () => logger.child({ component: 'repo' }).warn('slow query'));
    logger.info('outside');
    expect(lines[0]).toMatchObject({
      requestId: 'req-7',
      traceId: context.traceId,
      component: 'repo',
      level: 'warn',
    });
    expect(lines[1]).not.toHaveProperty('requestId');
  });

  it('respects the level and redacts credentials', () => {
    const { lines, destination } = capture();
    const logger = createLogger({ service: 's', env: 'test', instanceId: 'i', level: 'warn', destination });
    logger.info('dropped');
    logger.warn({ req: { headers: { authorization: 'Bearer abc' } }, body: { password: 'hunter2' } }, 'kept');
    expect(lines).toHaveLength(1);
    expect(JSON.stringify(lines[0])).not.toMatch(/abc|hunter2/);
    expect(lines[0]).toMatchObject({
      req: { headers: { authorization: '[redacted]' } },
      body: { password: '[redacted]' },
    });
  });

  it('loads pino-pretty only when a logger asks for readable lines', () => {
    const require = createRequire(import.meta.url);
    const prettyModule = require.resolve('pino-pretty');
    const { destination } = capture();
    createLogger({ service: 's', env: 'development', instanceId: 'i', destination }).info('json line');
    createLogger({ service: 's', env: 'production', instanceId: 'i', pretty: false });
    expect(require.cache[prettyModule]).toBeUndefined();
    createLogger({ service: 's', env: 'development', instanceId: 'i', pretty: true });
    expect(require.cache[prettyModule]).toBeDefined();
  });
});
