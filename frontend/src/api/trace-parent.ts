/*
 * The browser's side of W3C trace context (https://www.w3.org/TR/trace-context/): every API call
 * starts a trace here, so the gateway's span (and everything after it) hangs under the browser's
 * request. A few lines of our own instead of a web tracing SDK, which would cost more than the
 * whole app in the bundle. The browser records no span of its own: the trace's root span id is
 * the request's, known from this header only.
 */

export const TRACEPARENT_HEADER = 'traceparent';

function randomHex(bytes: number): string {
  const values = crypto.getRandomValues(new Uint8Array(bytes));
  let hex = '';
  for (const value of values) hex += value.toString(16).padStart(2, '0');
  return hex;
}

/**
 * A version-00 `traceparent` for a new trace, sampled (`01`): the services' parent-based samplers
 * follow it, so a request the user made is traced whole or not at all.
 */
export function newTraceParent(): string {
  // All-zero ids are invalid (the gateway would start a new trace); one in 2^64 at worst.
  const traceId = randomHex(16);
  const spanId = randomHex(8);
  if (/^0+$/.test(traceId) || /^0+$/.test(spanId)) return newTraceParent();
  return `00-${traceId}-${spanId}-01`;
}
