import { Counter, type Registry } from 'prom-client';
import type { Logger } from 'pino';
import { ConfigError } from '../errors.js';
import { setLogLineExporter } from '../logging/log-export.js';
import { traceHttpClients } from './http-client-spans.js';
import { setSpanRecorder } from './span-recorder.js';
import { readTracingEnv, type TracingSettings } from './tracing-env.js';

export interface StartTracingOptions {
  /** The service's name; `OTEL_SERVICE_NAME` wins when set. */
  service: string;
  /** The replica id (`service.instance.id`). */
  instanceId?: string;
  /** Says once where spans go, and once a minute how many were dropped. */
  logger?: Pick<Logger, 'info' | 'warn'>;
  /** Where `otel_spans_dropped_total` is registered (the service's metrics registry). */
  registry?: Registry;
  env?: NodeJS.ProcessEnv;
  /** `exit` (default): a bad variable prints one line and exits 1; `throw`: a `ConfigError`. */
  onError?: 'exit' | 'throw';
  /** How often dropped spans are logged; one minute unless told (tests). */
  dropLogIntervalMs?: number;
}

export interface Tracing {
  enabled: boolean;
  /** Where spans go, or why tracing is off. */
  describe: string;
  /** Exports what is queued and stops recording; register it with the shutdown. */
  shutdown(): Promise<void>;
}

/**
 * Switches OpenTelemetry tracing on for this process when `OTEL_EXPORTER_OTLP_ENDPOINT` (or
 * `OTEL_EXPORTER_OTLP_TRACES_ENDPOINT`) is set and `OTEL_SDK_DISABLED` is not true: incoming
 * requests of the service plugin, outgoing undici/fetch calls, `withSpan` and `traceMethods`
 * record spans, and log lines are exported over OTLP too. Otherwise the SDK is not even loaded.
 * A bad `OTEL_*` variable is a startup error naming it.
 */
export async function startTracing(options: StartTracingOptions): Promise<Tracing> {
  const env = options.env ?? process.env;
  let settings: TracingSettings | { off: true; reason: string };
  try {
    settings = readTracingEnv(options.service, env);
  } catch (error) {
    if (options.onError === 'throw' || !(error instanceof ConfigError)) throw error;
    process.stderr.write(error.problems.map((problem) => `${options.service}: Invalid environment: ${problem}\n`).join(''));
    process.exit(1);
  }
  if ('off' in settings) return { enabled: false, describe: `tracing off (${settings.reason})`, shutdown: async () => {} };

  const dropped = options.registry
    ? new Counter({
        name: 'otel_spans_dropped_total',
        help: 'Spans not exported: the export queue was full or the OTLP endpoint failed',
        registers: [options.registry],
      })
    : undefined;
  let droppedSinceLog = 0;
  const { createOtelRuntime } = await import('./otel-sdk.js');
  const runtime = await createOtelRuntime(settings, {
    instanceId: options.instanceId,
    environment: env.NODE_ENV,
    env,
    onDropped: (count) => {
      dropped?.inc(count);
      droppedSinceLog += count;
    },
  });
  // One line a minute at most: a dead collector must not flood the logs it would have received.
  const dropLog = setInterval(() => {
    if (droppedSinceLog === 0) return;
    options.logger?.warn(
      { droppedSpans: droppedSinceLog, endpoint: settings.tracesUrl },
      `tracing: ${droppedSinceLog} spans dropped (queue full or ${settings.tracesUrl} failing)`,
    );
    droppedSinceLog = 0;
  }, options.dropLogIntervalMs ?? 60_000);
  dropLog.unref();

  setSpanRecorder(runtime.recorder);
  const stopHttpClients = traceHttpClients();
  setLogLineExporter(runtime.exportLogLine);
  const sampler = `sampler ${settings.sampler}${settings.sampler.endsWith('traceidratio') ? ` ${settings.samplerRatio}` : ''}`;
  const describe = settings.exportsTraces
    ? `tracing to ${settings.tracesUrl} (${settings.protocol}, ${sampler}${settings.logsUrl ? '' : ', logs not exported'})`
    : `logs to ${settings.logsUrl} (${settings.protocol}; spans not exported, ${sampler} for trace ids)`;
  options.logger?.info({ tracesUrl: settings.tracesUrl, protocol: settings.protocol }, describe);
  return {
    enabled: true,
    describe,
    async shutdown() {
      clearInterval(dropLog);
      stopHttpClients();
      setSpanRecorder(undefined);
      setLogLineExporter(undefined);
      await runtime.shutdown();
    },
  };
}
