import { describe, expect, it } from 'vitest';
import { batchFor, RateLimiter } from './rate-limiter.js';

describe('RateLimiter without shared counters (one instance)', () => {
  const WINDOW = 60_000;
  const start = 1_000 * WINDOW; // the start of a window

  it('admits exactly the limit per key and window, then says when the window resets', () => {
    const limiter = new RateLimiter({ windowMs: WINDOW });
    const answers = Array.from({ length: 5 }, (_, index) => limiter.take('a:1', 3, start + index));
    expect(answers.slice(0, 3)).toEqual([true, true, true]);
    expect(answers[3]).toBe(WINDOW - 3);
    expect(limiter.take('a:2', 3, start + 10)).toBe(true);
    // A new window starts a new budget.
    expect(limiter.take('a:1', 3, start + WINDOW)).toBe(true);
    limiter.close();
  });

  it('stops tracking new keys past maxKeys instead of growing without bound', () => {
    const limiter = new RateLimiter({ windowMs: WINDOW, maxKeys: 2 });
    expect(limiter.take('a:1', 1, start)).toBe(true);
    expect(limiter.take('a:2', 1, start)).toBe(true);
    expect(limiter.take('a:3', 1, start)).toBe(true);
    expect(limiter.take('a:3', 1, start)).toBe(true);
    expect(limiter.take('a:1', 1, start)).toBe(WINDOW);
    limiter.close();
  });
});

describe('batchFor', () => {
  it('is 5% of the limit, at least 1 and at most the configured batch', () => {
    expect(batchFor(600, 100)).toBe(30);
    expect(batchFor(3_000, 100)).toBe(100);
    expect(batchFor(4, 100)).toBe(1);
    expect(batchFor(1_000_000, 50)).toBe(50);
  });
});
