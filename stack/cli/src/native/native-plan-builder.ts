import { existsSync } from 'node:fs';
import { dirname, isAbsolute, join, resolve } from 'node:path';
import { findProgram } from './program-lookup.js';
import { parseNativeExtension, type NativeExtension } from './native-extension.js';
import type { NativePlan, NativeProcessSpec, RestartPolicy } from './native-plan.js';
import { pickFreePort } from './ports.js';

/** The parts of a resolved Compose service the native runner reads. */
export interface NativeServiceInput {
  environment?: Record<string, string | null | undefined>;
  ports?: { target?: number; published?: string | number }[];
  expose?: (string | number)[];
  depends_on?: Record<string, { condition?: string; required?: boolean }>;
  restart?: string;
  deploy?: { replicas?: unknown } | null;
  'x-native'?: unknown;
}

export interface NativeProjectInput {
  name: string;
  workingDir: string;
  services: Record<string, NativeServiceInput>;
}

export interface NativePlanOptions {
  /** `--scale service=N` overrides. */
  scale?: Record<string, number>;
  /** Environment the children inherit (PATH, HOME, ...); service variables win over it. */
  baseEnv?: NodeJS.ProcessEnv;
  startTimeoutMs?: number;
  /** Looks up a program on PATH; replaceable in tests. */
  findProgram?: (name: string) => string | undefined;
}

export interface BuiltNativePlan extends NativePlan {
  /** Folder native commands run in. */
  root: string;
  /** URL of the service marked `entrypoint`, to open in a browser. */
  entrypointUrl?: string;
}

const LOOPBACK = '127.0.0.1';

/** The npm project root: the nearest folder at or above `dir` with a package.json. */
export function findNpmRoot(dir: string): string {
  let current = resolve(dir);
  for (;;) {
    if (existsSync(join(current, 'package.json'))) return current;
    const parent = dirname(current);
    if (parent === current) return resolve(dir);
    current = parent;
  }
}

/**
 * Turns a resolved Compose project into local processes: replicas on loopback ports,
 * service-name URLs rewritten to those ports, data services replaced by programs on PATH or by
 * the embedded defaults their consumers fall back to when the variable naming them is unset.
 */
export async function buildNativePlan(project: NativeProjectInput, options: NativePlanOptions = {}): Promise<BuiltNativePlan> {
  const root = findNpmRoot(project.workingDir);
  const lookup = options.findProgram ?? findProgram;
  const extensions = new Map<string, NativeExtension | undefined>();
  for (const [name, service] of Object.entries(project.services)) {
    extensions.set(name, parseNativeExtension(name, service['x-native']));
  }
  for (const name of Object.keys(options.scale ?? {})) {
    if (!project.services[name]) throw new Error(`--scale names ${name}, which is not a service of this environment`);
  }

  const plan: BuiltNativePlan = { root, processes: [], embedded: [], builds: [] };
  // Replica ports first: every service's address must be known before any environment is rewritten.
  const addresses = new Map<string, { containerPort?: number; ports: number[] }>();
  const runnable = new Map<string, { ext: NativeExtension; kind: 'command' | 'program'; replicas: number }>();
  for (const [name, service] of Object.entries(project.services)) {
    const ext = extensions.get(name);
    const containerPort = servicePort(service);
    if (ext?.command) {
      const declared = service.deploy?.replicas;
      const replicas = options.scale?.[name] ?? (typeof declared === 'number' ? declared : 1);
      if (replicas < 1) continue;
      const ports: number[] = [];
      for (let i = 0; i < replicas; i++) {
        ports.push(i === 0 && containerPort ? containerPort : await pickFreePort());
      }
      addresses.set(name, { containerPort, ports });
      runnable.set(name, { ext, kind: 'command', replicas });
      if (ext.build) plan.builds.push({ service: name, argv: ext.build });
    } else if (ext?.program && lookup(ext.program)) {
      // A data program gets a free port: the well-known one is often taken by a system instance.
      addresses.set(name, { containerPort, ports: [await pickFreePort()] });
      runnable.set(name, { ext, kind: 'program', replicas: 1 });
    } else {
      const replacement =
        ext?.embedded ?? (ext?.program ? `${ext.program} is not installed` : 'not run natively (no x-native block)');
      plan.embedded.push({ service: name, replacement: ext?.program && ext.embedded ? `${ext.program} not found: ${ext.embedded}` : replacement });
      if (ext?.build) plan.builds.push({ service: name, argv: ext.build });
    }
  }

  for (const [name, { ext, kind, replicas }] of runnable) {
    const service = project.services[name]!;
    const ports = addresses.get(name)!.ports;
    // Native overrides join the service's own variables before URLs are rewritten, so they may name
    // services too (a test runner pointed at the gateway instead of the nginx edge).
    const environment = rewriteEnvironment({ ...service.environment, ...ext.environment }, addresses, new Set(ext.replicaLists ?? []));
    for (const [key, value] of Object.entries(ext.environment ?? {})) {
      if (environment[key] !== undefined && looksLikeRelativePath(value)) environment[key] = resolve(root, value);
    }
    const dependsOn = nativeDependencies(project, name, runnable);
    for (let replica = 1; replica <= replicas; replica++) {
      const port = ports[replica - 1]!;
      const argv =
        kind === 'command'
          ? ext.command!
          : [lookup(ext.program!)!, ...(ext.args ?? []).map((arg) => arg.replace(/\$\{PORT\}|\$PORT\b/g, String(port)))];
      const spec: NativeProcessSpec = {
        name: replica === 1 ? name : `${name}-${replica}`,
        service: name,
        replica,
        argv,
        cwd: root,
        env: {
          ...stringEnv(options.baseEnv ?? process.env),
          ...environment,
          PORT: String(port),
          HOST: LOOPBACK,
          INSTANCE_ID: `${name}-${replica}`,
        },
        port,
        health:
          kind === 'program'
            ? { tcp: { host: LOOPBACK, port } }
            : ext.health
              ? { http: `http://${LOOPBACK}:${port}${ext.health}` }
              : undefined,
        dependsOn,
        restart: restartPolicy(service.restart),
        startTimeoutMs: options.startTimeoutMs ?? 60_000,
      };
      plan.processes.push(spec);
    }
    if (ext.entrypoint) plan.entrypointUrl = `http://localhost:${ports[0]}/`;
  }
  return plan;
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

// scheme://[user[:pass]@]host[:port][rest]
const URL_PATTERN = /^([a-z][a-z0-9+.-]*:\/\/)([^@/\s]*@)?([a-zA-Z0-9_.-]+)(?::(\d+))?(.*)$/;

/**
 * Rewrites each value that is a URL naming a service: to its loopback address when it runs
 * natively (a list of every replica for variables in `replicaLists`), or drops the variable when
 * the service is embedded, so the consumer falls back to its built-in default.
 */
export function rewriteEnvironment(
  environment: Record<string, string | null | undefined>,
  addresses: ReadonlyMap<string, { containerPort?: number; ports: number[] }>,
  replicaLists: ReadonlySet<string>,
  embeddedServices?: ReadonlySet<string>,
): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [key, value] of Object.entries(environment)) {
    if (value === null || value === undefined) continue;
    const urls = value.split(',').map((part) => part.trim());
    const rewritten: string[] = [];
    let drop = false;
    for (const url of urls) {
      const match = URL_PATTERN.exec(url);
      const host = match?.[3];
      if (!match || !host) {
        rewritten.push(url);
        continue;
      }
      const address = addresses.get(host);
      if (address) {
        const targets = replicaLists.has(key) ? address.ports : address.ports.slice(0, 1);
        for (const port of targets) rewritten.push(`${match[1]}${match[2] ?? ''}${LOOPBACK}:${port}${match[5] ?? ''}`);
      } else if (embeddedServices ? embeddedServices.has(host) : isServiceHost(host)) {
        drop = true;
      } else {
        rewritten.push(url);
      }
    }
    if (!drop) out[key] = rewritten.join(',');
  }
  return out;
}

/** A bare single-label host (`mongodb`, `redis`) is a service name, not a public host. */
function isServiceHost(host: string): boolean {
  return !host.includes('.') && host !== 'localhost';
}

function looksLikeRelativePath(value: string): boolean {
  return !isAbsolute(value) && /^[\w.-]+\/[\w./-]*$/.test(value) && !value.includes('://');
}

function restartPolicy(value: string | undefined): RestartPolicy {
  if (value === 'always' || value === 'unless-stopped' || value === 'no') return value;
  if (value?.startsWith('on-failure')) return 'on-failure';
  return 'no';
}

function stringEnv(env: NodeJS.ProcessEnv): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [key, value] of Object.entries(env)) if (value !== undefined) out[key] = value;
  return out;
}
