import { describe, expect, it } from 'vitest';
import { createMetrics, observeRequest } from './service-metrics.js';

describe('createMetrics', () => {
  it('has process metrics and labels every series with service and instance', async () => {
    const metrics = createMetrics({ service: 'mcp-server', instanceId: 'mcp-3' });
    const text = await metrics.registry.metrics();
    expect(text).toContain('process_cpu_user_seconds_total{service="mcp-server",instance="mcp-3"}');
    expect(text).toContain('nodejs_eventloop_lag_seconds');
  });

  it('records durations in seconds by route pattern, with one series for unmatched routes', async () => {
    const metrics = createMetrics({ service: 's', instanceId: 'i', defaultMetrics: false });
    observeRequest(metrics, { method: 'GET', route: '/api/tools/:slug', statusCode: 200, durationMs: 30 });
    observeRequest(metrics, { method: 'GET', route: undefined, statusCode: 404, durationMs: 1 });
    const { values } = await metrics.httpRequestDuration.get();
    const sum = values.find(
      (value) =>
        value.metricName === 'http_request_duration_seconds_sum' && value.labels.route === '/api/tools/:slug',
    );
    expect(sum?.value).toBeCloseTo(0.03);
    const unmatched = values.find(
      (value) =>
        value.metricName === 'http_request_duration_seconds_count' && value.labels.route === 'unmatched',
    );
    expect(unmatched?.labels).toMatchObject({ method: 'GET', status_code: '404' });
  });

  it('keeps each service registry separate', async () => {
    const first = createMetrics({ service: 'a', instanceId: '1', defaultMetrics: false });
    const second = createMetrics({ service: 'b', instanceId: '1', defaultMetrics: false });
    observeRequest(first, { method: 'GET', route: '/x', statusCode: 200, durationMs: 5 });
    expect(await second.registry.metrics()).not.toContain('route="/x"');
  });
});
