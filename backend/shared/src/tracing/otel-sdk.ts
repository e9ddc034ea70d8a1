import { ROOT_CONTEXT, SpanKind, SpanStatusCode, TraceFlags, trace, type Context, type Span } from '@opentelemetry/api';
import { SeverityNumber } from '@opentelemetry/api-logs';
import { ExportResultCode, type ExportResult } from '@opentelemetry/core';
import { resourceFromAttributes } from '@opentelemetry/resources';
import { BatchLogRecordProcessor, LoggerProvider, type LogRecordExporter } from '@opentelemetry/sdk-logs';
import {
  AlwaysOffSampler,
  AlwaysOnSampler,
  BasicTracerProvider,
  BatchSpanProcessor,
  ParentBasedSampler,
  TraceIdRatioBasedSampler,
  type ReadableSpan,
  type Sampler,
  type SpanExporter,
  type SpanProcessor,
} from '@opentelemetry/sdk-trace-base';
import type { SpanAttributes, SpanHandle, SpanKindName, SpanParent, SpanRecorder } from './span-recorder.js';
import type { TracingSettings } from './tracing-env.js';

/*
 * The OpenTelemetry SDK, loaded by `startTracing` only when an endpoint is set (a dynamic import),
 * so a service with tracing off never pays for it at start or in memory.
 */

const KINDS: Record<SpanKindName, SpanKind> = {
  server: SpanKind.SERVER,
  client: SpanKind.CLIENT,
  internal: SpanKind.INTERNAL,
};

function samplerOf(settings: TracingSettings): Sampler {
  const ratio = new TraceIdRatioBasedSampler(settings.samplerRatio);
  switch (settings.sampler) {
    case 'always_on':
      return new AlwaysOnSampler();
    case 'always_off':
      return new AlwaysOffSampler();
    case 'traceidratio':
      return ratio;
    case 'parentbased_always_off':
      return new ParentBasedSampler({ root: new AlwaysOffSampler() });
    case 'parentbased_traceidratio':
      return new ParentBasedSampler({ root: ratio });
    default:
      return new ParentBasedSampler({ root: new AlwaysOnSampler() });
  }
}

/**
 * The attributes without undefined values. The SDK copies what it is given, so the caller's
 * object goes through as it is when nothing needs leaving out (the usual case): no copy per span.
 */
function cleanAttributes(attributes: SpanAttributes | undefined): Record<string, string | number | boolean> | undefined {
  if (!attributes) return undefined;
  for (const name in attributes) {
    if (attributes[name] !== undefined) continue;
    const clean: Record<string, string | number | boolean> = {};
    for (const key in attributes) if (attributes[key] !== undefined) clean[key] = attributes[key];
    return clean;
  }
  return attributes as Record<string, string | number | boolean>;
}

function parentContext(parent: SpanParent | undefined): Context {
  if (!parent?.spanId) return ROOT_CONTEXT;
  return trace.setSpanContext(ROOT_CONTEXT, {
    traceId: parent.traceId,
    spanId: parent.spanId,
    traceFlags: parent.traceFlags === '01' ? TraceFlags.SAMPLED : Number.parseInt(parent.traceFlags, 16) & TraceFlags.SAMPLED,
    isRemote: true,
  });
}

function handleOf(span: Span): SpanHandle {
  const spanContext = span.spanContext();
  return {
    traceId: spanContext.traceId,
    spanId: spanContext.spanId,
    // Only the sampled bit is defined (W3C trace-context level 1).
    traceFlags: spanContext.traceFlags & TraceFlags.SAMPLED ? '01' : '00',
    setAttribute: (name, value) => void span.setAttribute(name, value),
    end(error) {
      if (error !== undefined) {
        const message = error instanceof Error ? error.message : typeof error === 'string' ? error : 'failed';
        span.recordException(error instanceof Error ? error : message);
        span.setStatus({ code: SpanStatusCode.ERROR, message });
      }
      span.end();
    },
  };
}

/** Counts spans the export lost (the collector unreachable or refusing) and settles the queue count. */
class CountingExporter implements SpanExporter {
  constructor(
    private readonly inner: SpanExporter,
    private readonly settled: (count: number, exported: boolean) => void,
  ) {}
  export(spans: ReadableSpan[], done: (result: ExportResult) => void): void {
    this.inner.export(spans, (result) => {
      this.settled(spans.length, result.code === ExportResultCode.SUCCESS);
      done(result);
    });
  }
  shutdown(): Promise<void> {
    return this.inner.shutdown();
  }
  forceFlush(): Promise<void> {
    return this.inner.forceFlush?.() ?? Promise.resolve();
  }
}

/**
 * A bounded queue in front of the batch processor: at most `maxQueueSize` spans wait for export
 * (queued or in an export in flight); past that a span is dropped and counted, so a slow or dead
 * collector costs memory up to the bound and never blocks a request.
 */
class BoundedSpanProcessor implements SpanProcessor {
  pending = 0;
  constructor(
    private readonly inner: SpanProcessor,
    private readonly maxQueueSize: number,
    private readonly dropped: (count: number) => void,
  ) {}
  onStart(span: Parameters<SpanProcessor['onStart']>[0], context: Context): void {
    this.inner.onStart(span, context);
  }
  onEnd(span: ReadableSpan): void {
    if ((span.spanContext().traceFlags & TraceFlags.SAMPLED) === 0) return;
    if (this.pending >= this.maxQueueSize) {
      this.dropped(1);
      return;
    }
    this.pending++;
    this.inner.onEnd(span);
  }
  forceFlush(): Promise<void> {
    return this.inner.forceFlush();
  }
  shutdown(): Promise<void> {
    return this.inner.shutdown();
  }
}

async function traceExporterOf(settings: TracingSettings): Promise<SpanExporter> {
  const options = { url: settings.tracesUrl };
  if (settings.protocol === 'http/json') {
    const { OTLPTraceExporter } = await import('@opentelemetry/exporter-trace-otlp-http');
    return new OTLPTraceExporter(options);
  }
  const { OTLPTraceExporter } = await import('@opentelemetry/exporter-trace-otlp-proto');
  return new OTLPTraceExporter(options);
}

async function logExporterOf(settings: TracingSettings): Promise<LogRecordExporter> {
  const options = { url: settings.logsUrl };
  if (settings.protocol === 'http/json') {
    const { OTLPLogExporter } = await import('@opentelemetry/exporter-logs-otlp-http');
    return new OTLPLogExporter(options);
  }
  const { OTLPLogExporter } = await import('@opentelemetry/exporter-logs-otlp-proto');
  return new OTLPLogExporter(options);
}

const SEVERITIES: Record<string, SeverityNumber> = {
  trace: SeverityNumber.TRACE,
  debug: SeverityNumber.DEBUG,
  info: SeverityNumber.INFO,
  warn: SeverityNumber.WARN,
  error: SeverityNumber.ERROR,
  fatal: SeverityNumber.FATAL,
};

// Fields of the JSON line that become the record's own fields (body, time, severity, trace and span).
const RECORD_FIELDS = new Set(['msg', 'time', 'level', 'trace_id', 'span_id', 'traceId']);

/** How long a shutdown waits for the last spans and logs to be exported. */
const SHUTDOWN_FLUSH_MS = 2000;

export interface OtelRuntime {
  recorder: SpanRecorder;
  /** Takes one JSON log line of the service logger and exports it as an OTLP log record. */
  exportLogLine: ((line: string) => void) | undefined;
  /** Spans waiting for export now (queued or being sent). */
  pendingSpans(): number;
  shutdown(): Promise<void>;
}

export interface OtelRuntimeOptions {
  instanceId?: string;
  /** NODE_ENV: `deployment.environment.name` of the resource (log lines carry it as `env`). */
  environment?: string;
  /** Called with the number of spans lost (queue full, or an export that failed). */
  onDropped: (count: number) => void;
}

/** Builds the tracer and logger providers for `settings`; the caller installs the pieces. */
export async function createOtelRuntime(settings: TracingSettings, options: OtelRuntimeOptions): Promise<OtelRuntime> {
  const resource = resourceFromAttributes({
    'service.name': settings.serviceName,
    ...(options.instanceId ? { 'service.instance.id': options.instanceId } : {}),
    ...(options.environment ? { 'deployment.environment.name': options.environment } : {}),
  });
  let bounded: BoundedSpanProcessor | undefined = undefined;
  const exporter = new CountingExporter(await traceExporterOf(settings), (count, exported) => {
    if (bounded) bounded.pending = Math.max(0, bounded.pending - count);
    if (!exported) options.onDropped(count);
  });
  const batch = new BatchSpanProcessor(exporter, {
    maxQueueSize: settings.maxQueueSize,
    maxExportBatchSize: Math.min(512, settings.maxQueueSize),
  });
  bounded = new BoundedSpanProcessor(batch, settings.maxQueueSize, options.onDropped);
  const provider = new BasicTracerProvider({ resource, sampler: samplerOf(settings), spanProcessors: [bounded] });
  const tracer = provider.getTracer('@codiesvibe/shared');

  let loggerProvider: LoggerProvider | undefined;
  let exportLogLine: ((line: string) => void) | undefined;
  if (settings.logsUrl) {
    loggerProvider = new LoggerProvider({ resource, processors: [new BatchLogRecordProcessor({ exporter: await logExporterOf(settings) })] });
    const otelLogger = loggerProvider.getLogger('@codiesvibe/shared');
    // The logger's base fields that the resource already carries, left out of every record when
    // they say the same: fewer attributes to copy, check and encode per line.
    const inResource = new Map<string, unknown>([
      ['service', settings.serviceName],
      ['instanceId', options.instanceId],
      ['env', options.environment],
    ]);
    exportLogLine = (line) => {
      let record: Record<string, unknown>;
      try {
        record = JSON.parse(line) as Record<string, unknown>;
      } catch {
        return;
      }
      const attributes: Record<string, string | number | boolean> = {};
      // for...in rather than Object.entries: no [name, value] array per field, on every log line.
      for (const name in record) {
        const value = record[name];
        if (value === null || value === undefined || RECORD_FIELDS.has(name) || inResource.get(name) === value) continue;
        attributes[name] = typeof value === 'object' ? JSON.stringify(value) : (value as string | number | boolean);
      }
      const level = typeof record.level === 'string' ? record.level : 'info';
      const traceId = typeof record.trace_id === 'string' ? record.trace_id : undefined;
      const spanId = typeof record.span_id === 'string' ? record.span_id : undefined;
      otelLogger.emit({
        timestamp: typeof record.time === 'string' ? new Date(record.time) : new Date(),
        severityText: level,
        severityNumber: SEVERITIES[level] ?? SeverityNumber.UNSPECIFIED,
        body: typeof record.msg === 'string' ? record.msg : '',
        attributes,
        context: traceId && spanId ? parentContext({ traceId, spanId, traceFlags: '01' }) : ROOT_CONTEXT,
      });
    };
  }

  return {
    recorder: {
      start: (name, kind, parent, attributes) =>
        handleOf(tracer.startSpan(name, { kind: KINDS[kind], attributes: cleanAttributes(attributes) }, parentContext(parent))),
    },
    exportLogLine,
    pendingSpans: () => bounded.pending,
    async shutdown() {
      // A dead collector must not hold the service's shutdown: flush what can go in a short time.
      let timer: NodeJS.Timeout | undefined;
      const bound = new Promise<void>((resolve) => {
        timer = setTimeout(resolve, SHUTDOWN_FLUSH_MS);
        timer.unref();
      });
      await Promise.race([Promise.allSettled([provider.shutdown(), loggerProvider?.shutdown()]), bound]);
      clearTimeout(timer);
    },
  };
}
