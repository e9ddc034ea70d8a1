import { ROOT_CONTEXT, SpanKind, SpanStatusCode, TraceFlags, trace, type Context, type Span } from '@opentelemetry/api';
import { SeverityNumber, type Logger as OtelLogger } from '@opentelemetry/api-logs';
import { ExportResultCode, type ExportResult } from '@opentelemetry/core';
import { resourceFromAttributes } from '@opentelemetry/resources';
import { BatchLogRecordProcessor, LoggerProvider, type LogRecordExporter } from '@opentelemetry/sdk-logs';
import {
  AlwaysOffSampler,
  AlwaysOnSampler,
  BasicTracerProvider,
  BatchSpanProcessor,
  ParentBasedSampler,
  SamplingDecision,
  TraceIdRatioBasedSampler,
  type ReadableSpan,
  type Sampler,
  type SpanExporter,
  type SpanProcessor,
} from '@opentelemetry/sdk-trace-base';
import type { LogLineExporter as ExportLogLine } from '../logging/log-export.js';
import { LogLineExporter } from './otlp-log-export.js';
import { OtlpExportQueue } from './otlp-http-export.js';
import { createOtlpSpanRecorder, createUnrecordedSpanRecorder, type SpanSampler } from './otlp-span-recorder.js';
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

/** `samplerOf` for the kit's own spans: the same decisions, without a Context per span. */
function spanSamplerOf(settings: TracingSettings): SpanSampler {
  const ratio = new TraceIdRatioBasedSampler(settings.samplerRatio);
  const byRatio = (traceId: string) =>
    ratio.shouldSample(ROOT_CONTEXT, traceId).decision === SamplingDecision.RECORD_AND_SAMPLED;
  const parentSampled = (parent: SpanParent) => (Number.parseInt(parent.traceFlags, 16) & TraceFlags.SAMPLED) !== 0;
  switch (settings.sampler) {
    case 'always_on':
      return () => true;
    case 'always_off':
      return () => false;
    case 'traceidratio':
      return byRatio;
    case 'parentbased_always_off':
      return (_traceId, parent) => (parent ? parentSampled(parent) : false);
    case 'parentbased_traceidratio':
      return (traceId, parent) => (parent ? parentSampled(parent) : byRatio(traceId));
    default:
      return (_traceId, parent) => (parent ? parentSampled(parent) : true);
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
    isRemote: parent.isRemote,
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

/** The instrumentation scope of every span and log record the kit records. */
const SCOPE = '@codiesvibe/shared';

// Exporter settings the OpenTelemetry exporters read by themselves and the kit's own do not.
const EXPORTER_TUNING = {
  traces: /^OTEL_EXPORTER_OTLP_(TRACES_)?(HEADERS|COMPRESSION|TIMEOUT|CERTIFICATE|CLIENT_KEY|CLIENT_CERTIFICATE)$/,
  logs: /^OTEL_EXPORTER_OTLP_(LOGS_)?(HEADERS|COMPRESSION|TIMEOUT|CERTIFICATE|CLIENT_KEY|CLIENT_CERTIFICATE)$/,
};

/**
 * The kit encodes and posts spans and log records itself (`otlp-http-export.ts`) for plain
 * `http/protobuf`; JSON, or headers, compression, timeouts or TLS material set through the
 * environment, go through the OpenTelemetry exporters, which know them all.
 */
function encodesItself(settings: TracingSettings, env: NodeJS.ProcessEnv, signal: keyof typeof EXPORTER_TUNING): boolean {
  if (settings.protocol !== 'http/protobuf') return false;
  for (const name in env) if (EXPORTER_TUNING[signal].test(name) && env[name]?.trim()) return false;
  return true;
}

/** The OpenTelemetry batch processor and exporter, behind the kit's bounded queue. */
async function batchProcessorOf(settings: TracingSettings, onDropped: (count: number) => void): Promise<BoundedSpanProcessor> {
  let bounded: BoundedSpanProcessor | undefined = undefined;
  const exporter = new CountingExporter(await traceExporterOf(settings), (count, exported) => {
    if (bounded) bounded.pending = Math.max(0, bounded.pending - count);
    if (!exported) onDropped(count);
  });
  const batch = new BatchSpanProcessor(exporter, {
    maxQueueSize: settings.maxQueueSize,
    maxExportBatchSize: Math.min(512, settings.maxQueueSize),
  });
  bounded = new BoundedSpanProcessor(batch, settings.maxQueueSize, onDropped);
  return bounded;
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

// The OpenTelemetry batch log processor's queue bound, kept for the kit's own log export.
const LOG_QUEUE_SIZE = 2048;

/** `http/json` and tuned exports: each JSON log line becomes a record of the OpenTelemetry SDK. */
export function sdkLogLineExporter(otelLogger: OtelLogger, inResource: ReadonlyMap<string, unknown>): (line: string) => void {
  return (line) => {
    let record: Record<string, unknown>;
    try {
      record = JSON.parse(line) as Record<string, unknown>;
    } catch {
      return;
    }
    const attributes: Record<string, string | number | boolean> = {};
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
      context: traceId && spanId ? parentContext({ traceId, spanId, traceFlags: '01', isRemote: false }) : ROOT_CONTEXT,
    });
  };
}

/** How long a shutdown waits for the last spans and logs to be exported. */
const SHUTDOWN_FLUSH_MS = 2000;

export interface OtelRuntime {
  recorder: SpanRecorder;
  /** Takes one JSON log line of the service logger (and what pino wrote it from) and exports it as an OTLP log record. */
  exportLogLine: ExportLogLine | undefined;
  /** Spans waiting for export now (queued or being sent). */
  pendingSpans(): number;
  shutdown(): Promise<void>;
}

export interface OtelRuntimeOptions {
  instanceId?: string;
  /** Where `OTEL_EXPORTER_OTLP_*` tuning variables are read (process.env unless told). */
  env?: NodeJS.ProcessEnv;
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
  const env = options.env ?? process.env;
  const origin = { resourceAttributes: resource.attributes, scope: { name: SCOPE } };
  // http/protobuf: the kit's own spans, encoded when they end. Otherwise the SDK's spans, batch
  // processor and exporter.
  let spans: { recorder: SpanRecorder; pending: () => number; shutdown: () => Promise<void>; close: () => void };
  if (!settings.exportsTraces) {
    spans = { recorder: createUnrecordedSpanRecorder(spanSamplerOf(settings)), pending: () => 0, shutdown: async () => {}, close: () => undefined };
  } else if (encodesItself(settings, env, 'traces')) {
    const queue = new OtlpExportQueue({
      url: settings.tracesUrl,
      origin,
      maxQueueSize: settings.maxQueueSize,
      scheduledDelayMs: settings.spanDelayMs,
      onDropped: options.onDropped,
    });
    spans = {
      recorder: createOtlpSpanRecorder(queue, spanSamplerOf(settings)),
      pending: () => queue.pending,
      shutdown: () => queue.forceFlush(),
      close: () => queue.close(),
    };
  } else {
    const processor = await batchProcessorOf(settings, options.onDropped);
    const provider = new BasicTracerProvider({ resource, sampler: samplerOf(settings), spanProcessors: [processor] });
    const tracer = provider.getTracer(SCOPE);
    spans = {
      recorder: {
        start: (name, kind, parent, attributes) =>
          handleOf(tracer.startSpan(name, { kind: KINDS[kind], attributes: cleanAttributes(attributes) }, parentContext(parent))),
      },
      pending: () => processor.pending,
      shutdown: () => provider.shutdown(),
      close: () => undefined,
    };
  }

  let loggerProvider: LoggerProvider | undefined;
  let logLines: LogLineExporter | undefined;
  let exportLogLine: ExportLogLine | undefined;
  if (settings.logsUrl) {
    // The logger's base fields that the resource already carries, left out of every record when
    // they say the same: fewer attributes to copy, check and encode per line.
    const inResource = new Map<string, unknown>([
      ['service', settings.serviceName],
      ['instanceId', options.instanceId],
      ['env', options.environment],
    ]);
    if (encodesItself(settings, env, 'logs')) {
      logLines = new LogLineExporter({ url: settings.logsUrl, origin, maxQueueSize: LOG_QUEUE_SIZE, scheduledDelayMs: settings.logDelayMs, inResource });
      exportLogLine = logLines.exportLine;
    } else {
      loggerProvider = new LoggerProvider({ resource, processors: [new BatchLogRecordProcessor({ exporter: await logExporterOf(settings) })] });
      exportLogLine = sdkLogLineExporter(loggerProvider.getLogger(SCOPE), inResource);
    }
  }

  return {
    recorder: spans.recorder,
    exportLogLine,
    pendingSpans: spans.pending,
    async shutdown() {
      // A dead collector must not hold the service's shutdown: flush what can go in a short time.
      let timer: NodeJS.Timeout | undefined;
      const bound = new Promise<void>((resolve) => {
        timer = setTimeout(resolve, SHUTDOWN_FLUSH_MS);
        timer.unref();
      });
      await Promise.race([Promise.allSettled([spans.shutdown(), loggerProvider?.shutdown(), logLines?.shutdown()]), bound]);
      clearTimeout(timer);
      spans.close();
      logLines?.close();
    },
  };
}
