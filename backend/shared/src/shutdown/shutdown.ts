import type { Logger } from 'pino';

/** Closes one resource. May be async; a throw is logged and the rest still close. */
export type CloseFn = () => unknown;

/** The part of `process` shutdown uses; tests pass an EventEmitter. */
export interface SignalSource {
  on(signal: NodeJS.Signals, listener: (signal: NodeJS.Signals) => void): unknown;
  off(signal: NodeJS.Signals, listener: (signal: NodeJS.Signals) => void): unknown;
}

export interface CreateShutdownOptions {
  logger: Pick<Logger, 'info' | 'warn' | 'error'>;
  /** Force exit 1 when closing takes longer. 10 000 ms unless told (SHUTDOWN_GRACE_MS). */
  graceMs?: number;
  /** Signals that start the shutdown. SIGTERM and SIGINT unless told. */
  signals?: NodeJS.Signals[];
  /** Where signals come from; `process` unless told. */
  signalSource?: SignalSource;
  /** How to end the process; `process.exit` unless told. */
  exit?: (code: number) => void;
  /** Called first, before anything closes (e.g. `health.markDraining()`, so readiness turns 503). */
  onStart?: () => void;
}

export interface Shutdown {
  /** Registers a resource to close. Resources close in reverse order of registration. */
  add(name: string, close: CloseFn): void;
  /** Starts the shutdown (as a signal does); resolves with the exit code once done. */
  run(reason: string): Promise<number>;
  /** Removes the signal listeners (tests). */
  dispose(): void;
  readonly running: boolean;
}

/**
 * Ordered, bounded shutdown. On SIGTERM/SIGINT (or `run()`): closes every registered resource in
 * reverse order of registration, so the HTTP server (registered last) stops accepting and drains
 * in-flight requests first, then the clients it used close; exits 0, or 1 if a close failed.
 * After `graceMs` it gives up and exits 1 with a logged error. A second signal exits 1 at once.
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
  const source: SignalSource = options.signalSource ?? process;
  const exit = options.exit ?? ((code: number) => process.exit(code));
  const resources: { name: string; close: CloseFn }[] = [];
  let running: Promise<number> | undefined;

  const onSignal = (signal: NodeJS.Signals): void => {
    if (running) {
      logger.error({ signal }, 'second signal during shutdown: exiting now');
      exit(1);
      return;
    }
    void run(signal);
  };

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

  function run(reason: string): Promise<number> {
    running ??= (async () => {
      logger.info({ reason, graceMs }, 'shutting down');
      const timer = setTimeout(() => {
        logger.error({ graceMs }, `shutdown did not finish within ${graceMs} ms: forcing exit`);
        exit(1);
      }, graceMs);
      try {
        options.onStart?.();
      } catch (error) {
        logger.warn({ err: error }, 'shutdown onStart hook failed');
      }
      const code = await closeAll();
      clearTimeout(timer);
      logger.info({ exitCode: code }, 'shutdown complete');
      dispose();
      exit(code);
      return code;
    })();
    return running;
  }

  function dispose(): void {
    for (const signal of signals) source.off(signal, onSignal);
  }

  for (const signal of signals) source.on(signal, onSignal);

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
