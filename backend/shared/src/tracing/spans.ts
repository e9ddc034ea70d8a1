import { getRequestContext, runWithRequestContext, type RequestContext } from '../context/request-context.js';
import { activeSpanRecorder, type SpanAttributes, type SpanHandle, type SpanKindName } from './span-recorder.js';

/** True when `startTracing` found an endpoint and the SDK is recording. */
export function tracingEnabled(): boolean {
  return activeSpanRecorder() !== undefined;
}

/**
 * Opens the span of an incoming request and makes `context` carry it: the trace id (kept from a
 * valid incoming `traceparent`, else the new trace's), this span's id (what responses and
 * outgoing calls send as parent) and the sampling decision. Undefined when tracing is off, and
 * `context` is left as it was.
 */
export function startServerSpan(
  context: RequestContext,
  name: string,
  attributes?: SpanAttributes,
): SpanHandle | undefined {
  const recorder = activeSpanRecorder();
  if (!recorder) return undefined;
  const parent = context.parentSpanId
    ? { traceId: context.traceId, spanId: context.parentSpanId, traceFlags: context.traceFlags, isRemote: true }
    : undefined;
  const span = recorder.start(name, 'server', parent, attributes);
  context.traceId = span.traceId;
  context.spanId = span.spanId;
  context.traceFlags = span.traceFlags;
  context.traced = true;
  return span;
}

/**
 * A child of the current request's span, or undefined outside a request, in a request that is not
 * traced (health and metrics probes), or with tracing off.
 */
export function startChildSpan(
  name: string,
  kind: SpanKindName,
  attributes?: SpanAttributes,
  context: RequestContext | undefined = getRequestContext(),
): SpanHandle | undefined {
  const recorder = activeSpanRecorder();
  if (!recorder || !context?.traced) return undefined;
  // The request's span (or a `withSpan` around this call) lives in this process: a local parent.
  return recorder.start(name, kind, { traceId: context.traceId, spanId: context.spanId, traceFlags: context.traceFlags, isRemote: false }, attributes);
}

function isPromiseLike(value: unknown): value is PromiseLike<unknown> {
  return typeof (value as { then?: unknown } | null)?.then === 'function';
}

/**
 * Runs `fn` inside a child span of the current request's span: logs and outgoing calls made by
 * `fn` carry the child's span id. Ends the span when `fn` returns or settles; a throw or a
 * rejection marks it failed. Outside a request, or with tracing off, just runs `fn`.
 *
 * @example await withSpan('redis GET', { 'db.system': 'redis' }, () => redis.get(key));
 */
export function withSpan<T>(name: string, attributes: SpanAttributes, fn: () => T, kind: SpanKindName = 'internal'): T {
  const context = getRequestContext();
  const span = startChildSpan(name, kind, attributes, context);
  if (!span || !context) return fn();
  // Written out rather than spread: this runs for every span, and a literal of known shape is cheaper.
  const child: RequestContext = {
    requestId: context.requestId,
    traceId: context.traceId,
    spanId: span.spanId,
    parentSpanId: context.spanId,
    traceFlags: span.traceFlags,
    traced: context.traced,
  };
  let result: T;
  try {
    result = runWithRequestContext(child, fn);
  } catch (error) {
    span.end(error);
    throw error;
  }
  if (isPromiseLike(result)) {
    result.then(
      () => span.end(),
      (error: unknown) => span.end(error),
    );
  } else {
    span.end();
  }
  return result;
}

/**
 * Wraps every method of `target` (a repository, a cache client) so each call is a client span
 * named `<prefix> <method>` with `attributes` (e.g. `{ 'db.system': 'mongodb' }`). Returns
 * `target` itself when tracing is off, so call it after `startTracing`.
 */
export function traceMethods<T extends object>(target: T, prefix: string, attributes: SpanAttributes): T {
  if (!tracingEnabled()) return target;
  // One wrapper per method, built on first use: a repository is called on every request, and a
  // new closure plus a spread of the attributes per call showed in the services' CPU profile.
  const wrappers = new Map<string, { method: unknown; traced: (...args: unknown[]) => unknown }>();
  return new Proxy(target, {
    get(object, property, receiver) {
      const value: unknown = Reflect.get(object, property, receiver);
      if (typeof value !== 'function' || typeof property !== 'string' || property === 'constructor') return value;
      const known = wrappers.get(property);
      if (known?.method === value) return known.traced;
      const method = value as (...args: unknown[]) => unknown;
      const name = `${prefix} ${property}`;
      const spanAttributes = { ...attributes, 'db.operation.name': property };
      const traced = function traced(this: unknown, ...args: unknown[]) {
        return withSpan(name, spanAttributes, () => method.apply(object, args), 'client');
      };
      wrappers.set(property, { method: value, traced });
      return traced;
    },
  });
}
