import type { FastifyInstance } from 'fastify';
import { Counter } from 'prom-client';
import { z } from 'zod';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import {
  createLogger,
  createMetrics,
  createServiceApp,
  ERROR_CODES,
  HealthRegistry,
  HttpError,
  outgoingHeaders,
  type ServiceMetrics,
} from '../src/index.js';
import { captureLogs } from './log-capture.js';

const TRACE_ID = '4bf92f3577b34da6a3ce929d0e0e4736';
const CALLER_SPAN = '00f067aa0ba902b7';

describe('a service app listening on a real port', () => {
  let app: FastifyInstance;
  let baseUrl: string;
  let logs: ReturnType<typeof captureLogs>;
  let health: HealthRegistry;
  let metrics: ServiceMetrics;
  let databaseUp: boolean;
  let cacheUp: boolean;

  beforeEach(async () => {
    logs = captureLogs();
    const logger = createLogger({
      service: 'demo',
      env: 'test',
      instanceId: 'demo-1',
      level: 'debug',
      destination: logs.stream,
    });
    databaseUp = true;
    cacheUp = true;
    health = new HealthRegistry()
      .register('database', () => {
        if (!databaseUp) throw new Error('connection refused');
      })
      .register(
        'cache',
        () => {
          if (!cacheUp) throw new Error('no answer');
        },
        { critical: false },
      );
    metrics = createMetrics({ service: 'demo', instanceId: 'demo-1', defaultMetrics: false });
    app = createServiceApp({ service: 'demo', instanceId: 'demo-1', logger, health, metrics });
    app.get('/echo-outgoing', async (request) => {
      request.log.info('handling');
      await new Promise((resolve) => setImmediate(resolve));
      return outgoingHeaders();
    });
    app.post('/things', (request) =>
      z.object({ name: z.string().min(1), size: z.number() }).parse(request.body),
    );
    app.get('/things/:id', () => {
      throw new HttpError(404, ERROR_CODES.NOT_FOUND, 'No thing with id "x"');
    });
    app.get('/crash', () => {
      throw new Error('password=hunter2 at db-host-7');
    });
    baseUrl = await app.listen({ port: 0, host: '127.0.0.1' });
  });

  afterEach(async () => {
    await app.close();
  });

  it('turns readiness 503 naming the failing check, then back to 200 when it recovers', async () => {
    const ready = await fetch(`${baseUrl}/health/ready`);
    expect(ready.status).toBe(200);
    expect(await ready.json()).toMatchObject({ status: 'ok', service: 'demo', instanceId: 'demo-1' });

    databaseUp = false;
    const down = await fetch(`${baseUrl}/health/ready`);
    expect(down.status).toBe(503);
    expect(await down.json()).toMatchObject({
      status: 'down',
      failing: ['database'],
      message: 'Not ready: database is down (connection refused)',
      checks: {
        database: { status: 'down', critical: true, error: 'connection refused' },
        cache: { status: 'up' },
      },
    });

    databaseUp = true;
    expect((await fetch(`${baseUrl}/health/ready`)).status).toBe(200);
    const transitions = logs
      .lines()
      .filter((line) => line.msg === 'ready' || String(line.msg).startsWith('Not ready'));
    expect(transitions.map((line) => line.level)).toEqual(['info', 'warn', 'info']);
  });

  it('stays ready but degraded when only a non-critical check fails', async () => {
    cacheUp = false;
    const response = await fetch(`${baseUrl}/health/ready`);
    expect(response.status).toBe(200);
    expect(await response.json()).toMatchObject({
      status: 'degraded',
      checks: { cache: { status: 'down', critical: false } },
    });
  });

  it('answers liveness without running any check', async () => {
    databaseUp = false;
    const response = await fetch(`${baseUrl}/health/live`);
    expect(response.status).toBe(200);
    expect(await response.json()).toMatchObject({ status: 'ok', service: 'demo', instanceId: 'demo-1' });
  });

  it('echoes the request id and trace in response headers, logs and outgoing calls, with a new span', async () => {
    const response = await fetch(`${baseUrl}/echo-outgoing`, {
      headers: { 'x-request-id': 'req-from-gateway-42', traceparent: `00-${TRACE_ID}-${CALLER_SPAN}-01` },
    });

    expect(response.headers.get('x-request-id')).toBe('req-from-gateway-42');
    const traceparent = response.headers.get('traceparent') ?? '';
    expect(traceparent).toMatch(new RegExp(`^00-${TRACE_ID}-[0-9a-f]{16}-01$`));
    expect(traceparent).not.toContain(CALLER_SPAN);
    // What the handler would send to the next service: same request, same trace, our span as parent.
    expect(await response.json()).toEqual({ 'x-request-id': 'req-from-gateway-42', traceparent });

    const requestLines = logs
      .lines()
      .filter((line) => line.msg === 'handling' || line.msg === 'request completed');
    expect(requestLines).toHaveLength(2);
    for (const line of requestLines) {
      expect(line).toMatchObject({
        requestId: 'req-from-gateway-42',
        traceId: TRACE_ID,
        service: 'demo',
        env: 'test',
        instanceId: 'demo-1',
      });
    }
  });

  it('creates a request id and starts a trace when none (or an unsafe one) comes in', async () => {
    const response = await fetch(`${baseUrl}/health/live`, {
      headers: { 'x-request-id': 'bad id\twith spaces', traceparent: 'garbage' },
    });
    expect(response.headers.get('x-request-id')).toMatch(/^[0-9a-f-]{36}$/);
    expect(response.headers.get('traceparent')).toMatch(/^00-[0-9a-f]{32}-[0-9a-f]{16}-01$/);
  });

  it('answers zod validation errors with 400 and field errors', async () => {
    const response = await fetch(`${baseUrl}/things`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'x-request-id': 'v-1' },
      body: JSON.stringify({ name: '', size: 'big' }),
    });
    expect(response.status).toBe(400);
    const body = (await response.json()) as { code: string; errors: { field: string }[]; requestId: string };
    expect(body).toMatchObject({
      statusCode: 400,
      error: 'Bad Request',
      code: 'CV_ERR_VALIDATION',
      requestId: 'v-1',
    });
    expect(body.errors.map((error) => error.field)).toEqual(['name', 'size']);
  });

  it('answers invalid JSON, thrown HttpErrors and unknown routes with ApiErrorBody', async () => {
    const badJson = await fetch(`${baseUrl}/things`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: '{"name":',
    });
    expect(badJson.status).toBe(400);
    expect(await badJson.json()).toMatchObject({ code: 'CV_ERR_INVALID_JSON' });

    const missing = await fetch(`${baseUrl}/things/x`);
    expect(missing.status).toBe(404);
    expect(await missing.json()).toMatchObject({
      statusCode: 404,
      error: 'Not Found',
      code: 'CV_ERR_NOT_FOUND',
      message: 'No thing with id "x"',
    });

    const unknown = await fetch(`${baseUrl}/nowhere?x=1`);
    expect(unknown.status).toBe(404);
    expect(await unknown.json()).toMatchObject({
      code: 'CV_ERR_ROUTE_NOT_FOUND',
      message: 'Route GET /nowhere not found',
    });
  });

  it('hides internal errors from the client and logs them with the request id', async () => {
    const response = await fetch(`${baseUrl}/crash`, { headers: { 'x-request-id': 'crash-1' } });
    expect(response.status).toBe(500);
    const text = await response.text();
    expect(JSON.parse(text)).toEqual({
      statusCode: 500,
      error: 'Internal Server Error',
      code: 'CV_ERR_INTERNAL',
      message: 'Internal server error',
      requestId: 'crash-1',
    });
    expect(text).not.toMatch(/hunter2|stack|at /);
    const logged = logs.lines().find((line) => line.msg === 'request failed');
    expect(logged).toMatchObject({
      level: 'error',
      requestId: 'crash-1',
      err: { message: 'password=hunter2 at db-host-7' },
    });
  });

  it('records every request in the duration histogram by route pattern and serves /metrics', async () => {
    const searches = new Counter({
      name: 'demo_searches_total',
      help: 'searches',
      registers: [metrics.registry],
    });
    searches.inc();
    await fetch(`${baseUrl}/things/1`);
    await fetch(`${baseUrl}/things/2`);
    await fetch(`${baseUrl}/nowhere`);

    const response = await fetch(`${baseUrl}/metrics`);
    expect(response.headers.get('content-type')).toContain('text/plain');
    const text = await response.text();
    expect(text).toContain(
      'http_request_duration_seconds_count{service="demo",instance="demo-1",method="GET",route="/things/:id",status_code="404"} 2',
    );
    expect(text).toContain(
      'http_request_duration_seconds_count{service="demo",instance="demo-1",method="GET",route="unmatched",status_code="404"} 1',
    );
    expect(text).toContain('demo_searches_total{service="demo",instance="demo-1"} 1');
  });
});
