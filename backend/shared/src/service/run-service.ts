import { Counter } from 'prom-client';
import type { BaseServiceConfig } from '../config/base-env.js';
import { HealthRegistry } from '../health/health-registry.js';
import { createLogger, type Logger } from '../logging/logger.js';
import { createMetrics, type ServiceMetrics } from '../metrics/service-metrics.js';
import { createShutdown, type ProcessEvents, type Shutdown } from '../shutdown/shutdown.js';
import { startTracing } from '../tracing/start-tracing.js';
import { releaseMemoryWhenIdle } from './idle-memory-release.js';
import { listeningAddress } from './listening-address.js';

/** What every service gets before it opens anything: one logger, health registry, metrics registry and shutdown. */
export interface ServiceKit {
  logger: Logger;
  health: HealthRegistry;
  metrics: ServiceMetrics;
  /** Register each resource as soon as it is open; the HTTP server is registered last by `runService`. */
  shutdown: Shutdown;
}

/** The part of a Fastify (or NestJS-on-Fastify) app `runService` needs. */
export interface ListeningApp {
  listen(options: { port: number; host: string }): Promise<unknown>;
  close(): unknown;
}

/** What a service's `start` hands back: the app, not yet listening, and what to say once it is. */
export interface StartedService {
  app: ListeningApp;
  /** The "listening" log line: its message and extra fields (`address` is added). */
  listening: { message: string; fields?: Record<string, unknown> };
}

export interface RunServiceOptions {
  /** Service name, on every log line and metric. */
  service: string;
  /** The service's parsed configuration (`baseServiceEnv` and its own variables). */
  config: Pick<
    BaseServiceConfig,
    'NODE_ENV' | 'INSTANCE_ID' | 'LOG_LEVEL' | 'SHUTDOWN_GRACE_MS' | 'PORT' | 'HOST'
  > &
    Partial<Pick<BaseServiceConfig, 'IDLE_MEMORY_RELEASE'>>;
  /**
   * Opens the service's resources (each registered with `kit.shutdown.add` right after it opens),
   * registers its health checks, builds the app and returns it. A throw is a failed start.
   */
  start(kit: ServiceKit): Promise<StartedService> | StartedService;
  /**
   * Once listening, a memory-reducing GC each time the process goes idle after work (see
   * `releaseMemoryWhenIdle`), so an idle service does not hold its start-up garbage and grown
   * young generation. Each release counts in `idle_memory_releases_total` on /metrics. On unless
   * told here or by `IDLE_MEMORY_RELEASE=false`.
   */
  releaseMemoryWhenIdle?: boolean;
  /** prom-client's process metrics; on unless told (tests turn them off). */
  defaultMetrics?: boolean;
  /** Called when shutdown begins, after readiness turns 503 (tests). */
  onShutdown?: () => void;
  /** Where signals come from and how the process ends; `process` unless told (tests). */
  signalSource?: ProcessEvents;
  exit?: (code: number) => void;
}

/**
 * The one bootstrap every service runs: creates the logger, health registry, metrics and ordered
 * shutdown, calls `start`, listens on HOST:PORT, registers the HTTP server last (so it closes
 * first and drains in-flight requests) and logs the listening line. SIGTERM/SIGINT then close
 * everything in reverse order and exit 0. A failed start (a throw in `start`, or a port that cannot
 * be bound) is logged as one `fatal` line naming the service and the reason, closes what was
 * already opened, and exits 1.
 *
 * @example
 * const config = readConfig();
 * await runService({
 *   service: 'nestjs-api',
 *   config,
 *   async start({ logger, health, metrics, shutdown }) {
 *     const tools = await openToolRepository(config);
 *     shutdown.add('tools', () => tools.close());
 *     health.register('store', () => tools.ping());
 *     const app = buildApp({ logger, health, metrics, instanceId: config.INSTANCE_ID, tools });
 *     return { app, listening: { message: 'nestjs-api listening' } };
 *   },
 * });
 */
export async function runService(options: RunServiceOptions): Promise<ServiceKit> {
  const { service, config } = options;
  const logger = createLogger({
    service,
    env: config.NODE_ENV,
    instanceId: config.INSTANCE_ID,
    level: config.LOG_LEVEL,
  });
  const health = new HealthRegistry();
  const metrics = createMetrics({
    service,
    instanceId: config.INSTANCE_ID,
    ...(options.defaultMetrics === undefined ? {} : { defaultMetrics: options.defaultMetrics }),
  });
  const exit = options.exit ?? ((code: number) => process.exit(code));
  const shutdown = createShutdown({
    logger,
    graceMs: config.SHUTDOWN_GRACE_MS,
    onStart: () => {
      health.markDraining();
      options.onShutdown?.();
    },
    exit,
    ...(options.signalSource ? { signalSource: options.signalSource } : {}),
  });
  const kit: ServiceKit = { logger, health, metrics, shutdown };
  // Before the service opens anything, so its first requests are traced; a bad OTEL_* variable
  // stops the start with one line. Registered first, closed last: the final spans are flushed.
  // Off, there is nothing to flush, and the shutdown log stays as it was without tracing.
  const tracing = await startTracing({ service, instanceId: config.INSTANCE_ID, logger, registry: metrics.registry });
  if (tracing.enabled) shutdown.add('tracing', () => tracing.shutdown());

  try {
    const { app, listening } = await options.start(kit);
    const address = await listen(app, config);
    // Registered last, closed first: stop accepting, let in-flight requests finish.
    shutdown.add('http', () => app.close());
    logger.info({ ...listening.fields, address }, listening.message);
    // Unref'd, so it needs no place in the shutdown.
    if (options.releaseMemoryWhenIdle ?? config.IDLE_MEMORY_RELEASE ?? true) {
      // Counted so that "it never runs under load" can be read off /metrics (the memory bench does).
      const releases = new Counter({
        name: 'idle_memory_releases_total',
        help: 'Memory-reducing GCs run because the event loop went idle after work',
        registers: [metrics.registry],
      });
      releaseMemoryWhenIdle({
        onRelease: (release) => {
          releases.inc();
          logger.debug(release, 'memory released while idle');
        },
      });
    }
  } catch (error) {
    logger.fatal(
      { err: error },
      `${service} failed to start: ${error instanceof Error ? error.message : String(error)}`,
    );
    // Closes what was opened like a shutdown does, and ends (and logs) exit 1.
    await shutdown.run('startup failure', { failed: true });
  }
  return kit;
}

/** Binds the port; a refusal becomes one readable reason (EADDRINUSE, EACCES ...). */
async function listen(app: ListeningApp, config: { PORT: number; HOST: string }): Promise<string> {
  try {
    return listeningAddress(await app.listen({ port: config.PORT, host: config.HOST }), config);
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    const reason = code ?? (error instanceof Error ? error.message : String(error));
    throw new Error(`cannot listen on ${config.HOST}:${config.PORT} (${reason})`, { cause: error });
  }
}
