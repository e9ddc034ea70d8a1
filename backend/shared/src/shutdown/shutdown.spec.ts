import { EventEmitter } from 'node:events';
import { describe, expect, it, vi } from 'vitest';
import { createShutdown } from './shutdown.js';

function setup(graceMs = 5000) {
  const signals = new EventEmitter();
  const exit = vi.fn<(code: number) => void>();
  const logger = { info: vi.fn(), warn: vi.fn(), error: vi.fn(), fatal: vi.fn() };
  const order: string[] = [];
  const shutdown = createShutdown({
    logger,
    graceMs,
    exit,
    signalSource: signals,
    onStart: () => order.push('onStart'),
  });
  return { signals, exit, logger, order, shutdown };
}

describe('createShutdown', () => {
  it('on SIGTERM closes resources in reverse order of registration, then exits 0', async () => {
    const { signals, exit, order, shutdown } = setup();
    shutdown.add('mongodb', () => order.push('mongodb'));
    shutdown.add('redis', async () => {
      await Promise.resolve();
      order.push('redis');
    });
    shutdown.add('http', () => order.push('http'));

    signals.emit('SIGTERM', 'SIGTERM');
    await vi.waitFor(() => expect(exit).toHaveBeenCalled());

    expect(order).toEqual(['onStart', 'http', 'redis', 'mongodb']);
    expect(exit).toHaveBeenCalledExactlyOnceWith(0);
    expect(signals.listenerCount('SIGTERM')).toBe(0);
  });

  it('closes the rest when one close throws, logs it, and exits 1', async () => {
    const { exit, logger, order, shutdown } = setup();
    shutdown.add('first', () => order.push('first'));
    shutdown.add('broken', () => {
      throw new Error('socket hang up');
    });

    expect(await shutdown.run('test')).toBe(1);
    expect(order).toEqual(['onStart', 'first']);
    expect(logger.error).toHaveBeenCalledWith(
      expect.objectContaining({ resource: 'broken' }),
      'failed to close',
    );
    expect(exit).toHaveBeenCalledExactlyOnceWith(1);
  });

  it('forces exit 1 with a logged error after the grace period', async () => {
    const { exit, logger, shutdown } = setup(10);
    shutdown.add('stuck', () => new Promise(() => undefined));

    void shutdown.run('test');
    await vi.waitFor(() => expect(exit).toHaveBeenCalledWith(1));
    expect(logger.error).toHaveBeenCalledWith(
      { graceMs: 10 },
      'shutdown did not finish within 10 ms: forcing exit',
    );
    shutdown.dispose();
  });

  it('runs once; a second signal exits 1 at once', async () => {
    const { signals, exit, shutdown } = setup();
    let release: () => void = () => undefined;
    shutdown.add('slow', () => new Promise<void>((resolve) => (release = resolve)));

    signals.emit('SIGINT', 'SIGINT');
    expect(shutdown.running).toBe(true);
    signals.emit('SIGTERM', 'SIGTERM');
    expect(exit).toHaveBeenCalledExactlyOnceWith(1);

    release();
    await vi.waitFor(() => expect(exit).toHaveBeenCalledTimes(2));
    expect(exit).toHaveBeenLastCalledWith(0);
  });

  it('logs a fatal error, closes everything and exits 1', async () => {
    const { signals, exit, logger, order, shutdown } = setup();
    shutdown.add('mongodb', () => order.push('mongodb'));
    const crash = new Error('undefined is not a function');

    signals.emit('uncaughtException', crash);
    await vi.waitFor(() => expect(exit).toHaveBeenCalled());

    expect(logger.fatal).toHaveBeenCalledWith({ err: crash }, 'fatal error: shutting down');
    expect(order).toEqual(['onStart', 'mongodb']);
    expect(exit).toHaveBeenCalledExactlyOnceWith(1);
    expect(signals.listenerCount('unhandledRejection')).toBe(0);
  });

  it('a failed start closes everything like a shutdown, then exits 1 and logs exit code 1', async () => {
    const { exit, logger, order, shutdown } = setup();
    shutdown.add('mongodb', () => order.push('mongodb'));

    expect(await shutdown.run('startup failure', { failed: true })).toBe(1);

    expect(order).toEqual(['onStart', 'mongodb']);
    expect(logger.info).toHaveBeenLastCalledWith({ exitCode: 1 }, 'shutdown complete');
    expect(exit).toHaveBeenCalledExactlyOnceWith(1);
  });
});
