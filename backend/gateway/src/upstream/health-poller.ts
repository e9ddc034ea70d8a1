import type { UpstreamConnectionPool } from './upstream-connection-pool.js';
import type { Upstream } from './upstream.js';

/**
 * Active health checking: every `intervalMs` each replica's health endpoint is fetched; a replica
 * that does not answer 2xx in time leaves rotation until a later probe succeeds.
 */
export class HealthPoller {
  private timer: NodeJS.Timeout | undefined;
  private running = false;

  constructor(
    private readonly upstreams: readonly { upstream: Upstream; healthPath: string }[],
    private readonly intervalMs: number,
  ) {}

  start(): void {
    this.timer = setInterval(() => void this.pollAll(), this.intervalMs);
    this.timer.unref();
  }

  stop(): void {
    if (this.timer) clearInterval(this.timer);
    this.timer = undefined;
  }

  /** Probes every replica of every upstream once, in parallel. Overlapping rounds are skipped. */
  async pollAll(): Promise<void> {
    if (this.running) return;
    this.running = true;
    try {
      const probes = this.upstreams.flatMap(({ upstream, healthPath }) => upstream.replicas.map((replica) => probe(replica, healthPath, this.intervalMs)));
      await Promise.all(probes);
    } finally {
      this.running = false;
    }
  }
}

async function probe(replica: Upstream['replicas'][number], healthPath: string, intervalMs: number): Promise<void> {
  const timeout = Math.min(2_000, Math.max(200, intervalMs));
  try {
    // Through the replica's own pool, so a probe also proves the path real traffic takes.
    const statusCode = await probeStatus(replica.pool, healthPath, timeout);
    replica.activelyHealthy = statusCode >= 200 && statusCode < 300;
    replica.lastProbeError = replica.activelyHealthy ? undefined : `health endpoint answered ${statusCode}`;
  } catch (error) {
    replica.activelyHealthy = false;
    replica.lastProbeError = (error as NodeJS.ErrnoException).code ?? (error as Error).message;
  }
}

/** GETs `path` through `pool` and resolves with the status once the whole answer is read. */
function probeStatus(pool: UpstreamConnectionPool, path: string, timeoutMs: number): Promise<number> {
  return new Promise((resolve, reject) => {
    let statusCode = 0;
    pool.dispatch(
      { method: 'GET', path, headers: { 'user-agent': 'codiesvibe-gateway-health' }, body: null, headersTimeoutMs: timeoutMs, bodyTimeoutMs: timeoutMs },
      {
        onConnect: () => undefined,
        onHeaders: (status) => {
          statusCode = status;
          return true;
        },
        onData: () => true,
        onComplete: () => resolve(statusCode),
        onError: reject,
      },
    );
  });
}
