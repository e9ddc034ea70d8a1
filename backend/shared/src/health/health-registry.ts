/** A dependency check: resolve when the dependency is usable, throw (or reject) when it is not. */
export type HealthCheck = (
  signal: AbortSignal,
) => Promise<HealthCheckResult | void> | HealthCheckResult | void;

/** Optional facts a check reports when it passes (e.g. `{ mode: 'embedded' }`). */
export interface HealthCheckResult {
  details?: Record<string, unknown>;
}

export interface HealthCheckOptions {
  /** A check that takes longer fails. 2000 ms unless told. */
  timeoutMs?: number;
  /** A failing critical check makes the service not ready (503); a non-critical one only `degraded`. Default true. */
  critical?: boolean;
}

export interface CheckReport {
  status: 'up' | 'down';
  critical: boolean;
  durationMs: number;
  error?: string;
  details?: Record<string, unknown>;
}

/** `/health/ready` body. `ok` and `degraded` answer 200, `down` 503. */
export interface ReadinessReport {
  status: 'ok' | 'degraded' | 'down';
  checks: Record<string, CheckReport>;
  /** Names of failing critical checks (or `shutdown` while draining). */
  failing?: string[];
  message?: string;
}

interface RegisteredCheck {
  check: HealthCheck;
  timeoutMs: number;
  critical: boolean;
}

const DEFAULT_TIMEOUT_MS = 2000;

function errorMessage(error: unknown): string {
  if (error instanceof Error) return error.message;
  return typeof error === 'string' ? error : 'check failed';
}

/**
 * The dependency checks behind `/health/ready`. Checks run in parallel, each under its own
 * timeout; the report names every failing check.
 *
 * @example
 * const health = new HealthRegistry();
 * health.register('mongodb', async () => { await db.command({ ping: 1 }); });
 * health.register('ollama', () => ollama.ping(), { critical: false, timeoutMs: 1000 });
 */
export class HealthRegistry {
  readonly #checks = new Map<string, RegisteredCheck>();
  #draining = false;

  /** Adds a check. Names are unique: they appear in reports and logs. */
  register(name: string, check: HealthCheck, options: HealthCheckOptions = {}): this {
    if (this.#checks.has(name)) throw new Error(`Health check "${name}" is already registered`);
    this.#checks.set(name, {
      check,
      timeoutMs: options.timeoutMs ?? DEFAULT_TIMEOUT_MS,
      critical: options.critical ?? true,
    });
    return this;
  }

  /** Names of the registered checks, in registration order. */
  get names(): string[] {
    return [...this.#checks.keys()];
  }

  /** From now on readiness answers 503: called at shutdown so load balancers stop sending traffic. */
  markDraining(): void {
    this.#draining = true;
  }

  get draining(): boolean {
    return this.#draining;
  }

  /** Runs every check in parallel and reports. Never throws. */
  async check(): Promise<ReadinessReport> {
    const entries = await Promise.all(
      [...this.#checks].map(async ([name, registered]) => [name, await runCheck(registered)] as const),
    );
    const checks = Object.fromEntries(entries);
    const failing = entries
      .filter(([, report]) => report.status === 'down' && report.critical)
      .map(([name]) => name);
    const degraded = entries.some(([, report]) => report.status === 'down' && !report.critical);
    if (this.#draining) failing.unshift('shutdown');
    if (failing.length > 0) {
      const reasons = failing.map((name) =>
        name === 'shutdown' ? 'shutting down' : `${name} is down (${checks[name]?.error})`,
      );
      return { status: 'down', checks, failing, message: `Not ready: ${reasons.join('; ')}` };
    }
    return { status: degraded ? 'degraded' : 'ok', checks };
  }
}

async function runCheck({ check, timeoutMs, critical }: RegisteredCheck): Promise<CheckReport> {
  const started = performance.now();
  const controller = new AbortController();
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => {
      controller.abort();
      reject(new Error(`timed out after ${timeoutMs} ms`));
    }, timeoutMs);
  });
  try {
    const result = await Promise.race([Promise.resolve().then(() => check(controller.signal)), timeout]);
    const report: CheckReport = { status: 'up', critical, durationMs: elapsed(started) };
    if (result?.details) report.details = result.details;
    return report;
  } catch (error) {
    return { status: 'down', critical, durationMs: elapsed(started), error: errorMessage(error) };
  } finally {
    clearTimeout(timer);
  }
}

function elapsed(started: number): number {
  return Math.round((performance.now() - started) * 10) / 10;
}
