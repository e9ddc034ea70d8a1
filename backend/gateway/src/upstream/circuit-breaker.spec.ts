import { describe, expect, it } from 'vitest';
import { CircuitBreaker } from './circuit-breaker.js';

describe('CircuitBreaker', () => {
  it('stays closed below the threshold and opens at it', () => {
    const breaker = new CircuitBreaker(3, 10_000);
    breaker.recordFailure(0);
    breaker.recordFailure(0);
    expect(breaker.allowRequest(0)).toBe(true);
    breaker.recordFailure(0);
    expect(breaker.state).toBe('open');
    expect(breaker.allowRequest(5_000)).toBe(false);
    expect(breaker.retryAfterSeconds(5_000)).toBe(5);
  });

  it('a success resets the count of consecutive failures', () => {
    const breaker = new CircuitBreaker(2, 1_000);
    breaker.recordFailure(0);
    breaker.recordSuccess();
    breaker.recordFailure(0);
    expect(breaker.state).toBe('closed');
  });

  it('lets exactly one probe through after the cool-down; its success closes the breaker', () => {
    const breaker = new CircuitBreaker(1, 1_000);
    breaker.recordFailure(0);
    expect(breaker.allowRequest(1_000)).toBe(true);
    expect(breaker.state).toBe('half-open');
    expect(breaker.allowRequest(1_000)).toBe(false);
    breaker.recordSuccess();
    expect(breaker.state).toBe('closed');
    expect(breaker.allowRequest(1_001)).toBe(true);
  });

  it('a failed probe opens it again for a full cool-down', () => {
    const breaker = new CircuitBreaker(1, 1_000);
    breaker.recordFailure(0);
    expect(breaker.allowRequest(1_500)).toBe(true);
    breaker.recordFailure(1_500);
    expect(breaker.state).toBe('open');
    expect(breaker.allowRequest(2_400)).toBe(false);
    expect(breaker.allowRequest(2_500)).toBe(true);
    expect(breaker.opened).toBe(2);
  });
});
