import type { Replica } from '../upstream/replica.js';
import type { Upstream } from '../upstream/upstream.js';

/**
 * Remembers which replica issued a session id (a response header such as `mcp-session-id`) so
 * later requests carrying that id reach the same replica. Bounded: the oldest entries go first.
 */
export class SessionAffinity {
  private readonly origins = new Map<string, string>();

  constructor(
    /** Lower-case header name carrying the session id in both directions. */
    readonly header: string,
    private readonly capacity = 10_000,
  ) {}

  /** The replica bound to this session, when it is still in the upstream and available. */
  replicaFor(sessionId: string, upstream: Upstream, now: number): Replica | undefined {
    const origin = this.origins.get(sessionId);
    if (origin === undefined) return undefined;
    return upstream.replicas.find((replica) => replica.origin === origin && replica.isAvailable(now));
  }

  remember(sessionId: string, replica: Replica): void {
    if (this.origins.get(sessionId) === replica.origin) return;
    this.origins.delete(sessionId);
    this.origins.set(sessionId, replica.origin);
    if (this.origins.size > this.capacity) {
      const oldest = this.origins.keys().next().value;
      if (oldest !== undefined) this.origins.delete(oldest);
    }
  }

  forget(sessionId: string): void {
    this.origins.delete(sessionId);
  }
}
