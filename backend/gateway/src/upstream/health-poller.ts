import { request } from 'undici';
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
    const response = await request(replica.origin + healthPath, {
      dispatcher: replica.pool,
      method: 'GET',
      headersTimeout: timeout,
      bodyTimeout: timeout,
      headers: { 'user-agent': 'codiesvibe-gateway-health' },
    });
    await response.body.dump();
    replica.activelyHealthy = response.statusCode >= 200 && response.statusCode < 300;
    replica.lastProbeError = replica.activelyHealthy ? undefined : `health endpoint answered ${response.statusCode}`;
  } catch (error) {
    replica.activelyHealthy = false;
    replica.lastProbeError = (error as NodeJS.ErrnoException).code ?? (error as Error).message;
  }
}
