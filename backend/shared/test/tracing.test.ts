import { createServer as createTcpServer, type AddressInfo, type Socket } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { createLogger, createMetrics, createServiceApp, getRequestContext, traceMethods, withSpan } from '../src/index.js';
import { ConfigError } from '../src/errors.js';
import { startTracing, type Tracing } from '../src/tracing/index.js';
import { startOtlpReceiver, type OtlpReceiver } from '../src/testing/index.js';
import { captureLogs } from './log-capture.js';

/*
 * Tracing through two real Fastify services on port 0: `front` calls `back` with fetch inside a
 * `withSpan`; the spans reach a real OTLP/HTTP receiver (decoded from the wire, protobuf or JSON).
 */

let tracing: Tracing | undefined;
let receiver: OtlpReceiver | undefined;
const closers: (() => Promise<unknown>)[] = [];

afterEach(async () => {
  await tracing?.shutdown();
  tracing = undefined;
  for (const close of closers.splice(0).reverse()) await close();
  await receiver?.close();
  receiver = undefined;
});

async function twoServices(logs = captureLogs()) {
  const logger = createLogger({ service: 'front', env: 'test', instanceId: 'f1', destination: logs.stream });
  const back = createServiceApp({ service: 'back', instanceId: 'b1', logger });
  back.get('/items/:id', (request) => ({ id: (request.params as { id: string }).id, trace: getRequestContext()?.traceId }));
  await back.listen({ port: 0, host: '127.0.0.1' });
  closers.push(() => back.close());
  const backUrl = `http://127.0.0.1:${(back.server.address() as AddressInfo).port}`;
  const front = createServiceApp({ service: 'front', instanceId: 'f1', logger });
  front.get('/search', async (request) => {
    request.log.info('searching');
    return withSpan('lookup items', { 'app.step': 'lookup' }, async () => (await fetch(`${backUrl}/items/42`)).json());
  });
  await front.listen({ port: 0, host: '127.0.0.1' });
  closers.push(() => front.close());
  return { front: `http://127.0.0.1:${(front.server.address() as AddressInfo).port}`, logs };
}

function env(endpoint: string, extra: Record<string, string> = {}): NodeJS.ProcessEnv {
  return { OTEL_EXPORTER_OTLP_ENDPOINT: endpoint, ...extra };
}

// The first test loads the OpenTelemetry SDK: seconds on a loaded machine.
describe.each(['http/protobuf', 'http/json'])('tracing over OTLP %s', { timeout: 30_000 }, (protocol) => {
  it('one trace across both services: server span by route, the fetch as a client span, every parent present, logs with trace_id', async () => {
    receiver = await startOtlpReceiver();
    const registry = createMetrics({ service: 'front', instanceId: 'f1' }).registry;
    tracing = await startTracing({ service: 'front', env: env(receiver.endpoint, { OTEL_EXPORTER_OTLP_PROTOCOL: protocol }), registry });
    const { front, logs } = await twoServices();
    const response = await fetch(`${front}/search?q=x`);
    const traceparent = response.headers.get('traceparent')!;
    const body = (await response.json()) as { trace: string };
    await tracing.shutdown();
    tracing = undefined;

    const traceId = traceparent.split('-')[1];
    expect(body.trace).toBe(traceId);
    const spans = receiver.spans.filter((span) => span.traceId === traceId);
    expect(spans.map((span) => span.name).sort()).toEqual(['GET', 'GET /items/:id', 'GET /search', 'lookup items']);
    const ids = new Set(spans.map((span) => span.spanId));
    const roots = spans.filter((span) => !span.parentSpanId);
    expect(roots.map((span) => span.name)).toEqual(['GET /search']);
    for (const span of spans) if (span.parentSpanId) expect(ids, `parent of ${span.name}`).toContain(span.parentSpanId);
    const client = spans.find((span) => span.name === 'GET')!;
    expect(spans.find((span) => span.name === 'GET /items/:id')!.parentSpanId).toBe(client.spanId);
    expect(client.parentSpanId).toBe(spans.find((span) => span.name === 'lookup items')!.spanId);
    expect(client.attributes['http.response.status_code']).toBe(200);
    // OTLP flags: sampled (0x01), whether the parent is remote known (0x100), remote (0x200) only
    // for the span whose parent came over HTTP in a traceparent; a root and the children of a
    // span of the same process are local.
    expect(Object.fromEntries(spans.map((span) => [span.name, span.flags.toString(16)]))).toEqual({
      'GET /search': '101',
      'lookup items': '101',
      GET: '101',
      'GET /items/:id': '301',
    });
    expect(receiver.contentTypes[0]).toBe(protocol === 'http/json' ? 'application/json' : 'application/x-protobuf');

    const searching = logs.lines().find((line) => line.msg === 'searching')!;
    expect(searching.trace_id).toBe(traceId);
    expect(searching.span_id).toBe(roots[0]!.spanId);
    const exported = receiver.logs.find((log) => log.body === 'searching');
    expect(exported?.traceId).toBe(traceId);
    expect(exported?.spanId).toBe(roots[0]!.spanId);
    // The service name travels once, in the resource; fields the resource does not carry stay
    // (no instance id or NODE_ENV was given to startTracing here).
    expect(exported?.service).toBe('front');
    expect(exported?.attributes).not.toHaveProperty('service');
    expect(exported?.attributes).toMatchObject({ instanceId: 'f1', env: 'test', requestId: searching.requestId });
  });
});

describe('tracing settings and bad input', { timeout: 30_000 }, () => {
  it('is off without an endpoint: nothing loaded, no span, responses still carry a traceparent', async () => {
    tracing = await startTracing({ service: 'front', env: {} });
    expect(tracing.enabled).toBe(false);
    expect(tracing.describe).toMatch(/no OTEL_EXPORTER_OTLP_ENDPOINT/);
    const { front } = await twoServices();
    const response = await fetch(`${front}/search`);
    expect(response.headers.get('traceparent')).toMatch(/^00-[0-9a-f]{32}-[0-9a-f]{16}-01$/);
  });

  it('OTEL_SDK_DISABLED=true wins over an endpoint', async () => {
    tracing = await startTracing({ service: 'front', env: env('http://127.0.0.1:1', { OTEL_SDK_DISABLED: 'true' }) });
    expect(tracing.enabled).toBe(false);
  });

  it.each([
    ['OTEL_TRACES_SAMPLER_ARG', '1.5', /OTEL_TRACES_SAMPLER_ARG="1.5" must be a number from 0 to 1/],
    ['OTEL_TRACES_SAMPLER_ARG', '-0.1', /OTEL_TRACES_SAMPLER_ARG="-0.1"/],
    ['OTEL_TRACES_SAMPLER', 'sometimes', /OTEL_TRACES_SAMPLER="sometimes" must be one of/],
    ['OTEL_EXPORTER_OTLP_PROTOCOL', 'grpc', /OTEL_EXPORTER_OTLP_PROTOCOL="grpc" must be one of http\/protobuf, http\/json/],
    ['OTEL_BSP_SCHEDULE_DELAY', 'soon', /OTEL_BSP_SCHEDULE_DELAY="soon" must be a whole number of milliseconds/],
    ['OTEL_EXPORTER_OTLP_ENDPOINT', 'collector:4318', /OTEL_EXPORTER_OTLP_ENDPOINT="collector:4318" is not an http\(s\) URL/],
    ['OTEL_TRACES_EXPORTER', 'zipkin', /OTEL_TRACES_EXPORTER="zipkin" must be one of otlp, none/],
    ['OTEL_LOGS_EXPORTER', 'console', /OTEL_LOGS_EXPORTER="console" must be one of otlp, none/],
  ])('%s=%s is a startup error naming the variable', async (name, value, message) => {
    const error = await startTracing({ service: 'front', env: { OTEL_EXPORTER_OTLP_ENDPOINT: 'http://127.0.0.1:4318', [name]: value }, onError: 'throw' }).catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(ConfigError);
    expect((error as ConfigError).message).toMatch(message);
  });

  it('OTEL_LOGS_EXPORTER=none: spans are exported, log lines are not (they still carry trace_id)', async () => {
    receiver = await startOtlpReceiver();
    tracing = await startTracing({ service: 'front', env: env(receiver.endpoint, { OTEL_LOGS_EXPORTER: 'none' }) });
    expect(tracing.describe).toMatch(/logs not exported/);
    const { front, logs } = await twoServices();
    const traceId = (await fetch(`${front}/search`)).headers.get('traceparent')!.split('-')[1]!;
    await tracing.shutdown();
    tracing = undefined;
    expect(receiver.spans.map((span) => span.name)).toContain('GET /search');
    expect(receiver.logs).toEqual([]);
    expect(logs.lines().some((line) => line.trace_id === traceId && line.msg === 'searching')).toBe(true);
  });

  it('OTEL_TRACES_EXPORTER=none: logs are exported, no span is; the next service still gets a sampled traceparent', async () => {
    receiver = await startOtlpReceiver();
    tracing = await startTracing({ service: 'front', env: env(receiver.endpoint, { OTEL_TRACES_EXPORTER: 'none' }) });
    expect(tracing.describe).toMatch(/spans not exported/);
    const { front } = await twoServices();
    const response = await fetch(`${front}/search`);
    const body = (await response.json()) as { trace: string };
    const [, traceId, , flags] = response.headers.get('traceparent')!.split('-');
    await tracing.shutdown();
    tracing = undefined;
    expect(receiver.spans).toEqual([]);
    expect(body.trace).toBe(traceId);
    expect(flags).toBe('01');
    expect(receiver.logs.some((log) => log.traceId === traceId && log.body === 'searching')).toBe(true);
  });

  it('OTEL_TRACES_EXPORTER=none with OTEL_LOGS_EXPORTER=none is off', async () => {
    tracing = await startTracing({ service: 'front', env: env('http://127.0.0.1:1', { OTEL_TRACES_EXPORTER: 'none', OTEL_LOGS_EXPORTER: 'none' }) });
    expect(tracing.enabled).toBe(false);
    expect(tracing.describe).toMatch(/OTEL_TRACES_EXPORTER and OTEL_LOGS_EXPORTER are none/);
  });

  it('a malformed traceparent starts a new trace (the bad parent is not kept)', async () => {
    receiver = await startOtlpReceiver();
    tracing = await startTracing({ service: 'front', env: env(receiver.endpoint) });
    const { front } = await twoServices();
    const response = await fetch(`${front}/search`, { headers: { traceparent: '00-zzzz-1234-01' } });
    const traceId = response.headers.get('traceparent')!.split('-')[1]!;
    await tracing.shutdown();
    tracing = undefined;
    const root = receiver.spans.find((span) => span.name === 'GET /search')!;
    expect(root.traceId).toBe(traceId);
    expect(root.parentSpanId).toBe('');
  });

  it('traceMethods: each call of a wrapped store is a client span named by method, under the request span', async () => {
    receiver = await startOtlpReceiver();
    tracing = await startTracing({ service: 'front', env: env(receiver.endpoint) });
    const store = traceMethods(
      {
        rows: ['a', 'b'],
        find(index: number) {
          return this.rows[index];
        },
        async count() {
          return Promise.resolve(this.rows.length);
        },
      },
      'sqlite',
      { 'db.system': 'sqlite' },
    );
    const app = createServiceApp({ service: 'front', instanceId: 'f1', logger: createLogger({ service: 'front', env: 'test', instanceId: 'f1', destination: captureLogs().stream }) });
    app.get('/rows', async () => ({ first: store.find(0), second: store.find(1), count: await store.count() }));
    await app.listen({ port: 0, host: '127.0.0.1' });
    closers.push(() => app.close());
    const response = await fetch(`http://127.0.0.1:${(app.server.address() as AddressInfo).port}/rows`);
    expect(await response.json()).toEqual({ first: 'a', second: 'b', count: 2 });
    await tracing.shutdown();
    tracing = undefined;
    const root = receiver.spans.find((span) => span.name === 'GET /rows')!;
    const calls = receiver.spans.filter((span) => span.parentSpanId === root.spanId);
    expect(calls.map((span) => span.name).sort()).toEqual(['sqlite count', 'sqlite find', 'sqlite find']);
    expect(calls.find((span) => span.name === 'sqlite count')!.attributes).toMatchObject({ 'db.system': 'sqlite', 'db.operation.name': 'count' });
  });

  it('a valid traceparent is continued: same trace id, the caller span as parent', async () => {
    receiver = await startOtlpReceiver();
    tracing = await startTracing({ service: 'front', env: env(receiver.endpoint) });
    const { front } = await twoServices();
    const caller = '00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01';
    await (await fetch(`${front}/search`, { headers: { traceparent: caller } })).text();
    await tracing.shutdown();
    tracing = undefined;
    const root = receiver.spans.find((span) => span.name === 'GET /search')!;
    expect(root.traceId).toBe('0af7651916cd43dd8448eb211c80319c');
    expect(root.parentSpanId).toBe('b7ad6b7169203331');
    expect(root.flags.toString(16)).toBe('301');
    expect(receiver.spans.find((span) => span.name === 'lookup items')!.flags.toString(16)).toBe('101');
  });

  it('an unreachable endpoint never fails a request; lost spans are counted and logged once per interval', async () => {
    const registry = createMetrics({ service: 'front', instanceId: 'f1' }).registry;
    const warnings: { at: number; message: string }[] = [];
    tracing = await startTracing({
      service: 'front',
      // Port 9 (discard) on loopback: nothing listens, every export fails at once.
      env: env('http://127.0.0.1:9', { OTEL_BSP_MAX_QUEUE_SIZE: '4' }),
      registry,
      logger: { info: () => undefined, warn: (_fields: unknown, message?: string) => void warnings.push({ at: Date.now(), message: String(message) }) },
      dropLogIntervalMs: 200,
    });
    const { front } = await twoServices();
    for (let index = 0; index < 10; index++) expect((await fetch(`${front}/search`)).status).toBe(200);
    // 10 requests x 4 spans, at most 4 queued: the rest is dropped at once, the queued ones when the export fails.
    const dropped = async () => (await registry.getSingleMetric('otel_spans_dropped_total')!.get()).values[0]?.value ?? 0;
    expect(await dropped()).toBeGreaterThanOrEqual(36);
    await new Promise((resolve) => setTimeout(resolve, 450));
    expect(warnings.length).toBeGreaterThanOrEqual(1);
    // At most one line per interval, however many spans are lost.
    for (let index = 1; index < warnings.length; index++) expect(warnings[index]!.at - warnings[index - 1]!.at).toBeGreaterThanOrEqual(150);
    expect(warnings[0]!.message).toMatch(/tracing: \d+ spans dropped \(queue full or http:\/\/127\.0\.0\.1:9\/v1\/traces failing\)/);
  });

  it('an endpoint that accepts and never answers does not slow requests: the queue stays bounded and the rest is dropped', async () => {
    // A listener that takes the connection and the export's bytes and never answers: the
    // exporter waits for its own timeout (10 s), far longer than any request may take.
    const sockets: Socket[] = [];
    const blackHole = createTcpServer((socket) => void sockets.push(socket.resume()));
    await new Promise<void>((resolve) => blackHole.listen(0, '127.0.0.1', resolve));
    closers.push(async () => {
      for (const socket of sockets) socket.destroy();
      await new Promise((resolve) => blackHole.close(resolve));
    });
    const registry = createMetrics({ service: 'front', instanceId: 'f1' }).registry;
    tracing = await startTracing({
      service: 'front',
      env: env(`http://127.0.0.1:${(blackHole.address() as AddressInfo).port}`, { OTEL_BSP_MAX_QUEUE_SIZE: '4' }),
      registry,
    });
    const { front } = await twoServices();
    let slowestMs = 0;
    for (let index = 0; index < 20; index++) {
      const began = performance.now();
      expect((await fetch(`${front}/search`)).status).toBe(200);
      slowestMs = Math.max(slowestMs, performance.now() - began);
    }
    await new Promise((resolve) => setTimeout(resolve, 100));
    expect(sockets.length, 'the exporter reached the endpoint').toBeGreaterThanOrEqual(1);
    expect(slowestMs).toBeLessThan(1000);
    // 20 requests x 4 spans with 4 waiting at most while the export hangs.
    const dropped = (await registry.getSingleMetric('otel_spans_dropped_total')!.get()).values[0]?.value ?? 0;
    expect(dropped).toBeGreaterThanOrEqual(76);
    // The service's shutdown is not held by the hanging export either.
    const closing = performance.now();
    await tracing.shutdown();
    tracing = undefined;
    expect(performance.now() - closing).toBeLessThan(3000);
  });
});
