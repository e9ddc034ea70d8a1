import { probeOnce } from './health-probe.js';
import { formatBytes, residentBytes } from './resource-limits.js';
import type { NativeState } from './state-store.js';
import { renderProcessTable } from './status-table.js';

/** Status table with a live health probe of each process, plus the URL to open. */
export async function describeNativeStack(state: NativeState): Promise<string> {
  const health = new Map<string, string>();
  await Promise.all(
    state.processes.map(async (status) => {
      if (!status.health || (status.state !== 'healthy' && status.state !== 'starting')) return;
      health.set(status.name, (await probeOnce(status.health, 1000)) ? 'healthy' : 'unhealthy');
    }),
  );
  const memory = new Map<string, string>();
  for (const status of state.processes) {
    const resident = status.pid && (status.state === 'healthy' || status.state === 'starting') ? residentBytes(status.pid) : undefined;
    if (resident !== undefined) memory.set(status.name, status.memoryLimitBytes ? `${formatBytes(resident)} / ${formatBytes(status.memoryLimitBytes)}` : formatBytes(resident));
  }
  const embedded = state.embedded.map((e) => `  ${e.service}: ${e.replacement}\n`).join('');
  return (
    renderProcessTable(state.processes, health, Date.now(), memory) +
    (embedded ? `\nembedded defaults:\n${embedded}` : '') +
    (state.entrypointUrl ? `\n${state.project} is up: open ${state.entrypointUrl}\n` : '')
  );
}
