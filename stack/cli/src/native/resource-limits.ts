import { readFileSync } from 'node:fs';

const UNITS: Readonly<Record<string, number>> = { '': 1, b: 1, k: 1024, kb: 1024, m: 1024 ** 2, mb: 1024 ** 2, g: 1024 ** 3, gb: 1024 ** 3 };

/** Bytes of a Compose memory value (`512M`, `1g`, `536870912`), or undefined when it is not one. */
export function parseMemoryBytes(value: unknown): number | undefined {
  if (typeof value === 'number') return Number.isFinite(value) && value > 0 ? value : undefined;
  if (typeof value !== 'string') return undefined;
  const match = /^\s*(\d+(?:\.\d+)?)\s*([a-zA-Z]*)\s*$/.exec(value);
  const unit = UNITS[match?.[2]?.toLowerCase() ?? 'x'];
  if (!match || unit === undefined) return undefined;
  const bytes = Math.round(Number(match[1]) * unit);
  return bytes > 0 ? bytes : undefined;
}

/**
 * The V8 old-space size for a Node process under a memory limit: three quarters of it, leaving the
 * rest for code, buffers and the young generation, as Node sizes its heap inside a cgroup.
 */
export function heapMiBFor(limitBytes: number): number {
  return Math.max(16, Math.floor((limitBytes * 0.75) / 1024 ** 2));
}

/** Whether argv runs Node directly (`node`, `/usr/bin/node`, `process.execPath`). */
export function runsNode(argv: readonly string[]): boolean {
  const program = argv[0] ?? '';
  return program === process.execPath || /(^|\/)node(\.exe)?$/.test(program);
}

/** `node --max-old-space-size=N ...` for a Node argv under a limit; other programs unchanged. */
export function withHeapLimit(argv: readonly string[], limitBytes: number | undefined): string[] {
  if (!limitBytes || !runsNode(argv) || argv.some((arg) => arg.startsWith('--max-old-space-size'))) return [...argv];
  return [argv[0]!, `--max-old-space-size=${heapMiBFor(limitBytes)}`, ...argv.slice(1)];
}

/** Resident memory of a process in bytes, from /proc (Linux); undefined elsewhere or when gone. */
export function residentBytes(pid: number): number | undefined {
  try {
    const kib = /VmRSS:\s+(\d+)/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'))?.[1];
    return kib === undefined ? undefined : Number(kib) * 1024;
  } catch {
    return undefined;
  }
}

/** Milliseconds of a Compose duration (`10s`, `1m30s`, `500ms`), or undefined. */
export function parseDurationMs(value: unknown): number | undefined {
  if (typeof value === 'number') return value / 1e6; // nanoseconds, as Compose stores them
  if (typeof value !== 'string' || value.trim() === '') return undefined;
  const factors: Readonly<Record<string, number>> = { ns: 1e-6, us: 1e-3, µs: 1e-3, ms: 1, s: 1000, m: 60_000, h: 3_600_000 };
  let total = 0;
  let rest = value.trim();
  while (rest.length > 0) {
    const match = /^(\d+(?:\.\d+)?)(ns|us|µs|ms|s|m|h)/.exec(rest);
    if (!match) return undefined;
    total += Number(match[1]) * factors[match[2]!]!;
    rest = rest.slice(match[0].length);
  }
  return total;
}

/** `512 MiB`, `1.5 GiB`. */
export function formatBytes(bytes: number): string {
  const mib = bytes / 1024 ** 2;
  return mib >= 1024 ? `${(mib / 1024).toFixed(1)} GiB` : `${Math.round(mib)} MiB`;
}
