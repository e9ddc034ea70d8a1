export { startTracing, type StartTracingOptions, type Tracing } from './start-tracing.js';
export { readTracingEnv, OTLP_PROTOCOLS, TRACES_SAMPLERS, type TracingSettings, type TracingOff } from './tracing-env.js';
export { startServerSpan, startChildSpan, withSpan, traceMethods, tracingEnabled } from './spans.js';
export type { SpanHandle, SpanAttributes, SpanKindName } from './span-recorder.js';
