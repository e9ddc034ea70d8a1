import type { ProcessStatus } from './process-supervisor.js';

/** Renders rows as an aligned plain-text table with a header line. */
export function renderTable(header: string[], rows: string[][]): string {
  const widths = header.map((title, column) => Math.max(title.length, ...rows.map((row) => (row[column] ?? '').length)));
  const line = (cells: string[]) =>
    cells
      .map((cell, column) => cell.padEnd(widths[column]!))
      .join('  ')
      .trimEnd();
  return [line(header), ...rows.map(line)].join('\n') + '\n';
}

/** `1h 2m`, `3m 4s`, `5s`. */
export function formatUptime(ms: number): string {
  const seconds = Math.max(0, Math.floor(ms / 1000));
  if (seconds < 60) return `${seconds}s`;
  const minutes = Math.floor(seconds / 60);
  if (minutes < 60) return `${minutes}m ${seconds % 60}s`;
  return `${Math.floor(minutes / 60)}h ${minutes % 60}m`;
}

/**
 * The `stack ps` table of a native stack; `health` holds the result of a probe made just now,
 * `memory` each process's resident memory (against its limit, when it has one).
 */
export function renderProcessTable(processes: ProcessStatus[], health: Map<string, string>, now = Date.now(), memory = new Map<string, string>()): string {
  const running = (status: ProcessStatus) => status.state === 'healthy' || status.state === 'starting';
  const header = ['NAME', 'STATE', 'PID', 'PORT', 'HEALTH', 'RESTARTS', 'UPTIME', ...(memory.size ? ['MEMORY'] : [])];
  return renderTable(
    header,
    processes.map((status) => [
      status.name,
      status.state,
      status.pid && running(status) ? String(status.pid) : '-',
      status.port ? String(status.port) : '-',
      health.get(status.name) ?? '-',
      String(status.restarts),
      status.startedAt && running(status) ? formatUptime(now - status.startedAt) : '-',
      ...(memory.size ? [memory.get(status.name) ?? '-'] : []),
    ]),
  );
}
