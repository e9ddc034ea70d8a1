export type BreakerState = 'closed' | 'open' | 'half-open';

/** Numeric value of each state, as exported in `gateway_circuit_breaker_state`. */
export const BREAKER_STATE_VALUE: Record<BreakerState, number> = { closed: 0, 'half-open': 1, open: 2 };

/**
 * Stops sending traffic to an upstream that keeps failing. Counts consecutive failed exchanges;
 * at `failureThreshold` it opens for `cooldownMs`, then lets a single probe through (half-open):
 * the probe's success closes it, its failure opens it again.
 */
export class CircuitBreaker {
  state: BreakerState = 'closed';
  private consecutiveFailures = 0;
  private openUntil = 0;
  private probeInFlight = false;
  /** How many times the breaker opened, for /metrics. */
  opened = 0;

  constructor(
    private readonly failureThreshold: number,
    private readonly cooldownMs: number,
  ) {}

  /** Whether a request may go to the upstream now. In half-open state, only the first caller. */
  allowRequest(now: number): boolean {
    if (this.state === 'closed') return true;
    if (this.state === 'open') {
      if (now < this.openUntil) return false;
      this.state = 'half-open';
      this.probeInFlight = false;
    }
    if (this.probeInFlight) return false;
    this.probeInFlight = true;
    return true;
  }

  recordSuccess(): void {
    this.consecutiveFailures = 0;
    if (this.state !== 'closed') {
      this.state = 'closed';
      this.probeInFlight = false;
    }
  }

  recordFailure(now: number): void {
    this.consecutiveFailures++;
    if (this.state === 'half-open' || (this.state === 'closed' && this.consecutiveFailures >= this.failureThreshold)) {
      this.state = 'open';
      this.openUntil = now + this.cooldownMs;
      this.probeInFlight = false;
      this.opened++;
    }
  }

  /** Whole seconds until the breaker lets a probe through, for `Retry-After` (at least 1). */
  retryAfterSeconds(now: number): number {
    return Math.max(1, Math.ceil((this.openUntil - now) / 1000));
  }
}
