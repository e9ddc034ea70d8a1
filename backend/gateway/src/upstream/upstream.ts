import { CircuitBreaker } from './circuit-breaker.js';
import { Replica, type ReplicaPoolOptions } from './replica.js';

/** The resilience settings of one upstream. */
export interface UpstreamPolicy {
  ejectAfterFailures: number;
  ejectCooldownMs: number;
  breakerFailures: number;
  breakerCooldownMs: number;
  pool: ReplicaPoolOptions;
}

/**
 * A named backend service and its replicas. Chooses a replica per request by least outstanding
 * requests, breaking ties round robin, and skips replicas that are ejected or failed their probe.
 */
export class Upstream {
  replicas: Replica[] = [];
  readonly breaker: CircuitBreaker;
  /** Requests sent a second time to another replica, for /metrics. */
  retries = 0;
  /** Replicas ejected by passive health checking, for /metrics. */
  ejections = 0;
  /** Where the replica list came from (`dns` name or `static` list) and the last resolution error. */
  resolutionError: string | undefined;
  private nextIndex = 0;

  constructor(
    readonly name: string,
    readonly policy: UpstreamPolicy,
  ) {
    this.breaker = new CircuitBreaker(policy.breakerFailures, policy.breakerCooldownMs);
  }

  /**
   * The available replica with the fewest requests in flight, starting the scan at a rotating
   * index so equal replicas share the load evenly. `exclude` is the replica a retry avoids.
   */
  pick(now: number, exclude?: Replica): Replica | undefined {
    const replicas = this.replicas;
    const count = replicas.length;
    if (count === 0) return undefined;
    const start = this.nextIndex++ % count;
    if (this.nextIndex >= 1_000_000_000) this.nextIndex = 0;
    let best: Replica | undefined;
    for (let offset = 0; offset < count; offset++) {
      const candidate = replicas[(start + offset) % count]!;
      if (candidate === exclude || !candidate.isAvailable(now)) continue;
      if (best === undefined || candidate.outstanding < best.outstanding) best = candidate;
    }
    return best;
  }

  /** Counts a failed attempt on `replica`; returns true when it ejected the replica. */
  replicaFailed(replica: Replica, now: number): boolean {
    const ejected = replica.recordFailure(now, this.policy.ejectAfterFailures, this.policy.ejectCooldownMs);
    if (ejected) this.ejections++;
    return ejected;
  }

  /**
   * Replaces the replica set with `origins`, keeping the state and pools of replicas that stay
   * and closing the pools of those that left (after their in-flight requests finish).
   */
  setOrigins(origins: readonly string[]): void {
    const current = new Map(this.replicas.map((replica) => [replica.origin, replica]));
    const next = origins.map((origin) => current.get(origin) ?? new Replica(origin, this.policy.pool));
    const kept = new Set(next);
    for (const replica of this.replicas) {
      if (!kept.has(replica)) void replica.close().catch(() => undefined);
    }
    this.replicas = next;
  }

  async close(): Promise<void> {
    const replicas = this.replicas;
    this.replicas = [];
    await Promise.all(replicas.map((replica) => replica.close()));
  }
}
