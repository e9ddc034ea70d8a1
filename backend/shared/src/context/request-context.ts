import { AsyncLocalStorage } from 'node:async_hooks';
import { randomUUID } from 'node:crypto';
import { formatTraceParent, newSpanId, newTraceId, parseTraceParent } from './trace-context.js';

/** Header names the services read, echo and forward. */
export const REQUEST_ID_HEADER = 'x-request-id';
export const TRACEPARENT_HEADER = 'traceparent';

/** Who asked and which trace we are in: set per incoming request, read by logs and outgoing calls. */
export interface RequestContext {
  requestId: string;
  traceId: string;
  /** This service's span for the request: a new id at every hop. */
  spanId: string;
  /** The caller's span, when a valid `traceparent` came in. */
  parentSpanId?: string;
  /** W3C trace flags (`01` = sampled). */
  traceFlags: string;
  /** True when `spanId` is a span tracing records (set by `startServerSpan`); children hang off it only then. */
  traced?: boolean;
}

// Ids come from clients and land in logs: accept only a safe, bounded alphabet.
const SAFE_REQUEST_ID = /^[\w.:@/+=-]{1,128}$/;

const storage = new AsyncLocalStorage<RequestContext>();

type HeaderValue = string | string[] | undefined;

function firstValue(value: HeaderValue): string | undefined {
  return Array.isArray(value) ? value[0] : value;
}

/**
 * Builds the context of an incoming request from its headers: keeps a safe `x-request-id`
 * (or creates a UUID), continues a valid `traceparent` (or starts a trace), and opens a new span.
 */
export function createRequestContext(headers: Record<string, HeaderValue>): RequestContext {
  const incomingId = firstValue(headers[REQUEST_ID_HEADER]);
  const requestId = incomingId !== undefined && SAFE_REQUEST_ID.test(incomingId) ? incomingId : randomUUID();
  const parent = parseTraceParent(firstValue(headers[TRACEPARENT_HEADER]));
  if (parent) {
    return {
      requestId,
      traceId: parent.traceId,
      spanId: newSpanId(),
      parentSpanId: parent.parentSpanId,
      traceFlags: parent.flags,
    };
  }
  return { requestId, traceId: newTraceId(), spanId: newSpanId(), traceFlags: '01' };
}

/** Runs `fn` with `context` as the current request context (for it and everything it awaits). */
export function runWithRequestContext<T>(context: RequestContext, fn: () => T): T {
  return storage.run(context, fn);
}

/** The context of the request being handled, or undefined outside a request. */
export function getRequestContext(): RequestContext | undefined {
  return storage.getStore();
}

/** The `traceparent` this service sends onwards and answers with: our span is the next hop's parent. */
export function traceParentOf(context: RequestContext): string {
  return formatTraceParent(context.traceId, context.spanId, context.traceFlags);
}

/**
 * Headers to add to an outgoing HTTP call so the next service joins the same request and trace:
 * `x-request-id` and `traceparent`. Empty outside a request.
 *
 * @example await fetch(url, { headers: { ...outgoingHeaders(), accept: 'application/json' } });
 */
export function outgoingHeaders(
  context: RequestContext | undefined = getRequestContext(),
): Record<string, string> {
  if (!context) return {};
  return { [REQUEST_ID_HEADER]: context.requestId, [TRACEPARENT_HEADER]: traceParentOf(context) };
}
