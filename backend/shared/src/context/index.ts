export {
  createRequestContext,
  getRequestContext,
  outgoingHeaders,
  REQUEST_ID_HEADER,
  runWithRequestContext,
  TRACEPARENT_HEADER,
  traceParentOf,
  type RequestContext,
} from './request-context.js';
export {
  formatTraceParent,
  newSpanId,
  newTraceId,
  parseTraceParent,
  type TraceParent,
} from './trace-context.js';
