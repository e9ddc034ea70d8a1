import type { Registry } from 'prom-client';
import { BREAKER_STATE_VALUE } from '../upstream/circuit-breaker.js';
import type { Upstream } from '../upstream/upstream.js';

/*
 * The proxy's hot path only bumps numbers in preallocated arrays (no label hashing, no objects);
 * prom-client reads them at scrape time through metric objects that implement its `get()`.
 */

/** Latency buckets in seconds, tuned for an API gateway (sub-millisecond to slow AI streams). */
const LATENCY_BUCKETS = [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30] as const;

/** Gateway-originated failures counted per route. */
export type ProxyErrorKind = 'timeout' | 'unreachable' | 'no_replica' | 'circuit_open' | 'aborted';
const ERROR_KINDS: readonly ProxyErrorKind[] = ['timeout', 'unreachable', 'no_replica', 'circuit_open', 'aborted'];

/** Counters of one route (one upstream behind it). */
export class RouteStats {
  /** Responses by exact status code (index = status). */
  readonly byStatus = new Float64Array(600);
  readonly latencyBuckets = new Float64Array(LATENCY_BUCKETS.length);
  latencyCount = 0;
  latencySum = 0;
  readonly errors: Record<ProxyErrorKind, number> = { timeout: 0, unreachable: 0, no_replica: 0, circuit_open: 0, aborted: 0 };

  constructor(
    readonly route: string,
    readonly upstream: Upstream,
  ) {}

  /** Records one finished request: its status (0 when the client saw none) and its duration. */
  observe(statusCode: number, seconds: number): void {
    if (statusCode > 0 && statusCode < 600) this.byStatus[statusCode]!++;
    this.latencyCount++;
    this.latencySum += seconds;
    for (let index = 0; index < LATENCY_BUCKETS.length; index++) {
      if (seconds <= LATENCY_BUCKETS[index]!) {
        this.latencyBuckets[index]!++;
        return;
      }
    }
  }
}

interface MetricValue {
  metricName?: string;
  labels: Record<string, string | number>;
  value: number;
}

function snapshotMetric(name: string, help: string, type: 'counter' | 'gauge' | 'histogram', collect: () => MetricValue[]) {
  return {
    name,
    help,
    type,
    aggregator: 'sum' as const,
    get: () => ({ name, help, type, aggregator: 'sum' as const, values: collect() }),
    reset: () => undefined,
  };
}

/** Registers the gateway's metrics, reading `routes` (and their upstreams) at every scrape. */
export function registerGatewayMetrics(registry: Registry, routes: readonly RouteStats[]): void {
  const metrics = [
    snapshotMetric('gateway_requests_total', 'Proxied requests by route, upstream and status code.', 'counter', () =>
      routes.flatMap((stats) => {
        const values: MetricValue[] = [];
        stats.byStatus.forEach((count, status) => {
          if (count > 0) values.push({ labels: { route: stats.route, upstream: stats.upstream.name, status }, value: count });
        });
        return values;
      }),
    ),
    snapshotMetric('gateway_request_duration_seconds', 'Time from request to the end of the proxied response.', 'histogram', () =>
      routes.flatMap((stats) => {
        const labels = { route: stats.route, upstream: stats.upstream.name };
        let cumulative = 0;
        const values: MetricValue[] = LATENCY_BUCKETS.map((bound, index) => {
          cumulative += stats.latencyBuckets[index]!;
          return { metricName: 'gateway_request_duration_seconds_bucket', labels: { ...labels, le: bound }, value: cumulative };
        });
        values.push(
          { metricName: 'gateway_request_duration_seconds_bucket', labels: { ...labels, le: '+Inf' }, value: stats.latencyCount },
          { metricName: 'gateway_request_duration_seconds_sum', labels, value: stats.latencySum },
          { metricName: 'gateway_request_duration_seconds_count', labels, value: stats.latencyCount },
        );
        return values;
      }),
    ),
    snapshotMetric('gateway_errors_total', 'Requests the gateway failed itself, by route, upstream and kind.', 'counter', () =>
      routes.flatMap((stats) => ERROR_KINDS.map((kind) => ({ labels: { route: stats.route, upstream: stats.upstream.name, kind }, value: stats.errors[kind] }))),
    ),
    snapshotMetric('gateway_retries_total', 'Idempotent requests sent again to another replica.', 'counter', () =>
      routes.map((stats) => ({ labels: { upstream: stats.upstream.name }, value: stats.upstream.retries })),
    ),
    snapshotMetric('gateway_ejections_total', 'Replicas taken out of rotation by passive health checking.', 'counter', () =>
      routes.map((stats) => ({ labels: { upstream: stats.upstream.name }, value: stats.upstream.ejections })),
    ),
    snapshotMetric('gateway_circuit_breaker_state', 'Circuit breaker per upstream: 0 closed, 1 half-open, 2 open.', 'gauge', () =>
      routes.map((stats) => ({ labels: { upstream: stats.upstream.name }, value: BREAKER_STATE_VALUE[stats.upstream.breaker.state] })),
    ),
    snapshotMetric('gateway_circuit_breaker_opened_total', 'Times the circuit breaker of an upstream opened.', 'counter', () =>
      routes.map((stats) => ({ labels: { upstream: stats.upstream.name }, value: stats.upstream.breaker.opened })),
    ),
    snapshotMetric('gateway_replica_up', 'Whether a replica is in rotation (1) or ejected/unhealthy (0).', 'gauge', () => {
      const now = Date.now();
      return routes.flatMap((stats) =>
        stats.upstream.replicas.map((replica) => ({ labels: { upstream: stats.upstream.name, replica: replica.origin }, value: replica.isAvailable(now) ? 1 : 0 })),
      );
    }),
    snapshotMetric('gateway_replica_outstanding_requests', 'Requests in flight per replica.', 'gauge', () =>
      routes.flatMap((stats) => stats.upstream.replicas.map((replica) => ({ labels: { upstream: stats.upstream.name, replica: replica.origin }, value: replica.outstanding }))),
    ),
  ];
  // prom-client accepts any object with name/help/type/get(); its typings only know its classes.
  for (const metric of metrics) registry.registerMetric(metric as never);
}
