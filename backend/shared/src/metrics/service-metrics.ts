import { collectDefaultMetrics, Histogram, Registry } from 'prom-client';

export interface CreateMetricsOptions {
  service: string;
  instanceId: string;
  /** Process metrics (CPU, memory, event loop, GC). On unless told. */
  defaultMetrics?: boolean;
}

/** A service's Prometheus registry and the HTTP histogram every request is recorded in. */
export interface ServiceMetrics {
  /** Register the service's own metrics here: `new Counter({ ..., registers: [metrics.registry] })`. */
  registry: Registry;
  /** `http_request_duration_seconds{method, route, status_code}`. */
  httpRequestDuration: Histogram<'method' | 'route' | 'status_code'>;
}

/** Route label for requests no route matched: one series instead of one per probed path. */
export const UNMATCHED_ROUTE = 'unmatched';

/**
 * A fresh registry (not prom-client's global one, so several apps can live in one process)
 * labelled with `service` and `instance`, with process metrics and the HTTP duration histogram.
 */
export function createMetrics(options: CreateMetricsOptions): ServiceMetrics {
  const registry = new Registry();
  registry.setDefaultLabels({ service: options.service, instance: options.instanceId });
  if (options.defaultMetrics ?? true) collectDefaultMetrics({ register: registry });
  const httpRequestDuration = new Histogram({
    name: 'http_request_duration_seconds',
    help: 'Duration of HTTP requests in seconds, by method, route pattern and status code',
    labelNames: ['method', 'route', 'status_code'] as const,
    buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10],
    registers: [registry],
  });
  return { registry, httpRequestDuration };
}

/** Records one finished request. `route` is the route pattern (`/api/tools/:slug`), never the raw URL. */
export function observeRequest(
  metrics: ServiceMetrics,
  request: { method: string; route: string | undefined; statusCode: number; durationMs: number },
): void {
  metrics.httpRequestDuration.observe(
    {
      method: request.method,
      route: request.route ?? UNMATCHED_ROUTE,
      status_code: String(request.statusCode),
    },
    request.durationMs / 1000,
  );
}
