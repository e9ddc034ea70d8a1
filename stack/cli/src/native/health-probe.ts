/** Why a wait for health ended without the service becoming healthy. */
export type HealthWaitOutcome = 'healthy' | 'timeout' | 'exited' | 'aborted';

export interface HealthWaitOptions {
  url: string;
  timeoutMs: number;
  intervalMs?: number;
  /** Resolves or is aborted when the process exits: no point in polling a dead service. */
  signal?: AbortSignal;
  hasExited?: () => boolean;
}

/** One probe: a 2xx answer within `timeoutMs` counts as healthy. */
export async function probeOnce(url: string, timeoutMs = 2000): Promise<boolean> {
  try {
    const response = await fetch(url, { signal: AbortSignal.timeout(timeoutMs) });
    await response.body?.cancel();
    return response.ok;
  } catch {
    return false;
  }
}

/** Polls `url` until it answers 2xx, the process exits, the wait is aborted or time runs out. */
export async function waitUntilHealthy(options: HealthWaitOptions): Promise<HealthWaitOutcome> {
  const deadline = Date.now() + options.timeoutMs;
  const interval = options.intervalMs ?? 200;
  while (Date.now() < deadline) {
    if (options.signal?.aborted) return 'aborted';
    if (options.hasExited?.()) return 'exited';
    if (await probeOnce(options.url, Math.min(2000, Math.max(100, deadline - Date.now())))) return 'healthy';
    await new Promise((resolve) => setTimeout(resolve, interval));
  }
  return 'timeout';
}
