import type { HealthTarget } from './health-probe.js';
import type { EdgeSwitchSpec } from './edge-switch.js';
import type { RuntimeDir, RuntimeFile } from './runtime-files.js';

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
  /** Address it binds `port` on: loopback unless it is published on every interface (the edge). */
  listenHost?: string;
  /** Polled until it answers before dependants start. Undefined: started is ready. */
  health?: HealthTarget;
  /** Service names this one waits for. */
  dependsOn: string[];
  restart: RestartPolicy;
  startTimeoutMs: number;
  /** Asks it to stop gracefully (`stop_signal`; SIGTERM by default). */
  stopSignal?: NodeJS.Signals;
  /**
   * Tells it that traffic has moved to its successor (`x-native.retireSignal`): it ends its
   * keep-alive connections between requests. Only a service that declares one gets it.
   */
  retireSignal?: NodeJS.Signals;
  /** Time from the stop signal to SIGKILL (`stop_grace_period`), when the service sets one. */
  graceMs?: number;
  /** Give it named pipes in this folder as its output, so it can open /dev/stdout by name. */
  fifoDir?: string;
  /** `deploy.resources.limits.memory`: past it the process is killed, as the kernel would in a container. */
  memoryLimitBytes?: number;
  /**
   * The edge's rendered config folder (nginx): a deploy points the upstream addresses in it at the
   * new release and has the running master reload it (SIGHUP), without a restart.
   */
  reloadableConfigRoot?: string;
  /**
   * The file (its UPSTREAMS_FILE) whose replica lists win over the process's own variables of
   * the same names, read again when it changes: a rolling deploy moves replicas through it.
   */
  upstreamsFile?: { path: string; variables: string[] };
}

/** A check run before anything starts (`nginx -t` of a rendered config): undefined, or one line. */
export interface Preflight {
  service: string;
  run: () => string | undefined;
}

/** Everything `stack up` runs natively, and what it replaced with embedded defaults. */
export interface NativePlan {
  processes: NativeProcessSpec[];
  /** Services not started as processes, with the line saying what stands in for each. */
  embedded: { service: string; replacement: string }[];
  /** One-time build steps (argv, run from the project root) before anything starts. */
  builds: { service: string; argv: string[] }[];
  /** Private folder of this run (secret copies, rendered configs, tmpfs stand-ins), removed at stop. */
  runDir: string;
  /** Written before anything starts, after every check passed. */
  dirs: RuntimeDir[];
  files: RuntimeFile[];
  /** Run after the files are written, before any port is checked or process started. */
  preflights: Preflight[];
  /** Lines for the start summary: what native mode does differently from a container. */
  notes: string[];
  /** Stable ports between the edge and the app processes, moved by a release (edge-switch.ts). */
  switches: EdgeSwitchSpec[];
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
