import { describe, expect, it } from 'vitest';
import { HealthRegistry } from './health-registry.js';

describe('HealthRegistry', () => {
  it('is ok with no checks', async () => {
    expect(await new HealthRegistry().check()).toEqual({ status: 'ok', checks: {} });
  });

  it('runs checks in parallel: each waits for the other to have started', async () => {
    let release: () => void = () => undefined;
    const bothStarted = new Promise<void>((resolve) => {
      let started = 0;
      release = () => {
        started += 1;
        if (started === 2) resolve();
      };
    });
    const waitForBoth = async () => {
      release();
      await bothStarted;
    };
    // Run one after the other, the first check would wait for the second forever and time out.
    const health = new HealthRegistry()
      .register('a', waitForBoth, { timeoutMs: 5000 })
      .register('b', waitForBoth, { timeoutMs: 5000 });
    const report = await health.check();
    expect(report.status).toBe('ok');
    expect(Object.keys(report.checks)).toEqual(['a', 'b']);
  });

  it('fails a check that exceeds its timeout and aborts its signal', async () => {
    let aborted = false;
    const health = new HealthRegistry().register(
      'slow',
      (signal) =>
        new Promise<void>((resolve) => {
          signal.addEventListener('abort', () => {
            aborted = true;
            resolve();
          });
        }),
      { timeoutMs: 20 },
    );
    const report = await health.check();
    expect(report).toMatchObject({
      status: 'down',
      failing: ['slow'],
      checks: { slow: { status: 'down', error: 'timed out after 20 ms' } },
    });
    expect(aborted).toBe(true);
  });

  it('reports details of a passing check and keeps a failing non-critical one at degraded', async () => {
    const health = new HealthRegistry()
      .register('store', () => ({ details: { mode: 'embedded' } }))
      .register('ollama', () => Promise.reject(new Error('ECONNREFUSED')), { critical: false });
    expect(await health.check()).toMatchObject({
      status: 'degraded',
      checks: {
        store: { status: 'up', details: { mode: 'embedded' } },
        ollama: { status: 'down', critical: false, error: 'ECONNREFUSED' },
      },
    });
  });

  it('names every failing critical check', async () => {
    const health = new HealthRegistry()
      .register('mongodb', () => {
        throw new Error('no primary');
      })
      .register('redis', () => Promise.reject(new Error('refused')));
    const report = await health.check();
    expect(report.failing).toEqual(['mongodb', 'redis']);
    expect(report.message).toBe('Not ready: mongodb is down (no primary); redis is down (refused)');
  });

  it('is not ready once draining', async () => {
    const health = new HealthRegistry();
    health.markDraining();
    expect(await health.check()).toMatchObject({
      status: 'down',
      failing: ['shutdown'],
      message: 'Not ready: shutting down',
    });
  });

  it('refuses a duplicate name', () => {
    const health = new HealthRegistry().register('db', () => undefined);
    expect(() => health.register('db', () => undefined)).toThrow('Health check "db" is already registered');
  });
});
