/**
 * The Docker HEALTHCHECK of every service (`node dist/healthcheck.js`): Node's fetch, no curl.
 * Kept free of heavy imports: it starts every 30 seconds in every container.
 */

export interface RunHealthcheckOptions {
  /** Full URL to probe. Default: http://127.0.0.1:$PORT/health/ready. */
  url?: string;
  /** Port when `url` and `PORT` are unset. */
  defaultPort?: number;
  /** Give up after this long. 5000 ms unless told (Compose's timeout is 10 s). */
  timeoutMs?: number;
  env?: Record<string, string | undefined>;
  /** Injected by tests; `process.exit` otherwise. */
  exit?: (code: number) => void;
  /** Injected by tests; `console.error` otherwise. */
  print?: (line: string) => void;
}

/** The URL `runHealthcheck` probes for these options. */
export function healthcheckUrl(options: RunHealthcheckOptions = {}): string {
  if (options.url) return options.url;
  const env = options.env ?? process.env;
  const port = env.PORT?.trim() || String(options.defaultPort ?? 3000);
  return `http://127.0.0.1:${port}/health/ready`;
}

/**
 * Probes the service's readiness endpoint and exits 0 on a 2xx answer, 1 otherwise, printing
 * one line that says why.
 *
 * @example
 * // src/healthcheck.ts
 * import { runHealthcheck } from '@codiesvibe/shared/healthcheck';
 * await runHealthcheck({ defaultPort: 4001 });
 */
export async function runHealthcheck(options: RunHealthcheckOptions = {}): Promise<number> {
  const url = healthcheckUrl(options);
  const exit = options.exit ?? ((code: number) => process.exit(code));
  const print = options.print ?? ((line: string) => console.error(line));
  let code: number;
  try {
    const response = await fetch(url, { signal: AbortSignal.timeout(options.timeoutMs ?? 5000) });
    await response.body?.cancel();
    code = response.ok ? 0 : 1;
    if (!response.ok) print(`healthcheck: ${url} answered ${response.status}`);
  } catch (error) {
    const reason =
      error instanceof Error
        ? error.cause instanceof Error
          ? error.cause.message
          : error.message
        : 'failed';
    print(`healthcheck: ${url} unreachable (${reason})`);
    code = 1;
  }
  exit(code);
  return code;
}
