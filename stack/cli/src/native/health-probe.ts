import { connect } from 'node:net';

/** How the runner tells a process is ready: an HTTP 2xx, or an open TCP port for plain servers. */
export type HealthTarget = { http: string } | { tcp: { host: string; port: number } };

/** Why a wait for health ended. */
export type HealthWaitOutcome = 'healthy' | 'timeout' | 'exited' | 'aborted';

export interface HealthWaitOptions {
  target: HealthTarget;
  timeoutMs: number;
  intervalMs?: number;
  signal?: AbortSignal;
  /** No point in polling a process that is gone. */
  hasExited?: () => boolean;
}

/** One probe of `target`, given at most `timeoutMs`. */
export async function probeOnce(target: HealthTarget, timeoutMs = 2000): Promise<boolean> {
  if ('tcp' in target) return probeTcp(target.tcp.host, target.tcp.port, timeoutMs);
  try {
    const response = await fetch(target.http, { signal: AbortSignal.timeout(timeoutMs) });
    await response.body?.cancel();
    return response.ok;
  } catch {
    return false;
  }
}

function probeTcp(host: string, port: number, timeoutMs: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = connect({ host, port });
    const done = (ok: boolean) => {
      socket.destroy();
      resolve(ok);
    };
    socket.setTimeout(timeoutMs, () => done(false));
    socket.once('connect', () => done(true));
    socket.once('error', () => done(false));
  });
}

/** Polls until healthy, the process exits, the wait is aborted or time runs out. */
export async function waitUntilHealthy(options: HealthWaitOptions): Promise<HealthWaitOutcome> {
  const deadline = Date.now() + options.timeoutMs;
  const interval = options.intervalMs ?? 200;
  while (Date.now() < deadline) {
    if (options.signal?.aborted) return 'aborted';
    if (options.hasExited?.()) return 'exited';
    if (await probeOnce(options.target, Math.min(2000, Math.max(100, deadline - Date.now())))) return 'healthy';
    await new Promise((resolve) => setTimeout(resolve, interval));
  }
  return 'timeout';
}

/** The target as one line for messages. */
export function describeHealthTarget(target: HealthTarget): string {
  return 'http' in target ? target.http : `tcp://${target.tcp.host}:${target.tcp.port}`;
}
