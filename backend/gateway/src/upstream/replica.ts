import { UpstreamConnectionPool } from './upstream-connection-pool.js';

/** How a replica's connection pool is tuned; one pool per replica, reused by every request. */
export interface ReplicaPoolOptions {
  connections: number;
}

/** Why a replica is out of rotation, as reported by /health/ready. */
export type ReplicaStatus = 'up' | 'ejected' | 'unhealthy';

/**
 * One address of an upstream: its keep-alive connection pool plus the state the balancer and
 * the health logic keep about it. Plain mutable fields, because they change on every request.
 */
export class Replica {
  readonly pool: UpstreamConnectionPool;
  /** Requests sent and not yet finished (the least-outstanding balancer reads this). */
  outstanding = 0;
  consecutiveFailures = 0;
  /** Epoch ms until which passive ejection keeps the replica out; 0 when not ejected. */
  ejectedUntil = 0;
  /** Result of the last active probe of its health endpoint; optimistic until the first probe. */
  activelyHealthy = true;
  lastProbeError: string | undefined;
  ejections = 0;
  requests = 0;

  constructor(
    /** `http://address:port`, the key of the replica in its upstream. */
    readonly origin: string,
    options: ReplicaPoolOptions,
  ) {
    this.pool = new UpstreamConnectionPool(origin, { connections: options.connections, connectTimeoutMs: 2_000, keepAliveMs: 30_000 });
  }

  isAvailable(now: number): boolean {
    return this.activelyHealthy && (this.ejectedUntil === 0 || now >= this.ejectedUntil);
  }

  status(now: number): ReplicaStatus {
    if (!this.activelyHealthy) return 'unhealthy';
    return this.ejectedUntil !== 0 && now < this.ejectedUntil ? 'ejected' : 'up';
  }

  recordSuccess(): void {
    if (this.consecutiveFailures !== 0) this.consecutiveFailures = 0;
    if (this.ejectedUntil !== 0) this.ejectedUntil = 0;
  }

  /**
   * Counts a failed exchange; returns true when this failure ejects the replica. A replica back
   * from a cool-down is on probation: its next failure ejects it again at once.
   */
  recordFailure(now: number, threshold: number, cooldownMs: number): boolean {
    this.consecutiveFailures++;
    if (this.consecutiveFailures < threshold) return false;
    if (this.ejectedUntil !== 0 && now < this.ejectedUntil) return false;
    this.ejectedUntil = now + cooldownMs;
    this.consecutiveFailures = threshold - 1;
    this.ejections++;
    return true;
  }

  async close(): Promise<void> {
    await this.pool.close();
  }
}
