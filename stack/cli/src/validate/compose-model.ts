/**
 * Read-only views over a resolved Compose model (the shape `docker compose config --format json`
 * prints), so rules read `service.healthcheckTest` instead of poking at untyped JSON.
 */

export type ComposeModel = Record<string, unknown>;

export interface DependencyView {
  service: string;
  condition: string;
  required: boolean;
}

export interface PortView {
  target: number | string;
  published?: string;
  /** The host address it is published on, when one is given (127.0.0.1: this host only). */
  hostIp?: string;
}

/** A mount of a service, in the long syntax the model normalizes every mount to. */
export interface MountView {
  type: string;
  /** Absolute host path of a bind mount, the volume name of a volume mount. */
  source: string | undefined;
  target: string;
  readOnly: boolean;
}

export interface BuildView {
  context: string;
  dockerfile: string;
  target: string | undefined;
}

/** One service of a resolved model. */
export class ServiceView {
  constructor(
    readonly name: string,
    private readonly raw: Record<string, unknown>,
  ) {}

  get image(): string | undefined {
    return typeof this.raw.image === 'string' ? this.raw.image : undefined;
  }

  get build(): BuildView | undefined {
    const build = asRecord(this.raw.build);
    if (!build || typeof build.context !== 'string') return undefined;
    return {
      context: build.context,
      dockerfile: typeof build.dockerfile === 'string' ? build.dockerfile : 'Dockerfile',
      target: typeof build.target === 'string' ? build.target : undefined,
    };
  }

  /** The healthcheck command as an argv-like list, or undefined when there is none or it is disabled. */
  get healthcheckTest(): string[] | undefined {
    const healthcheck = asRecord(this.raw.healthcheck);
    if (!healthcheck || healthcheck.disable === true) return undefined;
    const test = healthcheck.test;
    if (typeof test === 'string') return ['CMD-SHELL', test];
    if (!Array.isArray(test) || test.length === 0 || test[0] === 'NONE') return undefined;
    return test.map(String);
  }

  get dependsOn(): DependencyView[] {
    const dependsOn = asRecord(this.raw.depends_on);
    if (!dependsOn) return [];
    return Object.entries(dependsOn).map(([service, value]) => {
      const options = asRecord(value) ?? {};
      return {
        service,
        condition: typeof options.condition === 'string' ? options.condition : 'service_started',
        required: options.required !== false,
      };
    });
  }

  get networks(): string[] {
    const networks = this.raw.networks;
    if (Array.isArray(networks)) return networks.map(String);
    return Object.keys(asRecord(networks) ?? {});
  }

  /** `ports:` entries: each publishes on the host (a random host port when none is given). */
  get ports(): PortView[] {
    const ports = this.raw.ports;
    if (!Array.isArray(ports)) return [];
    return ports.map((port) => {
      const record = asRecord(port);
      if (record)
        return {
          target: record.target as number,
          published: record.published as string | undefined,
          ...(typeof record.host_ip === 'string' && { hostIp: record.host_ip }),
        };
      return { target: String(port), published: String(port) };
    });
  }

  get mounts(): MountView[] {
    const volumes = this.raw.volumes;
    if (!Array.isArray(volumes)) return [];
    return volumes.flatMap((volume): MountView[] => {
      const record = asRecord(volume);
      if (!record || typeof record.target !== 'string') return [];
      return [
        {
          type: typeof record.type === 'string' ? record.type : 'volume',
          source: typeof record.source === 'string' ? record.source : undefined,
          target: record.target,
          readOnly: record.read_only === true,
        },
      ];
    });
  }

  /** tmpfs mount targets (`tmpfs:` and `type: tmpfs` mounts). */
  get tmpfs(): string[] {
    const tmpfs = this.raw.tmpfs;
    const listed = Array.isArray(tmpfs) ? tmpfs.map(String) : typeof tmpfs === 'string' ? [tmpfs] : [];
    return [...listed.map((entry) => entry.split(':')[0] ?? entry), ...this.mounts.filter((mount) => mount.type === 'tmpfs').map((mount) => mount.target)];
  }

  /**
   * Whether the service is meant to keep running: a restart policy other than `no` (Compose's or
   * Swarm's), or a healthcheck. One-shot jobs (migrations, test runners) have neither.
   */
  get longRunning(): boolean {
    const restart = typeof this.raw.restart === 'string' ? this.raw.restart : 'no';
    const condition = asRecord(asRecord(this.raw.deploy)?.restart_policy)?.condition;
    return restart !== 'no' || (typeof condition === 'string' && condition !== 'none') || this.healthcheckTest !== undefined;
  }

  get replicas(): number | undefined {
    const replicas = asRecord(this.raw.deploy)?.replicas;
    return typeof replicas === 'number' ? replicas : typeof replicas === 'string' ? Number(replicas) : undefined;
  }

  /** CPU and memory limits as Docker applies them: deploy.resources.limits, else `cpus`/`mem_limit`. */
  get limits(): { cpus?: unknown; memory?: unknown } {
    const deployLimits = asRecord(asRecord(asRecord(this.raw.deploy)?.resources)?.limits);
    return { cpus: deployLimits?.cpus ?? this.raw.cpus, memory: deployLimits?.memory ?? this.raw.mem_limit };
  }

  get readOnly(): boolean {
    return this.raw.read_only === true;
  }

  get user(): string | undefined {
    return typeof this.raw.user === 'string' ? this.raw.user : undefined;
  }

  get containerName(): string | undefined {
    return typeof this.raw.container_name === 'string' ? this.raw.container_name : undefined;
  }

  get profiles(): string[] {
    return Array.isArray(this.raw.profiles) ? this.raw.profiles.map(String) : [];
  }

  /** Environment entries; null marks a variable passed through from the environment. */
  get environment(): Record<string, string | null> {
    const environment = asRecord(this.raw.environment) ?? {};
    return Object.fromEntries(
      Object.entries(environment).map(([key, value]) => [key, scalarText(value)]),
    );
  }

  get buildArgs(): Record<string, string | null> {
    const args = asRecord(asRecord(this.raw.build)?.args) ?? {};
    return Object.fromEntries(Object.entries(args).map(([key, value]) => [key, scalarText(value)]));
  }

  get labels(): Record<string, string> {
    const labels = asRecord(this.raw.labels) ?? {};
    return Object.fromEntries(Object.entries(labels).map(([key, value]) => [key, scalarText(value) ?? '']));
  }

  /** An `x-*` extension of the service (the engine keeps them in its in-memory model). */
  extension(name: string): unknown {
    return this.raw[name];
  }
}

/** The services of a model, in name order. */
export function servicesOf(model: ComposeModel): ServiceView[] {
  const services = asRecord(model.services) ?? {};
  return Object.keys(services)
    .sort()
    .map((name) => new ServiceView(name, asRecord(services[name]) ?? {}));
}

/** The names of the top-level networks of a model. */
export function networksOf(model: ComposeModel): string[] {
  return Object.keys(asRecord(model.networks) ?? {});
}

/** Whether a top-level network of the model is `internal`. */
export function isInternalNetwork(model: ComposeModel, network: string): boolean {
  return asRecord(asRecord(model.networks)?.[network])?.internal === true;
}

/** A plain-object view of a value, or undefined when it is not a mapping. */
export function asRecord(value: unknown): Record<string, unknown> | undefined {
  return value !== null && typeof value === 'object' && !Array.isArray(value) ? (value as Record<string, unknown>) : undefined;
}

/** The text of a scalar model value; null for null, undefined or a non-scalar. */
export function scalarText(value: unknown): string | null {
  if (typeof value === 'string') return value;
  if (typeof value === 'number' || typeof value === 'boolean' || typeof value === 'bigint') return String(value);
  return null;
}
