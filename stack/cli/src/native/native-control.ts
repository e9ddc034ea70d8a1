import { readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { NativeState, NativeStateStore } from './state-store.js';

/*
 * `stack restart` in another shell talks to the running supervisor through a request file in
 * its state folder and SIGUSR2, which a supervisor reads as "look at the request file".
 */
export const CONTROL_SIGNAL: NodeJS.Signals = 'SIGUSR2';

interface RestartRequest {
  restart: string[];
  requestedAt: number;
}

function requestFile(store: NativeStateStore): string {
  return join(store.dir, 'control.json');
}

/** Supervisor side: takes the pending restart request, if any. */
export function takeRestartRequest(store: NativeStateStore): string[] {
  try {
    const request = JSON.parse(readFileSync(requestFile(store), 'utf8')) as RestartRequest;
    rmSync(requestFile(store), { force: true });
    return Array.isArray(request.restart) ? request.restart.filter((s) => typeof s === 'string') : [];
  } catch {
    return [];
  }
}

/** Client side: asks for a restart and waits until every replica of `services` is healthy with a new pid. */
export async function requestNativeRestart(
  store: NativeStateStore,
  live: NativeState,
  services: string[],
  timeoutMs: number,
): Promise<{ ok: boolean; message: string }> {
  const before = new Map(live.processes.map((p) => [p.name, p.pid]));
  const request: RestartRequest = { restart: services, requestedAt: Date.now() };
  writeFileSync(requestFile(store), JSON.stringify(request));
  process.kill(live.supervisorPid, CONTROL_SIGNAL);
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    await new Promise((resolve) => setTimeout(resolve, 200));
    const state = store.read();
    const targets = state?.processes.filter((p) => services.includes(p.service)) ?? [];
    if (targets.length && targets.every((p) => p.state === 'healthy' && p.pid !== before.get(p.name))) {
      return { ok: true, message: `restarted ${services.join(', ')}` };
    }
    const failed = targets.find((p) => p.state === 'failed');
    if (failed) return { ok: false, message: `${failed.name} did not become healthy again; see \`stack logs ${failed.service}\`` };
  }
  return { ok: false, message: `${services.join(', ')} not healthy again within ${Math.round(timeoutMs / 1000)} s` };
}
