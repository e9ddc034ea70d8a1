import type { HealthTarget } from './health-probe.js';

/** Restart policies as Compose names them; `unless-stopped` behaves like `always` natively. */
export type RestartPolicy = 'no' | 'always' | 'on-failure' | 'unless-stopped';

/** One local process the native runner starts: a service replica or a data program. */
export interface NativeProcessSpec {
  /** Unique name, `service` for the first replica and `service-N` for the others. */
  name: string;
  service: string;
  /** 1-based replica number. */
  replica: number;
  argv: string[];
  cwd: string;
  /** The whole environment of the child. */
  env: Record<string, string>;
  port?: number;
  /** Polled until it answers before dependants start. Undefined: started is ready. */
  health?: HealthTarget;
  /** Service names this one waits for. */
  dependsOn: string[];
  restart: RestartPolicy;
  startTimeoutMs: number;
}

/** Everything `stack up` runs natively, and what it replaced with embedded defaults. */
export interface NativePlan {
  processes: NativeProcessSpec[];
  /** Services not started as processes, with the line saying what stands in for each. */
  embedded: { service: string; replacement: string }[];
  /** One-time build steps (argv, run from the project root) before anything starts. */
  builds: { service: string; argv: string[] }[];
}

/**
 * Groups services into startup tiers: tier 1 has no dependencies, tier N depends only on lower
 * tiers. Dependencies on services outside `services` (embedded, disabled) are ignored.
 * @throws Error naming the services of a cycle.
 */
export function startupTiers(services: ReadonlyMap<string, readonly string[]>): string[][] {
  const tiers: string[][] = [];
  const placed = new Set<string>();
  const pending = new Set(services.keys());
  while (pending.size > 0) {
    const ready = [...pending].filter((name) =>
      (services.get(name) ?? []).every((dep) => placed.has(dep) || !services.has(dep)),
    );
    if (ready.length === 0) throw new Error(`dependency cycle between ${[...pending].sort().join(', ')}`);
    ready.sort();
    for (const name of ready) pending.delete(name);
    for (const name of ready) placed.add(name);
    tiers.push(ready);
  }
  return tiers;
}
