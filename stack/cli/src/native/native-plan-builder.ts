import { accessSync, constants, existsSync, readFileSync } from 'node:fs';
import { isAbsolute, join, relative, resolve } from 'node:path';
import { STACK_ERROR_CODES, StackError } from '../errors.js';
import { checkSecretFile, describeSecretFileProblem } from '../secrets/secret-file-check.js';
import { LOOPBACK, rewriteEnvironment, rewriteValue, type AddressBook, type NativeAddress } from './address-rewrite.js';
import type { EdgeSwitchSpec } from './edge-switch.js';
import { hostNginxConfDir, NginxRenderError, renderNginxImage, testNginxConfig, type BindMount, type PublishedPort } from './nginx-image.js';
import { parseNativeExtension, type NativeExtension } from './native-extension.js';
import { declaredVariables } from './native-service-variables.js';
import { findNpmRoot } from './npm-root.js';
import { startupTiers, type NativePlan, type NativeProcessSpec, type RestartPolicy } from './native-plan.js';
import { isPortFree, pickFreePort } from './ports.js';
import { findProgram } from './program-lookup.js';
import { parseDurationMs, parseMemoryBytes, withHeapLimit } from './resource-limits.js';
import type { RuntimeFile } from './runtime-files.js';
import { mapContainerPaths, SecretMountError, secretMountsOf, type SecretDefinition, type SecretMount, type ServiceSecretEntry } from './secret-mounts.js';

/** The parts of a resolved Compose service the native runner reads. */
export interface NativeServiceInput {
  environment?: Record<string, string | null | undefined>;
  ports?: { target?: number; published?: string | number; host_ip?: string }[];
  expose?: (string | number)[];
  depends_on?: Record<string, { condition?: string; required?: boolean }>;
  restart?: string;
  deploy?: Record<string, unknown> | null;
  volumes?: { type?: string; source?: string; target?: string }[];
  secrets?: unknown;
  tmpfs?: unknown;
  read_only?: unknown;
  mem_limit?: unknown;
  cpus?: unknown;
  stop_signal?: unknown;
  stop_grace_period?: unknown;
  'x-native'?: unknown;
}

export interface NativeProjectInput {
  name: string;
  workingDir: string;
  services: Record<string, NativeServiceInput>;
  /** Top-level `secrets:`. */
  secrets?: Record<string, Record<string, unknown>>;
  /** The variables the model was interpolated with (for secrets with an `environment:` source). */
  environment?: Record<string, string>;
}

export interface NativePlanOptions {
  /** `--scale service=N` overrides. */
  scale?: Record<string, number>;
  /** The selected environment (`--env NAME`), for `x-native.environments` and messages. */
  environment?: string;
  /** Environment the children inherit (PATH, HOME, ...); service variables win over it. */
  baseEnv?: NodeJS.ProcessEnv;
  startTimeoutMs?: number;
  /**
   * Without an nginx edge, put a switch (edge-switch.ts) on the port users reach in front of the
   * entrypoint service, so a deploy can replace it there too. `up` asks for it in the
   * production-like environments; development keeps the direct port.
   */
  entrySwitch?: boolean;
  /** Looks up a program on PATH; replaceable in tests. */
  findProgram?: (name: string) => string | undefined;
  /** How files are shown in messages (relative to where the user is). */
  showPath?: (file: string) => string;
  /**
   * Ports of services that keep running (a deploy plans the new release of the app services
   * beside the data services and the edge already up): they are addressed where they listen.
   */
  pinnedPorts?: Readonly<Record<string, readonly number[]>>;
}

export interface BuiltNativePlan extends NativePlan {
  /** Folder native commands run in. */
  root: string;
  /** URL of the service marked `entrypoint`, to open in a browser. */
  entrypointUrl?: string;
}

/** A problem with the model or the files it names, found before anything starts: one line each. */
/**
 * Refuses a command whose program cannot start, before anything runs: it started, failed to spawn
 * and was reported as "db exited with code -2 before it became healthy".
 */
function assertRunnable(service: string, program: string, root: string): void {
  if (!program.includes('/')) {
    if (findProgram(program) === undefined) throw new NativePlanError(`service ${service}: x-native.command runs ${program}, which is not on PATH; install it or fix x-native.command`);
    return;
  }
  const path = resolve(root, program);
  if (!existsSync(path)) throw new NativePlanError(`service ${service}: x-native.command runs ${program}, which is not there; fix x-native.command`);
  try {
    accessSync(path, constants.X_OK);
  } catch {
    throw new NativePlanError(`service ${service}: x-native.command runs ${program}, which is not executable; chmod +x ${program}`);
  }
}

export class NativePlanError extends StackError {
  constructor(message: string) {
    super(STACK_ERROR_CODES.NATIVE, message);
  }
}

/**
 * Variable the runner sets on a service whose dependency it replaced by an embedded default: the
 * comma-separated names of the variables it dropped (`MONGODB_URI`), so a service that requires
 * them in production knows the choice was made on purpose.
 */
export const EMBEDDED_VARIABLE = 'CODIESVIBE_EMBEDDED';

export { findNpmRoot };

/** Folder of one project's native state, logs and runtime files. */
export function nativeStateDir(root: string, project: string): string {
  return join(root, '.stack', 'native', project);
}

interface Runnable {
  ext: NativeExtension;
  kind: 'command' | 'program';
  replicas: number;
  program?: string;
}

/**
 * Turns a resolved Compose project into local processes: replicas on loopback ports, service-name
 * URLs rewritten to those ports, secrets given as files at the paths services are told, data
 * services replaced by programs on PATH or by the embedded defaults their consumers fall back to
 * when the variable naming them is unset. Reads the files it needs and writes nothing: the files
 * to write are in the plan.
 * @throws NativePlanError naming the setting or file at fault.
 */
export async function buildNativePlan(project: NativeProjectInput, options: NativePlanOptions = {}): Promise<BuiltNativePlan> {
  const root = findNpmRoot(project.workingDir);
  const runDir = join(nativeStateDir(root, project.name), 'run');
  const lookup = options.findProgram ?? findProgram;
  const show = options.showPath ?? ((file: string) => relative(root, file) || file);
  const extensions = new Map<string, NativeExtension | undefined>();
  for (const [name, service] of Object.entries(project.services)) {
    try {
      extensions.set(name, parseNativeExtension(name, service['x-native']));
    } catch (error) {
      throw new NativePlanError((error as Error).message);
    }
  }
  for (const [name, count] of Object.entries(options.scale ?? {})) {
    if (!project.services[name]) throw new NativePlanError(`--scale names ${name}, which is not a service of this environment`);
    if (!Number.isInteger(count) || count < 0) throw new NativePlanError(`--scale ${name}=${count}: give a whole number of replicas`);
  }

  const plan: BuiltNativePlan = { root, runDir, processes: [], embedded: [], builds: [], dirs: [], files: [], preflights: [], notes: [], switches: [] };
  const runnable = new Map<string, Runnable>();
  const scaledToZero = new Set<string>();
  for (const [name, service] of Object.entries(project.services)) {
    const ext = extensions.get(name);
    if (ext?.build) plan.builds.push({ service: name, argv: ext.build });
    const notHere = ext?.environments && !ext.environments.includes(options.environment ?? '');
    if (ext?.command && !notHere) {
      const replicas = replicaCount(name, service, options.scale);
      if (replicas === 0) scaledToZero.add(name);
      else runnable.set(name, { ext, kind: 'command', replicas });
      continue;
    }
    const program = ext?.program && !notHere ? lookup(ext.program) : undefined;
    if (ext && program) {
      runnable.set(name, { ext, kind: 'program', replicas: 1, program });
      continue;
    }
    const replacement = ext?.program && ext.embedded && !notHere ? `${ext.program} not found: ${ext.embedded}` : (ext?.embedded ?? (ext?.program ? `${ext.program} is not installed` : 'not run natively (no x-native block)'));
    plan.embedded.push({ service: name, replacement });
  }
  for (const [name] of runnable) {
    for (const [dependency, condition] of Object.entries(project.services[name]?.depends_on ?? {})) {
      if (scaledToZero.has(dependency) && condition.required !== false) {
        throw new NativePlanError(`${dependency} has 0 replicas (${options.scale?.[dependency] === 0 ? `--scale ${dependency}=0` : `services.${dependency}.deploy.replicas`}), but ${name} depends on it; give it at least 1`);
      }
    }
  }

  // Every address must be known before any value is rewritten.
  const book = new Map<string, NativeAddress>();
  const publishedPorts = new Map<string, PublishedPort[]>();
  for (const [name, entry] of runnable) {
    const service = project.services[name]!;
    const pinned = options.pinnedPorts?.[name];
    if (pinned?.length && entry.ext.emulate !== 'nginx-image') {
      book.set(name, { ports: [...pinned], withoutCredentials: entry.kind === 'program' ? entry.ext.withoutCredentials : undefined });
    } else if (entry.ext.emulate === 'nginx-image') {
      const ports = await publishedPortsOf(service);
      publishedPorts.set(name, ports);
      book.set(name, { ports: ports.length ? ports.map((p) => p.published) : [await pickFreePort()] });
    } else if (entry.kind === 'program') {
      // A data program gets a free port: the well-known one is often taken by a system instance.
      book.set(name, { ports: [await pickFreePort()], withoutCredentials: entry.ext.withoutCredentials });
    } else {
      // A published port is the one users reach, so it is kept (and a conflict reported); a port
      // only other services use is an implementation detail natively: taken, another one does.
      const containerPort = servicePort(service);
      const published = (service.ports ?? []).some((port) => port.target === containerPort);
      const first = containerPort && (published || (await isPortFree(containerPort)) === true) ? containerPort : await pickFreePort();
      const ports = [first];
      for (let i = 1; i < entry.replicas; i++) ports.push(await pickFreePort());
      book.set(name, { ports });
    }
  }
  for (const [name, ext] of extensions) {
    if (ext?.servedBy && !runnable.has(name) && book.has(ext.servedBy)) book.set(name, book.get(ext.servedBy)!);
  }
  const embedded = new Set(Object.keys(project.services).filter((name) => !book.has(name)));

  const secrets = resolveSecrets(project, runnable, book, embedded, { runDir, show, environment: options.environment });
  plan.dirs.push({ path: runDir, mode: 0o755 });
  if (secrets.files.length) plan.dirs.push({ path: join(runDir, 'secrets'), mode: 0o700 });
  plan.files.push(...secrets.files);

  const tiers = startupTiers(new Map([...runnable.keys()].map((name) => [name, nativeDependencies(project, name, runnable)])));
  const tierOf = (name: string) => tiers.findIndex((tier) => tier.includes(name));
  let entrypoint: { service: string; tier: number } | undefined;
  let containerOnly = false;
  // No nginx to move traffic at: the entrypoint (the gateway) listens behind a switch on its port.
  const entrySwitched = new Map<number, number>();
  const noEdge = ![...runnable.values()].some((entry) => entry.ext.emulate === 'nginx-image');
  if (options.entrySwitch && noEdge) {
    for (const [name, entry] of runnable) {
      if (entry.kind !== 'command' || !entry.ext.entrypoint) continue;
      for (const port of book.get(name)!.ports) {
        const target = await pickFreePort();
        entrySwitched.set(port, target);
        plan.switches.push({ service: name, port, target });
      }
    }
  }
  for (const [name, entry] of runnable) {
    const { ext } = entry;
    const service = project.services[name]!;
    const ports = book.get(name)!.ports.map((port) => entrySwitched.get(port) ?? port);
    const mounts = secrets.byService.get(name) ?? [];
    // Native overrides join the service's own variables before URLs are rewritten, so they may name
    // services too (a test runner pointed at the gateway instead of the nginx edge).
    const raw = declaredVariables(service, ext);
    const droppedForSecrets: string[] = [];
    const paths = new Map<string, string>();
    for (const mount of mounts) {
      const host = secrets.hostPath.get(mount.secret);
      if (host) paths.set(mount.target, host);
      else {
        // The secret names a service that runs nothing natively: the variable pointing at it goes.
        for (const [key, value] of Object.entries(raw)) {
          if (typeof value === 'string' && mapContainerPaths(value, new Map([[mount.target, '\0']])) !== value) {
            delete raw[key];
            droppedForSecrets.push(key);
          }
        }
      }
    }
    for (const [key, value] of Object.entries(raw)) if (typeof value === 'string') raw[key] = mapContainerPaths(value, paths);
    // A service standing in for another does not reach that one through itself (the gateway's own
    // FRONTEND_UPSTREAM is dropped, as the gateway serves the frontend's files).
    const servedHere = [...extensions].filter(([other, otherExt]) => other !== name && otherExt?.servedBy === name).map(([other]) => other);
    const ownBook = new Map([...book].filter(([other]) => !servedHere.includes(other)));
    // The edge reaches the app processes through switches on stable ports (edge-switch.ts), so a
    // release moves a switch instead of reloading nginx.
    const switched = ext.emulate === 'nginx-image' ? await switchedAddresses(ownBook, runnable) : undefined;
    const { environment, dropped } = rewriteEnvironment(raw, switched?.book ?? ownBook, { replicaLists: new Set(ext.replicaLists ?? []), embedded: new Set([...embedded, ...servedHere]) });
    if (switched) {
      const named = Object.values(environment).join(' ');
      plan.switches.push(...switched.specs.filter((spec) => new RegExp(`:${spec.port}(?!\\d)`).test(named)));
    }
    // nginx's templates take every upstream address from a variable (config/nginx): one naming a
    // service not run natively (Grafana with --profile monitoring) must stay defined, or envsubst
    // leaves an unknown nginx variable behind. Nothing listens there: the route answers 502.
    if (ext.emulate === 'nginx-image') for (const key of dropped) environment[key] = `${LOOPBACK}:9`;
    for (const [key, value] of Object.entries(ext.environment ?? {})) {
      if (environment[key] !== undefined && looksLikeRelativePath(value)) environment[key] = resolve(root, value);
    }
    const embeddedNames = [...new Set([...droppedForSecrets, ...dropped].map((key) => key.replace(/_FILE$/, '')))];
    if (embeddedNames.length) environment[EMBEDDED_VARIABLE] = embeddedNames.join(',');

    // As Docker: deploy.resources.limits wins, the service-level mem_limit is the fallback.
    const memoryLimitBytes = parseMemoryBytes(nested(service.deploy, 'resources', 'limits', 'memory')) ?? parseMemoryBytes(service.mem_limit);
    const tmpfs = tmpfsTargets(service.tmpfs);
    if (service.read_only === true || service.deploy?.resources || service.mem_limit !== undefined || service.cpus !== undefined) containerOnly = true;
    const dependsOn = nativeDependencies(project, name, runnable);
    const programFiles = entry.kind === 'program' ? programRuntime(name, entry, environment, mounts, { root, runDir, planned: new Map(secrets.files.map((f) => [f.path, f.content])) }) : undefined;
    if (programFiles) {
      plan.files.push(...programFiles.files);
      plan.dirs.push(...programFiles.dirs);
    }
    let nginxArgs: string[] | undefined;
    if (ext.emulate === 'nginx-image') {
      const rendered = renderNginx(name, service, environment, publishedPorts.get(name) ?? [], { runDir, program: entry.program! });
      plan.dirs.push(...rendered.dirs);
      plan.files.push(...rendered.files);
      plan.preflights.push({ service: name, run: () => testNginxConfig(entry.program!, rendered, show) });
      nginxArgs = rendered.args;
    }
    for (let replica = 1; replica <= entry.replicas; replica++) {
      const port = ports[replica - 1]!;
      const processName = replica === 1 ? name : `${name}-${replica}`;
      const env: Record<string, string> = {
        ...stringEnv(options.baseEnv ?? process.env),
        ...environment,
        PORT: String(port),
        HOST: LOOPBACK,
        INSTANCE_ID: `${name}-${replica}`,
      };
      if (tmpfs.includes('/tmp')) {
        // A private, empty /tmp per replica, as the container's tmpfs.
        const tmp = join(runDir, 'tmp', processName);
        plan.dirs.push({ path: tmp, mode: 0o700, fresh: true });
        env.TMPDIR = tmp;
      }
      // A balancer's replica lists (the gateway's upstreams) can change while it runs: written to
      // this file by a rolling deploy, which the gateway reads again when it changes.
      const upstreamsFile = ext.replicaLists?.length ? { path: join(runDir, 'upstreams', `${processName}.json`), variables: ext.replicaLists.filter((key) => environment[key] !== undefined) } : undefined;
      if (upstreamsFile) env.UPSTREAMS_FILE = upstreamsFile.path;
      const argv =
        entry.kind === 'command'
          ? withHeapLimit(ext.command!, memoryLimitBytes)
          : nginxArgs
            ? [entry.program!, ...nginxArgs]
            : [entry.program!, ...(ext.args ?? []).map((arg) => substituteArgument(arg, { PORT: String(port), CONFIG_FILE: programFiles?.configFile, DATA_DIR: programFiles?.dataDir }))];
      if (entry.kind === 'command' && replica === 1) assertRunnable(name, argv[0] ?? '', root);
      const healthHost = publishedPorts.get(name)?.[0]?.hostIp && publishedPorts.get(name)![0]!.hostIp !== '0.0.0.0' ? publishedPorts.get(name)![0]!.hostIp! : LOOPBACK;
      const spec: NativeProcessSpec = {
        name: processName,
        service: name,
        replica,
        argv,
        cwd: root,
        env,
        port,
        listenHost: ext.emulate === 'nginx-image' ? (publishedPorts.get(name)?.[0]?.hostIp ?? '0.0.0.0') : LOOPBACK,
        health: ext.health ? { http: `http://${healthHost}:${port}${ext.health}` } : entry.kind === 'program' ? { tcp: { host: LOOPBACK, port } } : undefined,
        dependsOn,
        restart: restartPolicy(service.restart),
        startTimeoutMs: options.startTimeoutMs ?? 60_000,
        stopSignal: stopSignal(service.stop_signal ?? ext.stopSignal),
        retireSignal: stopSignal(ext.retireSignal),
        graceMs: parseDurationMs(service.stop_grace_period),
        memoryLimitBytes,
        fifoDir: ext.emulate === 'nginx-image' ? join(runDir, 'fifo') : undefined,
        reloadableConfigRoot: ext.emulate === 'nginx-image' ? join(runDir, name) : undefined,
        upstreamsFile,
      };
      plan.processes.push(spec);
    }
    if (ext.entrypoint && (!entrypoint || tierOf(name) > entrypoint.tier)) entrypoint = { service: name, tier: tierOf(name) };
  }
  if (plan.processes.some((spec) => spec.upstreamsFile)) plan.dirs.push({ path: join(runDir, 'upstreams'), mode: 0o700, fresh: true });
  if (entrypoint) plan.entrypointUrl = `http://localhost:${book.get(entrypoint.service)!.ports[0]}/`;
  if (containerOnly) {
    plan.notes.push(
      'natively there is no container: read_only, cap_drop and cpus limits are not enforced; memory limits are (Node heaps sized to them, a process past its limit is killed), and tmpfs /tmp is a private folder',
    );
  }
  return plan;
}

function replicaCount(name: string, service: NativeServiceInput, scale: Record<string, number> | undefined): number {
  const override = scale?.[name];
  if (override !== undefined) return override;
  const declared = service.deploy?.replicas;
  if (declared === undefined || declared === null) return 1;
  if (typeof declared !== 'number' || !Number.isInteger(declared) || declared < 0) {
    throw new NativePlanError(`services.${name}.deploy.replicas is ${JSON.stringify(declared)}; give a whole number of replicas`);
  }
  return declared;
}

interface ResolvedSecrets {
  byService: Map<string, SecretMount[]>;
  /** Secret → the host file a service is pointed at; absent when the secret names an embedded service. */
  hostPath: Map<string, string>;
  files: RuntimeFile[];
}

/**
 * Checks every secret the native services mount (all problems at once, so one run lists them) and
 * decides where each is read from: its own file, or a private copy when it holds a URL of a service
 * whose address differs natively.
 */
function resolveSecrets(
  project: NativeProjectInput,
  runnable: ReadonlyMap<string, Runnable>,
  book: AddressBook,
  embedded: ReadonlySet<string>,
  context: { runDir: string; show: (file: string) => string; environment?: string },
): ResolvedSecrets {
  const definitions = (project.secrets ?? {}) as Record<string, SecretDefinition>;
  const byService = new Map<string, SecretMount[]>();
  const used = new Map<string, SecretMount>();
  const problems: string[] = [];
  for (const name of runnable.keys()) {
    try {
      const mounts = secretMountsOf(name, secretEntries(project.services[name]?.secrets), definitions);
      byService.set(name, mounts);
      for (const mount of mounts) used.set(mount.secret, mount);
    } catch (error) {
      if (error instanceof SecretMountError) problems.push(error.message);
      else throw error;
    }
  }
  const init = `npx stack${context.environment ? ` --env ${context.environment}` : ''} secrets init`;
  const missing: SecretMount[] = [];
  const values = new Map<string, string>();
  for (const mount of used.values()) {
    if ('variable' in mount.source) {
      const value = project.environment?.[mount.source.variable];
      if (value === undefined || value.trim() === '') problems.push(`secret ${mount.secret}: variable ${mount.source.variable} (its environment: source) is not set; set it in the env file`);
      else values.set(mount.secret, value);
      continue;
    }
    const problem = checkSecretFile(mount.source.file);
    if (problem?.kind === 'missing' && mount.generated) missing.push(mount);
    else if (problem) problems.push(describeSecretFileProblem(mount.secret, context.show(mount.source.file), problem, mount.generated ? init : undefined));
    else values.set(mount.secret, readFileSync(mount.source.file, 'utf8'));
  }
  if (missing.length) {
    const list = missing.map((m) => `${m.secret} (${context.show(('file' in m.source && m.source.file) || '')})`).join(', ');
    problems.unshift(`secret${missing.length > 1 ? 's' : ''} not found: ${list}; create ${missing.length > 1 ? 'them' : 'it'} with \`${init}\``);
  }
  if (problems.length) throw new NativePlanError(problems.join('\n'));

  const hostPath = new Map<string, string>();
  const files: RuntimeFile[] = [];
  for (const mount of used.values()) {
    const content = values.get(mount.secret)!;
    const trimmed = content.trim();
    const rewritten = rewriteValue(trimmed, book, { embedded });
    if (rewritten === undefined) continue;
    const copy = join(context.runDir, 'secrets', mount.secret);
    if ('variable' in mount.source || rewritten !== trimmed) {
      files.push({ path: copy, content: content.replace(trimmed, rewritten), mode: 0o600 });
      hostPath.set(mount.secret, copy);
    } else {
      hostPath.set(mount.secret, mount.source.file);
    }
  }
  return { byService, hostPath, files };
}

function secretEntries(value: unknown): ServiceSecretEntry[] {
  return Array.isArray(value) ? (value as ServiceSecretEntry[]) : [];
}

/**
 * The private config file and data folder of a data program. `${NAME}` in `configFile` is the
 * service's variable NAME, or the content of the file NAME_FILE names, as the image's start script
 * reads a Docker secret.
 */
function programRuntime(
  service: string,
  entry: Runnable,
  environment: Readonly<Record<string, string>>,
  mounts: readonly SecretMount[],
  context: { root: string; runDir: string; planned: ReadonlyMap<string, string | Buffer> },
): { files: RuntimeFile[]; dirs: { path: string; mode: number }[]; configFile?: string; dataDir?: string } {
  const files: RuntimeFile[] = [];
  const dirs: { path: string; mode: number }[] = [];
  let configFile: string | undefined;
  if (entry.ext.configFile) {
    configFile = join(context.runDir, 'config', `${service}.conf`);
    const content = entry.ext.configFile.replace(/\$\{([A-Za-z_][A-Za-z0-9_]*)\}/g, (_, name: string) => {
      if (environment[name] !== undefined) return environment[name];
      const file = environment[`${name}_FILE`];
      if (file !== undefined) return (context.planned.get(file)?.toString() ?? readFileSync(file, 'utf8')).replace(/\r?\n$/, '');
      const mounted = mounts.length ? ` (it mounts ${mounts.map((m) => m.secret).join(', ')})` : '';
      throw new NativePlanError(`${service}: x-native.configFile needs ${name} or ${name}_FILE in the service's environment${mounted}`);
    });
    dirs.push({ path: join(context.runDir, 'config'), mode: 0o700 });
    files.push({ path: configFile, content, mode: 0o600 });
  }
  const dataDir = entry.ext.dataDir ? resolve(context.root, entry.ext.dataDir) : undefined;
  if (dataDir) dirs.push({ path: dataDir, mode: 0o700 });
  return { files, dirs, configFile, dataDir };
}

function renderNginx(
  service: string,
  model: NativeServiceInput,
  environment: Record<string, string>,
  ports: PublishedPort[],
  context: { runDir: string; program: string },
) {
  const binds: BindMount[] = (model.volumes ?? [])
    .filter((volume) => volume.type === 'bind' && volume.source && volume.target)
    .map((volume) => ({ source: volume.source!, target: volume.target! }));
  try {
    return renderNginxImage({
      service,
      binds,
      tmpfs: tmpfsTargets(model.tmpfs),
      environment,
      ports,
      renderRoot: join(context.runDir, service),
      hostConfDir: hostNginxConfDir(context.program),
      runsAsRoot: process.getuid?.() === 0,
    });
  } catch (error) {
    if (error instanceof NginxRenderError) throw new NativePlanError(error.message);
    throw error;
  }
}

async function publishedPortsOf(service: NativeServiceInput): Promise<PublishedPort[]> {
  const ports: PublishedPort[] = [];
  for (const port of service.ports ?? []) {
    if (!port.target) continue;
    const published = Number(String(port.published ?? '').split('-')[0]);
    ports.push({ target: port.target, published: Number.isInteger(published) && published > 0 ? published : await pickFreePort(), hostIp: port.host_ip || undefined });
  }
  return ports;
}

function tmpfsTargets(value: unknown): string[] {
  const list = Array.isArray(value) ? value : typeof value === 'string' ? [value] : [];
  return list.filter((item): item is string => typeof item === 'string').map((item) => item.split(':')[0]!);
}

function nested(value: unknown, ...keys: string[]): unknown {
  let current = value;
  for (const key of keys) current = current && typeof current === 'object' ? (current as Record<string, unknown>)[key] : undefined;
  return current;
}

function substituteArgument(arg: string, values: Record<string, string | undefined>): string {
  return arg.replace(/\$\{([A-Z_]+)\}|\$PORT\b/g, (whole, name: string | undefined) => values[name ?? 'PORT'] ?? whole);
}

/**
 * The native processes `name` waits for. An embedded service starts nothing, so waiting on it
 * means waiting on what it depends on (a runner behind the nginx edge waits for the gateway).
 */
function nativeDependencies(project: NativeProjectInput, name: string, runnable: ReadonlyMap<string, unknown>): string[] {
  const found = new Set<string>();
  const seen = new Set<string>([name]);
  const visit = (service: string) => {
    for (const dep of Object.keys(project.services[service]?.depends_on ?? {})) {
      if (seen.has(dep)) continue;
      seen.add(dep);
      if (runnable.has(dep)) found.add(dep);
      else visit(dep);
    }
  };
  visit(name);
  return [...found];
}

function servicePort(service: NativeServiceInput): number | undefined {
  const fromEnv = Number(service.environment?.PORT);
  if (Number.isInteger(fromEnv) && fromEnv > 0) return fromEnv;
  const target = service.ports?.[0]?.target ?? Number(service.expose?.[0]);
  return Number.isInteger(target) && target > 0 ? target : undefined;
}

function looksLikeRelativePath(value: string): boolean {
  return !isAbsolute(value) && /^[\w.-]+\/[\w./-]*$/.test(value) && !value.includes('://');
}

function restartPolicy(value: string | undefined): RestartPolicy {
  if (value === 'always' || value === 'unless-stopped' || value === 'no') return value;
  if (value?.startsWith('on-failure')) return 'on-failure';
  return 'no';
}

function stopSignal(value: unknown): NodeJS.Signals | undefined {
  return typeof value === 'string' && /^SIG[A-Z0-9]+$/.test(value) ? (value as NodeJS.Signals) : undefined;
}

function stringEnv(env: NodeJS.ProcessEnv): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [key, value] of Object.entries(env)) if (value !== undefined) out[key] = value;
  return out;
}

/**
 * The address book as the edge sees it: every app process (a command) behind a switch port of its
 * own, and a service served by one (the frontend by the gateway) behind the same switch.
 */
async function switchedAddresses(book: ReadonlyMap<string, NativeAddress>, runnable: ReadonlyMap<string, Runnable>): Promise<{ book: Map<string, NativeAddress>; specs: EdgeSwitchSpec[] }> {
  const specs: EdgeSwitchSpec[] = [];
  const switchOf = new Map<number, number>();
  for (const [name, address] of book) {
    if (runnable.get(name)?.kind !== 'command') continue;
    for (const target of address.ports) {
      const port = await pickFreePort();
      specs.push({ service: name, port, target });
      switchOf.set(target, port);
    }
  }
  const switchedBook = new Map([...book].map(([name, address]) => [name, { ...address, ports: address.ports.map((port) => switchOf.get(port) ?? port) }]));
  return { book: switchedBook, specs };
}
