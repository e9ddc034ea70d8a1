/*
 * One coarse timer for every upstream connection's deadline. `socket.setTimeout` re-arms a Node
 * timer (a new Timeout and a bound callback) each time it is called, and the pool called it three
 * times per request (waiting for the head, reading the body, idling); under the bench that was a
 * visible share of the gateway's CPU. Here a connection only stores the time its current wait ends,
 * and a single interval, running while any connection is open, fails the ones past due. The price is
 * precision: a deadline fires up to one tick late, which is far below the timeouts it enforces.
 */

/** A connection with a deadline: `deadlineAt` (ms since the epoch, Infinity for none) is read each tick. */
export interface DeadlineWatched {
  deadlineAt: number;
  onDeadline(): void;
}

export class DeadlineSweeper {
  private readonly watched = new Set<DeadlineWatched>();
  private timer: NodeJS.Timeout | undefined;

  constructor(readonly tickMs: number) {}

  /** Connections watched now, for tests: a closed connection must not stay here. */
  get size(): number {
    return this.watched.size;
  }

  /** Whether the interval runs; it stops once nothing is watched, so an idle process has no timer. */
  get running(): boolean {
    return this.timer !== undefined;
  }

  watch(item: DeadlineWatched): void {
    this.watched.add(item);
    if (this.timer === undefined) {
      this.timer = setInterval(() => this.sweep(), this.tickMs);
      // A deadline must not keep the process alive on its own, just as a socket timeout does not.
      this.timer.unref();
    }
  }

  unwatch(item: DeadlineWatched): void {
    this.watched.delete(item);
    if (this.watched.size === 0 && this.timer !== undefined) {
      clearInterval(this.timer);
      this.timer = undefined;
    }
  }

  private sweep(): void {
    const now = Date.now();
    for (const item of this.watched) {
      if (item.deadlineAt <= now) {
        // Disarmed before the call, so a handler that does not re-arm is not called again.
        item.deadlineAt = Number.POSITIVE_INFINITY;
        item.onDeadline();
      }
    }
  }
}

/** The process's sweeper; 25 ms keeps a 150 ms timeout within 17% and costs 40 wake-ups a second while connections exist. */
export const upstreamDeadlines = new DeadlineSweeper(25);
