import { SpanKind, SpanStatusCode, TraceFlags, type HrTime } from '@opentelemetry/api';
import { millisToHrTime } from '@opentelemetry/core';
import { ProtobufTraceSerializer } from '@opentelemetry/otlp-transformer';
import { resourceFromAttributes } from '@opentelemetry/resources';
import type { ReadableSpan } from '@opentelemetry/sdk-trace-base';
import { afterEach, describe, expect, it } from 'vitest';
import { OtlpBody, type ProtobufWriter } from './otlp-body.js';
import { OtlpExportQueue } from './otlp-http-export.js';
import { createOtlpSpanRecorder, writeRecordedSpan, type RecordedSpan } from './otlp-span-recorder.js';

const resource = resourceFromAttributes({ 'service.name': 'nestjs-api', 'service.instance.id': 'api-1', 'deployment.environment.name': 'production' });
const scope = { name: '@codiesvibe/shared' };
const KINDS = { internal: SpanKind.INTERNAL, server: SpanKind.SERVER, client: SpanKind.CLIENT };

/** The same span as the OpenTelemetry SDK hands its exporter, for the reference serializer. */
function asReadableSpan(span: RecordedSpan): ReadableSpan {
  // What the SDK's span holds: the start's attributes without undefined ones, then each set in turn.
  const attributes = Object.fromEntries(Object.entries(span.attributes ?? {}).filter(([, value]) => value !== undefined)) as Record<string, string | number | boolean>;
  if (span.laterKey !== undefined) attributes[span.laterKey] = span.laterValue!;
  for (const [key, value] of span.moreLater ?? []) attributes[key] = value;
  const time = (ms: number): HrTime => millisToHrTime(ms);
  return {
    name: span.name,
    kind: KINDS[span.kind],
    spanContext: () => ({ traceId: span.traceId, spanId: span.spanId, traceFlags: TraceFlags.SAMPLED }),
    parentSpanContext: span.parentSpanId ? { traceId: span.traceId, spanId: span.parentSpanId, traceFlags: TraceFlags.SAMPLED, isRemote: span.parentIsRemote } : undefined,
    startTime: time(span.startMs),
    endTime: time(span.endMs),
    status: span.failed ? { code: SpanStatusCode.ERROR, message: span.statusMessage } : { code: SpanStatusCode.UNSET },
    attributes,
    links: [],
    events: span.exception ? [{ name: 'exception', time: time(span.exception.timeMs), attributes: span.exception.attributes, droppedAttributesCount: 0 }] : [],
    duration: [0, 0],
    ended: true,
    resource,
    instrumentationScope: scope,
    droppedAttributesCount: 0,
    droppedEventsCount: 0,
    droppedLinksCount: 0,
  };
}

let queue: OtlpExportQueue | undefined;
afterEach(() => queue?.close());

/** Spans as the kit records them: a request continuing a caller's trace, its children, a failure. */
function recordSpans(sampled = true): RecordedSpan[] {
  const ended: RecordedSpan[] = [];
  // Nothing is posted: the queue's delay outlasts the test, and the spans are caught as they end.
  queue = new OtlpExportQueue({ url: 'http://127.0.0.1:9/v1/traces', origin: { resourceAttributes: {}, scope }, maxQueueSize: 100, scheduledDelayMs: 60_000, onDropped: () => undefined });
  const add = queue.add.bind(queue);
  queue.add = <T>(write: (writer: ProtobufWriter, item: T) => void, item: T) => {
    ended.push(item as RecordedSpan);
    add(write, item);
  };
  const recorder = createOtlpSpanRecorder(queue, () => sampled);
  const caller = { traceId: '0af7651916cd43dd8448eb211c80319c', spanId: 'b7ad6b7169203331', traceFlags: '01', isRemote: true };
  const server = recorder.start('GET /api/tools', 'server', caller, { 'http.request.method': 'GET', 'http.route': '/api/tools', 'url.path': undefined });
  const shared = { 'db.system': 'sqlite', 'db.operation.name': 'search' };
  const inside = { traceId: server.traceId, spanId: server.spanId, traceFlags: server.traceFlags, isRemote: false };
  const query = recorder.start('sqlite search', 'client', inside, shared);
  query.setAttribute('rows', 12);
  query.setAttribute('ratio', 0.25);
  query.setAttribute('offset', -3);
  query.setAttribute('db.operation.name', 'search again');
  query.setAttribute('rows', 13);
  query.end();
  const failed = recorder.start(`ollama ${'embed '.repeat(40)}`, 'internal', inside);
  failed.end(Object.assign(new Error('connect ECONNREFUSED 127.0.0.1:11434'), { code: 'ECONNREFUSED' }));
  const aborted = recorder.start('GET', 'client', inside, { 'http.request.method': 'GET' });
  aborted.end('request aborted');
  server.setAttribute('http.response.status_code', 200);
  server.setAttribute('url.path', '/api/tools');
  server.end();
  server.end();
  recorder.start('GET /health', 'server', undefined).end();
  // setAttribute on one span never reaches the attributes another was started with.
  expect(shared).toEqual({ 'db.system': 'sqlite', 'db.operation.name': 'search' });
  if (sampled) expect((query as RecordedSpan).later('rows')).toBe(13);
  return ended;
}

describe('the kit span recorder for http/protobuf', () => {
  it('writes the ExportTraceServiceRequest bytes the OpenTelemetry exporter writes for the same spans', () => {
    const spans = recordSpans();
    expect(spans.map((span) => span.name.slice(0, 14))).toEqual(['sqlite search', 'ollama embed e', 'GET', 'GET /api/tools', 'GET /health']);
    const body = new OtlpBody({ resourceAttributes: resource.attributes, scope });
    for (const span of spans) body.add(writeRecordedSpan, span);
    const reference = Buffer.from(ProtobufTraceSerializer.serializeRequest(spans.map(asReadableSpan))!);
    expect(body.take().toString('hex')).toBe(reference.toString('hex'));
  });

  it('keeps to the reference when a body grows past every one-byte and two-byte length', () => {
    const spans = recordSpans();
    const many = Array.from({ length: 300 }, (_, index) => spans[index % spans.length]!);
    const body = new OtlpBody({ resourceAttributes: resource.attributes, scope });
    for (const span of many) body.add(writeRecordedSpan, span);
    const taken = body.take();
    expect(taken.length).toBeGreaterThan(65_536);
    expect(Buffer.from(ProtobufTraceSerializer.serializeRequest(many.map(asReadableSpan))!).equals(taken)).toBe(true);
  });

  it('a span the sampler leaves out carries ids and flags 00, and nothing of it is queued', () => {
    expect(recordSpans(false)).toEqual([]);
    expect(queue!.pending).toBe(0);
  });

  it('a child continues its parent\'s trace; a root starts a new one', () => {
    const recorder = createOtlpSpanRecorder(new OtlpExportQueue({ url: 'http://127.0.0.1:9/v1/traces', origin: { resourceAttributes: {}, scope }, maxQueueSize: 1, onDropped: () => undefined }), () => true);
    const root = recorder.start('GET /a', 'server', undefined);
    const child = recorder.start('GET', 'client', { traceId: root.traceId, spanId: root.spanId, traceFlags: '01', isRemote: false });
    const other = recorder.start('GET /b', 'server', undefined);
    expect(child.traceId).toBe(root.traceId);
    expect(other.traceId).not.toBe(root.traceId);
    expect(new Set([root.spanId, child.spanId, other.spanId]).size).toBe(3);
    expect(root.traceFlags).toBe('01');
  });
});
