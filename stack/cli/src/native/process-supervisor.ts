import { spawn, type ChildProcess } from 'node:child_process';
import { openFifoStdio } from './fifo-stdio.js';
import { describeHealthTarget, waitUntilHealthy, type HealthTarget } from './health-probe.js';
import type { LogMultiplexer } from './log-multiplexer.js';
import { startupTiers, type NativeProcessSpec } from './native-plan.js';
import { OrphanWatchdog } from './orphan-watchdog.js';
import { foreignPortHolder, type PortHolder } from './ports.js';
import { formatBytes, residentBytes } from './resource-limits.js';

export type ProcessState = 'pending' | 'starting' | 'healthy' | 'restarting' | 'exited' | 'stopped' | 'failed';

/** What `stack ps` shows of one process. */
export interface ProcessStatus {
  name: string;
  service: string;
  state: ProcessState;
  pid?: number;
  port?: number;
  restarts: number;
  startedAt?: number;
  exitCode?: number | null;
  /** How `stack ps` probes it. */
  health?: HealthTarget;
  /** `deploy.resources.limits.memory`, shown beside its resident memory. */
  memoryLimitBytes?: number;
}

export type SupervisorEvent =
  | { type: 'starting' | 'healthy' | 'stopping' | 'stopped'; name: string }
  | { type: 'exited'; name: string; code: number | null; signal: NodeJS.Signals | null }
  | { type: 'restarting'; name: string; inMs: number; attempt: number }
  | { type: 'over-memory'; name: string; residentBytes: number; limitBytes: number };

/** A start that failed: which process, why, and the last lines it printed. */
export class NativeStartError extends Error {
  constructor(
    readonly service: string,
    readonly reason: string,
    readonly lastLines: string[],
  ) {
    super(`${service} ${reason}`);
    this.name = 'NativeStartError';
  }
}

export interface SupervisorOptions {
  logs: LogMultiplexer;
  /** Stop signal to SIGKILL, per process, when stopping; unset: the service's own, else 10 s. */
  graceMs?: number;
  onEvent?: (event: SupervisorEvent) => void;
  /** First restart delay; doubles per crash in a row up to `maxBackoffMs`. */
  backoffMs?: number;
  maxBackoffMs?: number;
  /** How often resident memory is compared with each process's limit. */
  memoryCheckMs?: number;
}

export interface Managed {
  spec: NativeProcessSpec;
  status: ProcessStatus;
  child?: ChildProcess;
  exited?: Promise<void>;
  restartTimer?: NodeJS.Timeout;
}

/** A new release of some services, started beside the running one. */
export interface ReleaseCandidate {
  readonly entries: readonly Managed[];
  readonly tiers: readonly string[][];
}

/** Written to each name's log as a new release of it starts. */
const RELEASE_MARKER = '[stack] a new release starts beside the running one';

/** A process up this long has recovered: its next crash starts the backoff from the beginning. */
const STABLE_AFTER_MS = 30_000;

/**
 * Runs a set of processes like Compose runs containers: in dependency order, each tier gated on
 * the health of the one before, restarted with backoff per restart policy, stopped in reverse
 * order with SIGTERM then SIGKILL. Every child gets its own process group, watched by an
 * out-of-process watchdog so that nothing survives stack, even a SIGKILLed stack.
 */
export class ProcessSupervisor {
  private readonly managed = new Map<string, Managed>();
  private readonly tiers: string[][];
  private readonly watchdog: OrphanWatchdog;
  private readonly memoryTimer: NodeJS.Timeout | undefined;
  private stopping = false;

  constructor(
    specs: NativeProcessSpec[],
    private readonly options: SupervisorOptions,
  ) {
    const byService = new Map<string, string[]>();
    for (const spec of specs) {
      const status: ProcessStatus = { name: spec.name, service: spec.service, state: 'pending', restarts: 0, port: spec.port, health: spec.health, memoryLimitBytes: spec.memoryLimitBytes };
      this.managed.set(spec.name, { spec, status });
      byService.set(spec.service, spec.dependsOn);
    }
    this.tiers = startupTiers(byService);
    this.watchdog = new OrphanWatchdog(Math.max(...specs.map((spec) => this.graceOf(spec)), 1000));
    if (specs.some((spec) => spec.memoryLimitBytes)) {
      this.memoryTimer = setInterval(() => this.enforceMemoryLimits(), options.memoryCheckMs ?? 2000);
      this.memoryTimer.unref();
    }
  }

  /** `up --timeout` wins over the service's `stop_grace_period`, as in Compose. */
  private graceOf(spec: NativeProcessSpec): number {
    return this.options.graceMs ?? spec.graceMs ?? 10_000;
  }

  /** Startup tiers by service name, as they will be started. */
  get startupOrder(): string[][] {
    return this.tiers.map((tier) => [...tier]);
  }

  /** What each supervised process runs. */
  specs(): NativeProcessSpec[] {
    return [...this.managed.values()].map((entry) => entry.spec);
  }

  /** Every supervised process by its current name (a retired one's included) with its spec. */
  supervised(): { name: string; spec: NativeProcessSpec }[] {
    return [...this.managed].map(([name, entry]) => ({ name, spec: entry.spec }));
  }

  status(): ProcessStatus[] {
    return [...this.managed.values()].map((entry) => ({ ...entry.status }));
  }

  /**
   * Tells a running process that traffic has moved away from it, with the signal its service
   * declares (`x-native.retireSignal`): it then ends its keep-alive connections between requests.
   * Sent to the process only, not its group: another program in the group may not handle it.
   * Returns false when the process declares no such signal or is not running.
   */
  retire(name: string): boolean {
    const entry = this.managed.get(name);
    const pid = entry?.child?.pid;
    if (!entry?.spec.retireSignal || !pid || entry.child!.exitCode !== null || entry.child!.signalCode !== null) return false;
    try {
      process.kill(pid, entry.spec.retireSignal);
      return true;
    } catch {
      return false;
    }
  }

  /**
   * Starts every tier in order. Resolves when all processes are healthy.
   * @throws NativeStartError after stopping what it started, when a process exits or stays
   * unhealthy past its start timeout.
   */
  async start(): Promise<void> {
    for (const tier of this.tiers) {
      const entries = [...this.managed.values()].filter((entry) => tier.includes(entry.spec.service));
      try {
        await Promise.all(entries.map((entry) => this.startOne(entry)));
      } catch (error) {
        await this.stop();
        throw error;
      }
      if (this.stopping) return;
    }
  }

  /** Stops everything in reverse startup order; safe to call more than once. */
  async stop(): Promise<void> {
    this.stopping = true;
    clearInterval(this.memoryTimer);
    for (const tier of [...this.tiers].reverse()) {
      const entries = [...this.managed.values()].filter((entry) => tier.includes(entry.spec.service));
      await Promise.all(entries.map((entry) => this.stopOne(entry)));
    }
    this.watchdog.dismiss();
  }

  /** Restarts one service's processes (all replicas) in place. */
  async restart(service: string): Promise<void> {
    const entries = [...this.managed.values()].filter((entry) => entry.spec.service === service);
    if (entries.length === 0) throw new Error(`no service named ${service} is running`);
    for (const entry of entries) {
      await this.stopOne(entry);
      entry.status.restarts += 1;
      await this.startOne(entry);
    }
  }

  /**
   * Starts a new release of some services beside the running processes (same names, other ports),
   * in their own dependency order, each gated on its health. Nothing running is touched: on
   * failure the new processes are stopped and the NativeStartError (with their last lines) thrown.
   * Resolves to the release, to hand to {@link promoteRelease} or {@link discardRelease}.
   */
  async startRelease(specs: NativeProcessSpec[]): Promise<ReleaseCandidate> {
    const entries: Managed[] = specs.map((spec) => ({
      spec,
      status: { name: spec.name, service: spec.service, state: 'pending', restarts: 0, port: spec.port, health: spec.health, memoryLimitBytes: spec.memoryLimitBytes },
    }));
    const tiers = startupTiers(new Map(specs.map((spec) => [spec.service, spec.dependsOn])));
    const candidate: ReleaseCandidate = { entries, tiers };
    for (const spec of specs) this.options.logs.line(spec.name, RELEASE_MARKER);
    for (const tier of tiers) {
      try {
        await Promise.all(entries.filter((entry) => tier.includes(entry.spec.service)).map((entry) => this.startOne(entry)));
      } catch (error) {
        await this.discardRelease(candidate);
        // The log of a name holds the old process's lines too: only the new one's are its story.
        if (error instanceof NativeStartError) {
          const lines = error.lastLines;
          throw new NativeStartError(error.service, error.reason, lines.slice(lines.lastIndexOf(RELEASE_MARKER) + 1));
        }
        throw error;
      }
    }
    return candidate;
  }

  /** Stops a release that never took traffic. */
  async discardRelease(candidate: ReleaseCandidate): Promise<void> {
    for (const tier of [...candidate.tiers].reverse()) {
      await Promise.all(candidate.entries.filter((entry) => tier.includes(entry.spec.service)).map((entry) => this.stopOne(entry)));
    }
  }

  /**
   * The release takes the place of the processes of its services: they are stopped (SIGTERM: each
   * service finishes its in-flight requests) in reverse dependency order, and the new ones are
   * supervised from then on (restarts, `stack ps`, `stack down`).
   */
  async promoteRelease(candidate: ReleaseCandidate): Promise<void> {
    const services = new Set(candidate.entries.map((entry) => entry.spec.service));
    const old = [...this.managed.values()].filter((entry) => services.has(entry.spec.service));
    for (const entry of old) this.managed.delete(entry.spec.name);
    for (const entry of candidate.entries) this.managed.set(entry.spec.name, entry);
    for (const tier of [...candidate.tiers].reverse()) {
      await Promise.all(old.filter((entry) => tier.includes(entry.spec.service)).map((entry) => this.stopOne(entry)));
    }
  }

  /**
   * Rolling: each process of `candidate` takes the name of the running one, which stays supervised
   * under a retired name (`<name>~<port>`, shown by `stack ps`) until {@link stopProcess} stops it:
   * a process that names it directly may still need it. Returns the retired names.
   */
  replaceProcesses(candidate: ReleaseCandidate): string[] {
    const retired: string[] = [];
    for (const entry of candidate.entries) {
      const old = this.managed.get(entry.spec.name);
      this.managed.set(entry.spec.name, entry);
      if (!old) continue;
      old.status.name = `${old.spec.name}~${old.status.port ?? old.status.pid}`;
      this.managed.set(old.status.name, old);
      retired.push(old.status.name);
    }
    return retired;
  }

  /** Stops one supervised process (SIGTERM: it finishes its in-flight requests) and forgets it. */
  async stopProcess(name: string): Promise<void> {
    const entry = this.managed.get(name);
    if (!entry) return;
    await this.stopOne(entry);
    this.managed.delete(name);
  }

  private async startOne(entry: Managed): Promise<void> {
    this.launch(entry);
    const { spec } = entry;
    if (!spec.health) {
      entry.status.state = 'healthy';
      this.emit({ type: 'healthy', name: spec.name });
      return;
    }
    const outcome = await waitUntilHealthy({
      target: spec.health,
      timeoutMs: spec.startTimeoutMs,
      hasExited: () => entry.child?.exitCode !== null || entry.child?.signalCode !== null,
    });
    const stranger = outcome === 'healthy' ? this.strangerOnPort(entry) : undefined;
    if (outcome === 'healthy' && !stranger) {
      entry.status.state = 'healthy';
      this.emit({ type: 'healthy', name: spec.name });
      return;
    }
    if (this.stopping) return;
    entry.status.state = 'failed';
    const reason = stranger
      ? `port ${spec.port} is held by process ${stranger.pid} (${stranger.command}), not by ${spec.name}: it was taken after the stack was planned; start again (another port is chosen) or stop that process`
      : outcome === 'exited'
        ? `exited with code ${entry.child?.exitCode ?? entry.child?.signalCode} before it became healthy`
        : `did not become healthy within ${Math.round(spec.startTimeoutMs / 1000)} s (${describeHealthTarget(spec.health)})`;
    throw new NativeStartError(spec.name, reason, this.options.logs.tail(spec.name));
  }

  /**
   * Who else answers on the replica's port. Its health probe passed, but a program that took the
   * port between planning and binding would pass it too, and traffic would go there.
   */
  private strangerOnPort(entry: Managed): PortHolder | undefined {
    const pid = entry.child?.pid;
    if (!entry.spec.port || !pid) return undefined;
    return foreignPortHolder(entry.spec.port, pid);
  }

  private launch(entry: Managed): void {
    const { spec } = entry;
    const [command, ...args] = spec.argv;
    if (!command) throw new NativeStartError(spec.name, 'has an empty command', []);
    entry.status.state = 'starting';
    this.emit({ type: 'starting', name: spec.name });
    const fifos = spec.fifoDir ? openFifoStdio(spec.fifoDir, spec.name) : undefined;
    const child = spawn(command, args, { cwd: spec.cwd, env: spec.env, stdio: fifos?.stdio ?? ['ignore', 'pipe', 'pipe'], detached: true });
    fifos?.afterSpawn();
    entry.child = child;
    entry.status.pid = child.pid;
    entry.status.startedAt = Date.now();
    if (child.pid) this.watchdog.watch(child.pid);
    for (const stream of fifos?.streams ?? [child.stdout, child.stderr]) if (stream) this.options.logs.attach(spec.name, stream);
    entry.exited = new Promise((resolve) => {
      child.once('error', (error) => {
        this.options.logs.line(spec.name, `[stack] could not start ${command}: ${error.message}`);
      });
      child.once('close', (code, signal) => {
        if (child.pid) this.watchdog.forget(child.pid);
        // A named pipe ends when its last writer closes it; a worker that outlived its master must
        // not keep stack alive.
        if (fifos) setTimeout(() => fifos.streams.forEach((stream) => stream.destroy()), 250).unref();
        entry.status.exitCode = code;
        this.onExit(entry, child, code, signal);
        resolve();
      });
    });
  }

  private onExit(entry: Managed, child: ChildProcess, code: number | null, signal: NodeJS.Signals | null): void {
    if (entry.child !== child) return;
    this.emit({ type: 'exited', name: entry.spec.name, code, signal });
    if (this.stopping || entry.status.state === 'stopped') return;
    const wasStarting = entry.status.state === 'starting' && entry.status.restarts === 0;
    entry.status.state = 'exited';
    const policy = entry.spec.restart;
    const restart = policy === 'always' || policy === 'unless-stopped' || (policy === 'on-failure' && code !== 0);
    // A crash during the first start is reported by start() with its log lines, not retried.
    if (!restart || wasStarting) return;
    const upFor = Date.now() - (entry.status.startedAt ?? 0);
    const attempt = upFor > STABLE_AFTER_MS ? 1 : entry.status.restarts + 1;
    const base = this.options.backoffMs ?? 1000;
    const inMs = Math.min(this.options.maxBackoffMs ?? 30_000, base * 2 ** (attempt - 1));
    entry.status.state = 'restarting';
    this.emit({ type: 'restarting', name: entry.spec.name, inMs, attempt });
    entry.restartTimer = setTimeout(() => {
      entry.restartTimer = undefined;
      if (this.stopping) return;
      entry.status.restarts += 1;
      this.startOne(entry).catch((error: unknown) => {
        this.options.logs.line(entry.spec.name, `[stack] restart failed: ${(error as Error).message}`);
      });
    }, inMs);
  }

  private async stopOne(entry: Managed): Promise<void> {
    if (entry.restartTimer) clearTimeout(entry.restartTimer);
    entry.restartTimer = undefined;
    const child = entry.child;
    entry.status.state = 'stopped';
    if (!child?.pid || child.exitCode !== null || child.signalCode !== null) return;
    this.emit({ type: 'stopping', name: entry.spec.name });
    const graceMs = this.graceOf(entry.spec);
    signalGroup(child.pid, entry.spec.stopSignal ?? 'SIGTERM');
    const killTimer = setTimeout(() => {
      this.options.logs.line(entry.spec.name, `[stack] still running after ${graceMs} ms; sending SIGKILL`);
      signalGroup(child.pid!, 'SIGKILL');
    }, graceMs);
    await entry.exited;
    clearTimeout(killTimer);
    // The group may hold children that outlived their leader (npm → node): end them too.
    signalGroup(child.pid, 'SIGKILL');
    this.emit({ type: 'stopped', name: entry.spec.name });
  }

  /**
   * A container past its memory limit is killed by the kernel and restarted per its policy; a
   * native process gets the same, so a leak shows natively before it shows in production.
   */
  private enforceMemoryLimits(): void {
    for (const entry of this.managed.values()) {
      const limit = entry.spec.memoryLimitBytes;
      const pid = entry.child?.pid;
      if (!limit || !pid || entry.status.state !== 'healthy') continue;
      const resident = residentBytes(pid);
      if (resident === undefined || resident <= limit) continue;
      this.options.logs.line(entry.spec.name, `[stack] resident memory ${formatBytes(resident)} is over its limit of ${formatBytes(limit)} (deploy.resources.limits.memory): killed, as in a container`);
      this.emit({ type: 'over-memory', name: entry.spec.name, residentBytes: resident, limitBytes: limit });
      signalGroup(pid, 'SIGKILL');
    }
  }

  private emit(event: SupervisorEvent): void {
    this.options.onEvent?.(event);
  }
}

function signalGroup(pid: number, signal: NodeJS.Signals): void {
  try {
    process.kill(-pid, signal);
  } catch {
    // already gone
  }
}
