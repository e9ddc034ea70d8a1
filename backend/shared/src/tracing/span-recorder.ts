/**
 * The seam between the kit and the OpenTelemetry SDK. Everything the services call (server spans,
 * `withSpan`, the HTTP client hook) talks to this small interface, so the SDK is loaded only when
 * `startTracing` finds an endpoint; with tracing off these helpers cost one variable check.
 */

export type SpanKindName = 'server' | 'client' | 'internal';

export type SpanAttributes = Record<string, string | number | boolean | undefined>;

/** Where a new span hangs: a trace, and the span inside it that is its parent. */
export interface SpanParent {
  traceId: string;
  /** Absent for a new trace's root. */
  spanId?: string;
  /** W3C trace flags, `01` = sampled. */
  traceFlags: string;
  /**
   * True when the parent came from another process (an incoming `traceparent`), false when it is
   * a span of this process (the request's server span, a `withSpan`). OTLP tells the two apart.
   */
  isRemote: boolean;
}

/** A started span. `traceId`/`spanId`/`traceFlags` are what the next hop's `traceparent` carries. */
export interface SpanHandle {
  readonly traceId: string;
  readonly spanId: string;
  readonly traceFlags: string;
  setAttribute(name: string, value: string | number | boolean): void;
  /** Ends the span; an `error` marks it failed and is recorded as an exception event. */
  end(error?: unknown): void;
}

export interface SpanRecorder {
  start(name: string, kind: SpanKindName, parent: SpanParent | undefined, attributes?: SpanAttributes): SpanHandle;
}

let recorder: SpanRecorder | undefined;

/** The recorder of the running SDK, or undefined when tracing is off. */
export function activeSpanRecorder(): SpanRecorder | undefined {
  return recorder;
}

/** Set by `startTracing` once the SDK is up, cleared when it shuts down (and by tests). */
export function setSpanRecorder(next: SpanRecorder | undefined): void {
  recorder = next;
}
