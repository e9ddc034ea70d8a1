import { newSpanId, newTraceId } from '../context/trace-context.js';
import { writeKeyValue, type ProtobufWriter } from './otlp-body.js';
import type { OtlpExportQueue } from './otlp-http-export.js';
import type { SpanAttributes, SpanHandle, SpanKindName, SpanParent, SpanRecorder } from './span-recorder.js';

/*
 * The kit's own spans for the `http/protobuf` export. The kit needs little of a span (ids, a
 * name, a kind, attributes, an end, an error), and each request records several, so instead of
 * the OpenTelemetry SDK's (a Context per parent, a sampler call, a SpanImpl with limits, clocks
 * and processors, two closures per handle) a span here is one small object that is encoded into
 * the next export's body when it ends and is garbage right after. The bytes are the Span message
 * the OpenTelemetry exporter writes (`otlp-span-recorder.spec.ts` compares them); samplers follow
 * the specification's (the ratio is the SDK's own TraceIdRatioBasedSampler arithmetic).
 */

// OTLP's SpanKind (trace/v1): 1 internal, 2 server, 3 client.
const OTLP_KINDS: Record<SpanKindName, number> = { internal: 1, server: 2, client: 3 };

// SpanFlags of opentelemetry-proto: whether the parent was remote is known, and whether it was.
const FLAGS_HAS_IS_REMOTE = 0x100;
const FLAGS_IS_REMOTE = 0x200;

// The SDK's default limit of attributes per span; past it they are counted as dropped.
const ATTRIBUTE_COUNT_LIMIT = 128;

const STATUS_ERROR = 2;

/** Decides whether a new span is sampled, from its trace id and its parent (if any). */
export type SpanSampler = (traceId: string, parent: SpanParent | undefined) => boolean;

/** Milliseconds since the epoch, with the sub-millisecond part of the monotonic clock. */
function nowMs(): number {
  return performance.timeOrigin + performance.now();
}

function writeMillis(writer: ProtobufWriter, ms: number): void {
  let seconds = Math.floor(ms / 1000);
  let nanos = Math.round((ms - seconds * 1000) * 1e6);
  if (nanos >= 1e9) {
    seconds++;
    nanos -= 1e9;
  }
  writer.time(seconds, nanos);
}

/** The `exception` event of a failed span, as the SDK's `recordException` builds it. */
interface ExceptionEvent {
  timeMs: number;
  attributes: Record<string, string>;
}

function exceptionEventOf(error: unknown, timeMs: number): ExceptionEvent | undefined {
  const attributes: Record<string, string> = {};
  if (typeof error === 'string') attributes['exception.message'] = error;
  else if (error && typeof error === 'object') {
    const { code, name, message, stack } = error as { code?: string | number; name?: string; message?: string; stack?: string };
    if (code) attributes['exception.type'] = String(code);
    else if (name) attributes['exception.type'] = name;
    if (message) attributes['exception.message'] = message;
    if (stack) attributes['exception.stacktrace'] = stack;
  }
  return attributes['exception.type'] || attributes['exception.message'] ? { timeMs, attributes } : undefined;
}

/** A span being recorded: the handle the kit's code holds, and what is encoded when it ends. */
export class RecordedSpan implements SpanHandle {
  readonly traceFlags: string;
  endMs = 0;
  /**
   * Attributes set after the start. The ones given at start are shared (`traceMethods` passes the
   * same object to every call) and never written to; the first one set later (the status code of
   * an HTTP span) is kept in two fields rather than in a copy of them all.
   */
  laterKey: string | undefined = undefined;
  laterValue: string | number | boolean | undefined = undefined;
  /** Any more set later, in the order they were set. */
  moreLater: Map<string, string | number | boolean> | undefined = undefined;
  statusMessage: string | undefined = undefined;
  failed = false;
  exception: ExceptionEvent | undefined = undefined;

  constructor(
    private readonly queue: OtlpExportQueue | undefined,
    readonly traceId: string,
    readonly spanId: string,
    readonly parentSpanId: string | undefined,
    /** Whether the parent is another process's span (an incoming `traceparent`). */
    readonly parentIsRemote: boolean,
    readonly name: string,
    readonly kind: SpanKindName,
    readonly attributes: SpanAttributes | undefined,
    readonly startMs: number,
  ) {
    this.traceFlags = queue ? '01' : '00';
  }

  setAttribute(name: string, value: string | number | boolean): void {
    if (!this.queue || this.endMs !== 0) return;
    if (this.laterKey === undefined || this.laterKey === name) {
      this.laterKey = name;
      this.laterValue = value;
    } else {
      this.moreLater ??= new Map();
      this.moreLater.set(name, value);
    }
  }

  /** The value set later for `name`, if any. */
  later(name: string): string | number | boolean | undefined {
    return name === this.laterKey ? this.laterValue : this.moreLater?.get(name);
  }

  end(error?: unknown): void {
    // A span that is not sampled has no queue: nothing to record or export.
    if (!this.queue || this.endMs !== 0) return;
    this.endMs = nowMs();
    if (error !== undefined) {
      const message = error instanceof Error ? error.message : typeof error === 'string' ? error : 'failed';
      this.exception = exceptionEventOf(error instanceof Error ? error : message, this.endMs);
      this.failed = true;
      this.statusMessage = message;
    }
    this.queue.add(writeRecordedSpan, this);
  }
}

/** One `Span` message (opentelemetry-proto trace/v1), fields in number order as the OpenTelemetry exporter writes them. */
export function writeRecordedSpan(writer: ProtobufWriter, span: RecordedSpan): void {
  writer.tag(1, 2);
  writer.hexBytes(span.traceId);
  writer.tag(2, 2);
  writer.hexBytes(span.spanId);
  if (span.parentSpanId) {
    writer.tag(4, 2);
    writer.hexBytes(span.parentSpanId);
  }
  writer.tag(5, 2);
  writer.string(span.name);
  writer.tag(6, 0);
  writer.varint(OTLP_KINDS[span.kind]);
  writer.tag(7, 1);
  writeMillis(writer, span.startMs);
  writer.tag(8, 1);
  writeMillis(writer, span.endMs);
  // As the SDK keeps them: the start's attributes in their order, a later value replacing an
  // earlier one in place, new names after them in the order they were set.
  // Past the SDK's limit attributes are counted as dropped, not written.
  let room = ATTRIBUTE_COUNT_LIMIT;
  let dropped = 0;
  const attributes = span.attributes;
  const changed = span.laterKey !== undefined;
  for (const key in attributes) {
    const value = attributes[key];
    if (value === undefined) continue;
    if (room === 0) dropped++;
    else {
      writeKeyValue(writer, 9, key, changed ? (span.later(key) ?? value) : value);
      room--;
    }
  }
  if (changed) {
    if (attributes?.[span.laterKey!] === undefined) {
      if (room === 0) dropped++;
      else {
        writeKeyValue(writer, 9, span.laterKey!, span.laterValue!);
        room--;
      }
    }
    for (const [key, value] of span.moreLater ?? []) {
      if (attributes?.[key] !== undefined) continue;
      if (room === 0) dropped++;
      else {
        writeKeyValue(writer, 9, key, value);
        room--;
      }
    }
  }
  writer.tag(10, 0);
  writer.varint(dropped);
  if (span.exception) {
    writer.tag(11, 2);
    const event = writer.begin();
    writer.tag(1, 1);
    writeMillis(writer, span.exception.timeMs);
    writer.tag(2, 2);
    writer.string('exception');
    for (const key in span.exception.attributes) writeKeyValue(writer, 3, key, span.exception.attributes[key]);
    writer.tag(4, 0);
    writer.varint(0);
    writer.end(event);
  }
  // No events dropped, no links (the kit starts none).
  writer.tag(12, 0);
  writer.varint(0);
  writer.tag(14, 0);
  writer.varint(0);
  writer.tag(15, 2);
  const status = writer.begin();
  if (span.statusMessage) {
    writer.tag(2, 2);
    writer.string(span.statusMessage);
  }
  writer.tag(3, 0);
  writer.varint(span.failed ? STATUS_ERROR : 0);
  writer.end(status);
  writer.tag(16, 5);
  // Sampled, and whether the parent is remote is known: a root and a child of a span of this
  // process are local, a server span continuing a caller's traceparent has a remote parent.
  writer.fixed32(1 | FLAGS_HAS_IS_REMOTE | (span.parentIsRemote ? FLAGS_IS_REMOTE : 0));
}

/** The trace a new span belongs to and its parent there: the parent's when it has one, else a new trace. */
function placeOf(parent: SpanParent | undefined): { traceId: string; parent: SpanParent | undefined } {
  const hasParent = parent?.spanId !== undefined && parent.spanId !== '';
  return hasParent ? { traceId: parent.traceId, parent } : { traceId: newTraceId(), parent: undefined };
}

/**
 * The recorder `startTracing` installs for `http/protobuf`: spans sampled by `sampler` are
 * encoded into `queue` when they end; the others only carry ids (flags `00`).
 */
export function createOtlpSpanRecorder(queue: OtlpExportQueue, sampler: SpanSampler): SpanRecorder {
  return {
    start(name: string, kind: SpanKindName, parent: SpanParent | undefined, attributes?: SpanAttributes): SpanHandle {
      const place = placeOf(parent);
      const sampled = sampler(place.traceId, place.parent);
      return new RecordedSpan(sampled ? queue : undefined, place.traceId, newSpanId(), place.parent?.spanId, place.parent?.isRemote ?? false, name, kind, attributes, nowMs());
    },
  };
}

/** A span nobody records: its ids and sampling decision, for logs and the next hop's `traceparent`. */
class UnrecordedSpan implements SpanHandle {
  constructor(
    readonly traceId: string,
    readonly spanId: string,
    readonly traceFlags: string,
  ) {}

  setAttribute(): void {}

  end(): void {}
}

/**
 * The recorder for `OTEL_TRACES_EXPORTER=none`: spans keep their ids and the sampler's decision
 * (a sampled trace stays sampled for the services after this one, which may export theirs), and
 * nothing is recorded or exported.
 */
export function createUnrecordedSpanRecorder(sampler: SpanSampler): SpanRecorder {
  return {
    start(_name: string, _kind: SpanKindName, parent: SpanParent | undefined): SpanHandle {
      const place = placeOf(parent);
      return new UnrecordedSpan(place.traceId, newSpanId(), sampler(place.traceId, place.parent) ? '01' : '00');
    },
  };
}
