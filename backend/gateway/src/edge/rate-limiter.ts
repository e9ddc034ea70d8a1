/*
 * Fixed-window rate limiting that decides every request locally and reconciles with the other
 * gateway instances in batches, so no request waits for a Redis round trip on the common path.
 *
 * Each instance keeps, per client key and window:
 *   known    the shared count Redis last reported (everyone's admissions, ours included);
 *   unacked  requests this instance admitted that Redis has not acknowledged yet (sent or not).
 * A request is admitted when `known + unacked < limit`. Admissions are pushed to Redis as one
 * INCRBY per key every `syncIntervalMs`, or as soon as a key has `batch / 2` unsent admissions;
 * Redis answers each key's new total, which becomes `known`. Since every instance pushes a
 * client's admissions within `syncIntervalMs`, a client spreading a modest rate over instances is
 * refused within a request or two of its limit; the bound below is for the worst interleaving.
 *
 * Worst-case over-admission. `unacked` never exceeds `batch` (a request that would exceed it
 * waits for the sync in flight, which is the only time a request waits on Redis). Take the
 * instance k whose last acknowledged sync before its last admission came last in Redis's order:
 * its `known` then covered every other instance's acknowledged admissions, so the window's total
 * is at most `known_k + unacked_k + Σ_{j≠k} unacked_j ≤ limit + (N − 1) × batch`. Hence, with N
 * gateway instances, a key gets at most `limit + (N − 1) × batch` requests per window (clocks in
 * sync; a fixed window also lets a client send up to twice the limit across a window boundary,
 * as any fixed-window limiter does). One instance alone is exact. `batchFor()` keeps `batch` at
 * 5% of the limit (at most RATE_LIMIT_SYNC_BATCH), so three instances over-admit by at most 10%.
 *
 * The bound holds while Redis answers within `syncTimeoutMs`. A sync that fails or takes longer
 * puts the limiter in degraded mode until a sync succeeds again: each instance then enforces the limit on its own
 * admissions (at most N × limit in total), never waits on Redis, and never fails a request; the
 * admissions made meanwhile are pushed once Redis is back.
 */

/** The shared side of the limiter: window counters that every gateway instance adds to. */
export interface SharedCounters {
  /**
   * Adds `deltas[i]` to the count of `keys[i]` in `window` (counts expire after `ttlMs`) and
   * resolves every key's new total, in order. Rejects when the store is unreachable.
   */
  add(window: number, keys: readonly string[], deltas: readonly number[], ttlMs: number): Promise<number[]>;
}

export interface RateLimiterOptions {
  windowMs: number;
  /** Shared counters (Redis); the limiter is exact and local to this process without them. */
  shared?: SharedCounters | undefined;
  /** Upper bound of the per-key batch (see `batchFor`). */
  maxBatch?: number;
  /** How often pending admissions are pushed to the shared counters. */
  syncIntervalMs?: number;
  /** How long a request may wait for a sync before the limiter decides alone (degraded). */
  syncTimeoutMs?: number;
  /** Keys tracked per window; beyond it, new keys are admitted without being counted. */
  maxKeys?: number;
  /** Called when the shared counters become unusable (once per outage) and usable again. */
  onSharedStateChange?: (usable: boolean, error?: Error) => void;
}

/** `true` when the request may pass, otherwise the milliseconds until its window resets. */
export type Admission = true | number;

/** The admissions of one key in the current window. */
class KeyCounter {
  known = 0;
  /** Admitted, not yet sent to the shared counters. */
  unsent = 0;
  /** Sent in the sync in flight, not yet acknowledged. */
  inFlight = 0;
  /** Requests waiting for the sync in flight because `unacked` reached the batch. */
  waiters: (() => void)[] | undefined;

  constructor(
    readonly key: string,
    readonly batch: number,
  ) {}
}

/**
 * The per-key batch for `limit`: 5% of it, at least 1, at most `maxBatch`. It bounds the
 * over-admission across N instances at `(N − 1) × batch` per window.
 */
export function batchFor(limit: number, maxBatch: number): number {
  return Math.max(1, Math.min(maxBatch, Math.floor(limit / 20)));
}

export class RateLimiter {
  private readonly windowMs: number;
  private readonly shared: SharedCounters | undefined;
  private readonly maxBatch: number;
  private readonly syncTimeoutMs: number;
  private readonly maxKeys: number;
  private readonly onSharedStateChange: ((usable: boolean, error?: Error) => void) | undefined;
  private window = -1;
  private counters = new Map<string, KeyCounter>();
  /** Keys with unsent admissions, pushed by the next sync. */
  private dirty = new Set<KeyCounter>();
  private syncing = false;
  /** A key reached its batch while a sync was in flight: sync again as soon as it returns. */
  private syncAgain = false;
  private degraded = false;
  private readonly timer: NodeJS.Timeout | undefined;

  constructor(options: RateLimiterOptions) {
    this.windowMs = options.windowMs;
    this.shared = options.shared;
    this.maxBatch = options.maxBatch ?? 1_000;
    this.syncTimeoutMs = options.syncTimeoutMs ?? 250;
    this.maxKeys = options.maxKeys ?? 200_000;
    this.onSharedStateChange = options.onSharedStateChange;
    if (this.shared !== undefined) {
      this.timer = setInterval(() => this.sync(), options.syncIntervalMs ?? 100);
      this.timer.unref();
    }
  }

  /**
   * Counts one request of `key` against `limit` per window. Answers at once, except when this
   * instance already holds a full batch of unacknowledged admissions for the key: then it
   * answers once the sync in flight returns (or times out).
   */
  take(key: string, limit: number, now: number): Admission | Promise<Admission> {
    const window = Math.floor(now / this.windowMs);
    if (window !== this.window) this.startWindow(window);
    let counter = this.counters.get(key);
    if (counter === undefined) {
      // Past maxKeys (a flood of distinct addresses), stop tracking rather than grow without bound.
      if (this.counters.size >= this.maxKeys) return true;
      counter = new KeyCounter(key, this.shared === undefined ? Number.POSITIVE_INFINITY : batchFor(limit, this.maxBatch));
      this.counters.set(key, counter);
    }
    const unacked = counter.unsent + counter.inFlight;
    const seen = counter.known + unacked;
    if (seen >= limit) return (window + 1) * this.windowMs - now;
    if (unacked >= counter.batch && !this.degraded) return this.waitForSync(counter, limit);
    this.admit(counter);
    return true;
  }

  private admit(counter: KeyCounter): void {
    counter.unsent++;
    if (this.shared === undefined) return;
    this.dirty.add(counter);
    // Degraded, only the timer retries Redis: no attempt per request while it is away.
    if (counter.unsent * 2 >= counter.batch && !this.degraded) {
      if (this.syncing) this.syncAgain = true;
      else this.sync();
    }
  }

  private waitForSync(counter: KeyCounter, limit: number): Promise<Admission> {
    if (!this.syncing) this.sync();
    else this.syncAgain = true;
    return new Promise((resolve) => {
      (counter.waiters ??= []).push(() => {
        const now = Date.now();
        resolve(this.take(counter.key, limit, now));
      });
    });
  }

  private startWindow(window: number): void {
    // Admissions of the previous window no longer matter to anyone: its shared count expires.
    const previous = this.counters;
    this.window = window;
    this.counters = new Map();
    this.dirty = new Set();
    for (const counter of previous.values()) releaseWaiters(counter);
  }

  /** Pushes every key's unsent admissions in one round trip and learns the shared totals. */
  private sync(): void {
    const shared = this.shared;
    if (shared === undefined || this.syncing) return;
    if (Math.floor(Date.now() / this.windowMs) !== this.window) this.startWindow(Math.floor(Date.now() / this.windowMs));
    if (this.dirty.size === 0) return;
    const batch = [...this.dirty];
    this.dirty = new Set();
    const keys: string[] = [];
    const deltas: number[] = [];
    for (const counter of batch) {
      keys.push(counter.key);
      deltas.push(counter.unsent);
      counter.inFlight += counter.unsent;
      counter.unsent = 0;
    }
    const window = this.window;
    const counters = this.counters;
    this.syncing = true;
    let settled = false;
    // Too slow to wait for: waiting requests are decided locally. Much too slow: the sync is
    // given up (its admissions are pushed again, so a late success counts them twice: that errs
    // toward refusing, never toward over-admitting).
    const slow = setTimeout(() => {
      this.enterDegraded(new Error(`the shared rate-limit counters did not answer within ${this.syncTimeoutMs} ms`));
      for (const counter of batch) releaseWaiters(counter);
    }, this.syncTimeoutMs);
    const lost = setTimeout(() => settle(undefined, new Error('the shared rate-limit counters never answered')), this.syncTimeoutMs * 8);
    const settle = (totals: number[] | undefined, error?: Error) => {
      if (settled) return;
      settled = true;
      clearTimeout(slow);
      clearTimeout(lost);
      this.syncing = false;
      const current = this.counters === counters && this.window === window;
      for (let index = 0; index < batch.length; index++) {
        const counter = batch[index]!;
        const sent = deltas[index]!;
        counter.inFlight -= sent;
        if (totals !== undefined) {
          // Our own sent admissions are inside the total now.
          counter.known = Math.max(counter.known, totals[index]!);
        } else if (current) {
          // Not counted by anyone else yet: count them locally and push them again later.
          counter.unsent += sent;
          this.dirty.add(counter);
        }
        releaseWaiters(counter);
      }
      if (totals !== undefined) this.leaveDegraded();
      else this.enterDegraded(error);
      const again = this.syncAgain && totals !== undefined;
      this.syncAgain = false;
      if (again) this.sync();
    };
    shared.add(window, keys, deltas, this.windowMs * 2).then(
      (totals) => settle(totals),
      (error: unknown) => settle(undefined, error instanceof Error ? error : new Error(String(error))),
    );
  }

  private enterDegraded(error?: Error): void {
    if (this.degraded) return;
    this.degraded = true;
    this.onSharedStateChange?.(false, error);
  }

  private leaveDegraded(): void {
    if (!this.degraded) return;
    this.degraded = false;
    this.onSharedStateChange?.(true);
  }

  /** Whether the limiter currently decides without the shared counters. */
  get isDegraded(): boolean {
    return this.degraded;
  }

  /** Stops the periodic sync (pending admissions are dropped: their window expires anyway). */
  close(): void {
    if (this.timer !== undefined) clearInterval(this.timer);
    for (const counter of this.counters.values()) releaseWaiters(counter);
  }
}

function releaseWaiters(counter: KeyCounter): void {
  const waiters = counter.waiters;
  if (waiters === undefined) return;
  counter.waiters = undefined;
  for (const waiter of waiters) waiter();
}
