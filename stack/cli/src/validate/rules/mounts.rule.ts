import { existsSync } from 'node:fs';
import { dirname, join, sep } from 'node:path';
import { asRecord, servicesOf, type MountView } from '../compose-model.js';
import { locateService } from '../environment-model.js';
import type { Finding } from '../finding.js';
import { findingAt, type Rule, type RuleContext } from '../rule.js';

// The sockets of container engines, and the folders that hold them.
const ENGINE_SOCKET = /(?:^|\/)(?:docker|podman|containerd|crio|dockershim)\.sock$/;
const SOCKET_FOLDERS = new Set(['/var/run', '/run', '/var/run/docker', '/run/docker', '/run/containerd', '/var/run/containerd']);

/** Whether a bind mount hands the container an engine's API (the socket, or the folder holding it). */
export function exposesEngineSocket(mount: Pick<MountView, 'type' | 'source' | 'target'>): boolean {
  if (mount.type !== 'bind') return false;
  const paths = [mount.source ?? '', mount.target].map((path) => path.replace(/\/+$/, ''));
  return paths.some((path) => ENGINE_SOCKET.test(path)) || SOCKET_FOLDERS.has(paths[0] ?? '');
}

/**
 * The engine's API is root on the host: `:ro` makes only the socket file read-only, every API
 * call (start a privileged container, mount /) still works.
 */
export const noDockerSocketRule: Rule = {
  id: 'no-docker-socket',
  severity: 'error',
  description: 'no service mounts a container engine socket',
  why: 'the engine API is root on the host (:ro protects the file, not the API): one request starts a privileged container',
  fix: 'push what the service needs (logs over OTLP, metrics to an exporter) instead of pulling it from the engine; if it truly needs the API, switch this rule off for it with the reason',
  check(context: RuleContext): Finding[] {
    const findings: Finding[] = [];
    for (const environment of context.environments) {
      if (!environment.model) continue;
      for (const service of servicesOf(environment.model)) {
        for (const mount of service.mounts.filter(exposesEngineSocket)) {
          findings.push(
            findingAt(
              noDockerSocketRule,
              locateService(context.sources, environment, service.name, ['volumes']),
              `${environment.name}: service ${service.name} mounts the engine socket ${mount.source ?? ''} at ${mount.target}${mount.readOnly ? ' (read-only does not limit the API)' : ''}`,
              'remove the mount; ship logs and metrics by push (OTLP, exporters), or switch this rule off for the service with the reason it needs the engine',
              environment.name,
              service.name,
            ),
          );
        }
      }
    }
    return findings;
  },
};

/** The repository the project lives in: the folder holding `.git` at or above `projectDir`, else `projectDir`. */
export function repositoryRoot(projectDir: string): string {
  for (let dir = projectDir; ; dir = dirname(dir)) {
    if (existsSync(join(dir, '.git'))) return dir;
    if (dirname(dir) === dir) return projectDir;
  }
}

/** True when `folder` is `path` or one of its ancestors. */
function contains(folder: string, path: string): boolean {
  const normalized = folder.replace(/\/+$/, '') || sep;
  return path === normalized || path.startsWith(normalized === sep ? sep : `${normalized}${sep}`);
}

/**
 * A service that mounts the repository sees everything in it: secret files, `.env` files with
 * real values, `.git` with its history. Mount the folders it reads, or build an image.
 */
export const noRepositoryRootMountRule: Rule = {
  id: 'no-repository-root-mount',
  severity: 'error',
  description: 'no service bind-mounts the repository root (or a folder holding the project’s secret files)',
  why: 'the container then reads every secret file, .env file and the git history of the checkout',
  fix: 'mount only the folders the service reads (read-only), or build them into an image',
  check(context: RuleContext): Finding[] {
    const findings: Finding[] = [];
    const projectDir = context.layout.projectDir;
    const roots = [...new Set([projectDir, repositoryRoot(projectDir)])];
    for (const environment of context.environments) {
      if (!environment.model) continue;
      const secretFiles = Object.values(asRecord(environment.model.secrets) ?? {})
        .map((secret) => asRecord(secret)?.file)
        .filter((file): file is string => typeof file === 'string');
      for (const service of servicesOf(environment.model)) {
        for (const mount of service.mounts) {
          if (mount.type !== 'bind' || !mount.source) continue;
          const root = roots.find((candidate) => contains(mount.source as string, candidate));
          const secret = secretFiles.find((file) => contains(mount.source as string, file));
          if (!root && !secret) continue;
          const what = root ? `the repository root${mount.source === root ? '' : ` (${mount.source} holds it)`}` : `${mount.source}, which holds the secret file ${secret ?? ''}`;
          findings.push(
            findingAt(
              noRepositoryRootMountRule,
              locateService(context.sources, environment, service.name, ['volumes']),
              `${environment.name}: service ${service.name} mounts ${what} at ${mount.target}`,
              'mount only the folders the service reads, read-only (never secrets/ or the .env files), or build them into an image',
              environment.name,
              service.name,
            ),
          );
        }
      }
    }
    return findings;
  },
};
