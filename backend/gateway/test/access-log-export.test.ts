import { startTracing, type Tracing } from '@codiesvibe/shared';
import { startOtlpReceiver, type OtlpReceiver } from '@codiesvibe/shared/testing';
import type { FastifyInstance } from 'fastify';
import { afterEach, beforeAll, afterAll, describe, expect, it } from 'vitest';
import { startGateway } from './support/gateway-under-test.js';
import { startReplicas, type UpstreamProcess } from './support/upstream-process.js';

/*
 * The gateway writes its access lines itself (not through pino), so they reach the collector
 * only if the access log exports them: with tracing on, Loki gets them over OTLP like every other
 * service log line, linked to the gateway's span.
 */
describe('access log with tracing on (a real OTLP receiver)', () => {
  let replicas: UpstreamProcess[];
  let receiver: OtlpReceiver | undefined;
  let tracing: Tracing | undefined;
  let gateway: { app: FastifyInstance; url: string } | undefined;

  beforeAll(async () => {
    replicas = await startReplicas(1);
  });
  afterEach(async () => {
    await gateway?.app.close();
    await tracing?.shutdown();
    await receiver?.close();
    gateway = tracing = receiver = undefined;
  });
  afterAll(async () => {
    await Promise.all(replicas.map((replica) => replica.kill()));
  });

  it('exports each access line as a log record with the line fields, in the trace of the request and linked to the gateway span', async () => {
    receiver = await startOtlpReceiver();
    // As the gateway starts it: its instance and environment are the resource's, not each record's.
    tracing = await startTracing({ service: 'gateway', instanceId: 'gateway-test', env: { NODE_ENV: 'test', OTEL_EXPORTER_OTLP_ENDPOINT: receiver.endpoint } });
    const written: string[] = [];
    gateway = await startGateway({ API_UPSTREAM: replicas[0]!.url, ACCESS_LOG: 'true' }, undefined, { write: (text: string) => written.push(text) });
    const incomingTrace = '4bf92f3577b34da6a3ce929d0e0e4736';
    const response = await fetch(`${gateway.url}/api/tools?q=%22quoted%22&limit=5`, {
      headers: { traceparent: `00-${incomingTrace}-00f067aa0ba902b7-01`, 'x-request-id': 'req-export-1' },
    });
    expect(response.status).toBe(200);
    await response.arrayBuffer();
    await gateway.app.close();
    gateway = undefined;
    await tracing.shutdown();
    tracing = undefined;

    const lines = written.join('').trimEnd().split('\n').map((text) => JSON.parse(text) as Record<string, unknown>);
    expect(lines).toHaveLength(1);
    const line = lines[0]!;
    const span = receiver.spans.find((candidate) => candidate.name === 'GET /api/*');
    expect(span, receiver.spans.map((candidate) => candidate.name).join(', ')).toBeDefined();
    // The line names the request's trace and the gateway's span, as the service logger's lines do.
    expect(line).toMatchObject({ requestId: 'req-export-1', traceId: incomingTrace, trace_id: incomingTrace, span_id: span!.spanId, msg: 'request proxied' });

    const records = receiver.logs.filter((record) => record.body === 'request proxied');
    expect(records).toHaveLength(1);
    const record = records[0]!;
    expect(record).toMatchObject({ service: 'gateway', severityText: 'info', traceId: incomingTrace, spanId: span!.spanId });
    // Every field of the line is an attribute with the line's value, except those the record or
    // its resource carries (time, level, message, ids, service, env, instance).
    const { level: _level, time: _time, msg: _msg, traceId: _traceId, trace_id: _trace, span_id: _span, service: _service, env: _env, instanceId: _instance, ...fields } = line;
    expect(record.attributes).toEqual(fields);
    expect(fields).toMatchObject({ route: 'api', method: 'GET', url: '/api/tools?q=%22quoted%22&limit=5', statusCode: 200, attempts: 1 });
  });

  it('exports nothing with tracing off, and the line still carries the ids of the request', async () => {
    const written: string[] = [];
    gateway = await startGateway({ API_UPSTREAM: replicas[0]!.url, ACCESS_LOG: 'true' }, undefined, { write: (text: string) => written.push(text) });
    const response = await fetch(`${gateway.url}/api/tools`, { headers: { traceparent: '00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01' } });
    const echo = (await response.json()) as { headers: Record<string, string> };
    await gateway.app.close();
    gateway = undefined;
    const line = JSON.parse(written.join('').trim()) as Record<string, string>;
    expect(line.trace_id).toBe('4bf92f3577b34da6a3ce929d0e0e4736');
    // The gateway's own span id for the request: the parent it named to the upstream.
    expect(echo.headers.traceparent).toBe(`00-4bf92f3577b34da6a3ce929d0e0e4736-${line.span_id}-01`);
  });
});
