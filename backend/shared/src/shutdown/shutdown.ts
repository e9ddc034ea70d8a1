import type { Logger } from 'pino';

/** Closes one resource. May be async; a throw is logged and the rest still close. */
export type CloseFn = () => unknown;

/** The part of `process` shutdown listens on (signals and fatal errors); tests pass an EventEmitter. */
export type ProcessEvents = Pick<NodeJS.EventEmitter, 'on' | 'off'>;

export interface CreateShutdownOptions {
  logger: Pick<Logger, 'info' | 'warn' | 'error' | 'fatal'>;
  /** Force exit 1 when closing takes longer. 10 000 ms unless told (SHUTDOWN_GRACE_MS). */
  graceMs?: number;
  /** Signals that start the shutdown. SIGTERM and SIGINT unless told. */
  signals?: NodeJS.Signals[];
  /**
   * On an uncaught exception or unhandled rejection: log it as `fatal`, close everything as on
   * SIGTERM, and exit 1. On unless told.
   */
  handleFatalErrors?: boolean;
  /** Where signals and fatal errors come from; `process` unless told. */
  signalSource?: ProcessEvents;
  /** How to end the process; `process.exit` unless told. */
  exit?: (code: number) => void;
  /** Called first, before anything closes (e.g. `health.markDraining()`, so readiness turns 503). */
  onStart?: () => void;
}

export interface Shutdown {
  /** Registers a resource to close. Resources close in reverse order of registration. */
  add(name: string, close: CloseFn): void;
  /**
   * Starts the shutdown (as a signal does); resolves with the exit code once done. `failed` (a
   * start that failed) closes everything the same way but ends in exit 1, logged as such.
   */
  run(reason: string, options?: { failed?: boolean }): Promise<number>;
  /** Removes the process listeners (tests). */
  dispose(): void;
  readonly running: boolean;
}

/**
 * Ordered, bounded shutdown. On SIGTERM/SIGINT (or `run()`): calls `onStart`, then closes every
 * registered resource in reverse order of registration, so the HTTP server (registered last)
 * stops accepting and drains in-flight requests first, then the clients it used close; exits 0,
 * or 1 if a close failed. After `graceMs` it gives up and exits 1 with a logged error. A second
 * signal exits 1 at once. A fatal error (uncaught exception, unhandled rejection) is logged and
 * shuts down the same way, ending with exit 1.
 *
 * @example
 * const shutdown = createShutdown({ logger, graceMs: config.SHUTDOWN_GRACE_MS, onStart: () => health.markDraining() });
 * shutdown.add('mongodb', () => mongo.close());
 * await app.listen({ port: config.PORT, host: config.HOST });
 * shutdown.add('http', () => app.close());
 */
export function createShutdown(options: CreateShutdownOptions): Shutdown {
  const { logger } = options;
  const graceMs = options.graceMs ?? 10_000;
  const signals = options.signals ?? ['SIGTERM', 'SIGINT'];
  const source: ProcessEvents = options.signalSource ?? process;
  const exit = options.exit ?? ((code: number) => process.exit(code));
  const resources: { name: string; close: CloseFn }[] = [];
  let running: Promise<number> | undefined;
  let crashed = false;

  const onSignal = (signal: unknown): void => {
    if (running) {
      logger.error({ signal }, 'second signal during shutdown: exiting now');
      exit(1);
      return;
    }
    void run(String(signal));
  };

  const onFatalError = (error: unknown): void => {
    logger.fatal({ err: error }, 'fatal error: shutting down');
    crashed = true;
    void run('fatal error');
  };

  const listeners: [string, (value: unknown) => void][] = signals.map((signal) => [signal, onSignal]);
  if (options.handleFatalErrors ?? true) {
    listeners.push(['uncaughtException', onFatalError], ['unhandledRejection', onFatalError]);
  }

  async function closeAll(): Promise<number> {
    let failures = 0;
    for (const { name, close } of [...resources].reverse()) {
      try {
        await close();
        logger.info({ resource: name }, 'closed');
      } catch (error) {
        failures += 1;
        logger.error({ resource: name, err: error }, 'failed to close');
      }
    }
    return failures === 0 ? 0 : 1;
  }

  function run(reason: string, runOptions: { failed?: boolean } = {}): Promise<number> {
    if (runOptions.failed) crashed = true;
    running ??= (async () => {
      logger.info({ reason, graceMs }, 'shutting down');
      // Not unref'd: a close that awaits a promise nothing will settle must still end in exit 1.
      const timer = setTimeout(() => {
        logger.error({ graceMs }, `shutdown did not finish within ${graceMs} ms: forcing exit`);
        exit(1);
      }, graceMs);
      try {
        options.onStart?.();
      } catch (error) {
        logger.warn({ err: error }, 'shutdown onStart hook failed');
      }
      const closeCode = await closeAll();
      clearTimeout(timer);
      const code = crashed ? 1 : closeCode;
      logger.info({ exitCode: code }, 'shutdown complete');
      dispose();
      exit(code);
      return code;
    })();
    return running;
  }

  function dispose(): void {
    for (const [event, listener] of listeners) source.off(event, listener);
  }

  for (const [event, listener] of listeners) source.on(event, listener);

  return {
    add(name, close) {
      resources.push({ name, close });
    },
    run,
    dispose,
    get running() {
      return running !== undefined;
    },
  };
}
