import { ConfigError } from '../errors.js';

/** The OTLP encodings the kit exports with (gRPC needs a native module; the collector takes both of these). */
export const OTLP_PROTOCOLS = ['http/protobuf', 'http/json'] as const;
export type OtlpProtocol = (typeof OTLP_PROTOCOLS)[number];

/** The samplers of the OpenTelemetry specification's `OTEL_TRACES_SAMPLER`. */
export const TRACES_SAMPLERS = [
  'always_on',
  'always_off',
  'traceidratio',
  'parentbased_always_on',
  'parentbased_always_off',
  'parentbased_traceidratio',
] as const;
export type TracesSampler = (typeof TRACES_SAMPLERS)[number];

/**
 * The values of `OTEL_TRACES_EXPORTER` and `OTEL_LOGS_EXPORTER` the kit knows: OTLP (the default)
 * or nothing. The specification's others (console, zipkin, ...) would need exporters the kit does
 * not ship, so they are a startup error rather than a silent `otlp`.
 */
export const SIGNAL_EXPORTERS = ['otlp', 'none'] as const;

/** What `startTracing` does, read from the standard `OTEL_*` variables only. */
export interface TracingSettings {
  serviceName: string;
  /** Where traces go (`<endpoint>/v1/traces` unless `OTEL_EXPORTER_OTLP_TRACES_ENDPOINT` names it). */
  tracesUrl: string;
  /**
   * Whether spans are exported (`OTEL_TRACES_EXPORTER`, `otlp` unless `none`). Without it spans
   * still carry ids and sampling decisions, so logs keep their `trace_id` and the next service
   * still gets a sampled `traceparent`; nothing is recorded.
   */
  exportsTraces: boolean;
  /**
   * Where logs go (`<endpoint>/v1/logs` unless `OTEL_EXPORTER_OTLP_LOGS_ENDPOINT` names it); empty
   * when they are not exported (`OTEL_LOGS_EXPORTER=none`, or only a traces endpoint is set).
   */
  logsUrl: string;
  protocol: OtlpProtocol;
  sampler: TracesSampler;
  /** The ratio of `traceidratio` samplers, 0 to 1. */
  samplerRatio: number;
  /** Spans waiting for export at most; more are dropped and counted (`OTEL_BSP_MAX_QUEUE_SIZE`). */
  maxQueueSize: number;
  /** Longest wait between a span's end and its export, ms (`OTEL_BSP_SCHEDULE_DELAY`, 1000). */
  spanDelayMs: number;
  /** Longest wait between a log record and its export, ms (`OTEL_BLRP_SCHEDULE_DELAY`, 1000). */
  logDelayMs: number;
}

/** Tracing is off: the SDK is never loaded, nothing is recorded or exported. */
export interface TracingOff {
  off: true;
  reason: string;
}

function blankToUndefined(value: string | undefined): string | undefined {
  const trimmed = value?.trim();
  return trimmed === '' ? undefined : trimmed;
}

function checkUrl(name: string, value: string, problems: string[]): string {
  try {
    const url = new URL(value);
    if (url.protocol !== 'http:' && url.protocol !== 'https:') throw new Error('not http');
  } catch {
    problems.push(`${name}="${value}" is not an http(s) URL`);
  }
  return value;
}

/**
 * Reads the standard OpenTelemetry variables: `OTEL_SDK_DISABLED`, `OTEL_EXPORTER_OTLP_ENDPOINT`
 * (and its `_TRACES_`/`_LOGS_` forms), `OTEL_EXPORTER_OTLP_PROTOCOL`, `OTEL_SERVICE_NAME`,
 * `OTEL_TRACES_SAMPLER`, `OTEL_TRACES_SAMPLER_ARG`, `OTEL_BSP_MAX_QUEUE_SIZE`, `OTEL_BSP_SCHEDULE_DELAY`,
 * `OTEL_BLRP_SCHEDULE_DELAY`, `OTEL_TRACES_EXPORTER` and `OTEL_LOGS_EXPORTER` (`otlp` or `none`). Without an endpoint
 * tracing is off. Throws a `ConfigError` with one problem per bad variable, each naming it.
 */
export function readTracingEnv(service: string, env: NodeJS.ProcessEnv = process.env): TracingSettings | TracingOff {
  const problems: string[] = [];
  const disabled = blankToUndefined(env.OTEL_SDK_DISABLED)?.toLowerCase();
  if (disabled !== undefined && disabled !== 'true' && disabled !== 'false') {
    problems.push(`OTEL_SDK_DISABLED="${env.OTEL_SDK_DISABLED}" must be true or false`);
  }
  const endpoint = blankToUndefined(env.OTEL_EXPORTER_OTLP_ENDPOINT);
  const tracesEndpoint = blankToUndefined(env.OTEL_EXPORTER_OTLP_TRACES_ENDPOINT);
  const logsEndpoint = blankToUndefined(env.OTEL_EXPORTER_OTLP_LOGS_ENDPOINT);

  const protocol = blankToUndefined(env.OTEL_EXPORTER_OTLP_PROTOCOL) ?? 'http/protobuf';
  if (!(OTLP_PROTOCOLS as readonly string[]).includes(protocol)) {
    problems.push(`OTEL_EXPORTER_OTLP_PROTOCOL="${protocol}" must be one of ${OTLP_PROTOCOLS.join(', ')}`);
  }
  const sampler = (blankToUndefined(env.OTEL_TRACES_SAMPLER) ?? 'parentbased_always_on').toLowerCase();
  if (!(TRACES_SAMPLERS as readonly string[]).includes(sampler)) {
    problems.push(`OTEL_TRACES_SAMPLER="${env.OTEL_TRACES_SAMPLER}" must be one of ${TRACES_SAMPLERS.join(', ')}`);
  }
  const samplerArg = blankToUndefined(env.OTEL_TRACES_SAMPLER_ARG);
  const samplerRatio = samplerArg === undefined ? 1 : Number(samplerArg);
  if (samplerArg !== undefined && !(Number.isFinite(samplerRatio) && samplerRatio >= 0 && samplerRatio <= 1)) {
    problems.push(`OTEL_TRACES_SAMPLER_ARG="${samplerArg}" must be a number from 0 to 1`);
  }
  const exporterOf = (name: 'OTEL_TRACES_EXPORTER' | 'OTEL_LOGS_EXPORTER'): boolean => {
    const value = (blankToUndefined(env[name]) ?? 'otlp').toLowerCase();
    if ((SIGNAL_EXPORTERS as readonly string[]).includes(value)) return value === 'otlp';
    problems.push(`${name}="${env[name]}" must be one of ${SIGNAL_EXPORTERS.join(', ')}`);
    return false;
  };
  const exportsTraces = exporterOf('OTEL_TRACES_EXPORTER');
  const exportsLogs = exporterOf('OTEL_LOGS_EXPORTER');
  const queueArg = blankToUndefined(env.OTEL_BSP_MAX_QUEUE_SIZE);
  const maxQueueSize = queueArg === undefined ? 2048 : Number(queueArg);
  if (!Number.isInteger(maxQueueSize) || maxQueueSize < 1) {
    problems.push(`OTEL_BSP_MAX_QUEUE_SIZE="${queueArg}" must be a positive integer`);
  }
  const delayOf = (name: 'OTEL_BSP_SCHEDULE_DELAY' | 'OTEL_BLRP_SCHEDULE_DELAY'): number => {
    const value = blankToUndefined(env[name]);
    const delay = value === undefined ? 1000 : Number(value);
    if (!Number.isInteger(delay) || delay < 0) problems.push(`${name}="${value}" must be a whole number of milliseconds`);
    return delay;
  };
  const spanDelayMs = delayOf('OTEL_BSP_SCHEDULE_DELAY');
  const logDelayMs = delayOf('OTEL_BLRP_SCHEDULE_DELAY');
  if (endpoint) checkUrl('OTEL_EXPORTER_OTLP_ENDPOINT', endpoint, problems);
  if (tracesEndpoint) checkUrl('OTEL_EXPORTER_OTLP_TRACES_ENDPOINT', tracesEndpoint, problems);
  if (logsEndpoint) checkUrl('OTEL_EXPORTER_OTLP_LOGS_ENDPOINT', logsEndpoint, problems);
  if (problems.length > 0) throw new ConfigError(problems);

  if (disabled === 'true') return { off: true, reason: 'OTEL_SDK_DISABLED=true' };
  if (!endpoint && !tracesEndpoint) return { off: true, reason: 'no OTEL_EXPORTER_OTLP_ENDPOINT' };
  const base = endpoint?.replace(/\/+$/, '');
  const logsUrl = exportsLogs ? (logsEndpoint ?? (base ? `${base}/v1/logs` : '')) : '';
  if (!exportsTraces && !logsUrl) return { off: true, reason: 'OTEL_TRACES_EXPORTER and OTEL_LOGS_EXPORTER are none' };
  return {
    serviceName: blankToUndefined(env.OTEL_SERVICE_NAME) ?? service,
    tracesUrl: tracesEndpoint ?? `${base}/v1/traces`,
    exportsTraces,
    logsUrl,
    protocol: protocol as OtlpProtocol,
    sampler: sampler as TracesSampler,
    samplerRatio,
    maxQueueSize,
    spanDelayMs,
    logDelayMs,
  };
}
