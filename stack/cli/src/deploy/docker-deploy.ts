import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import type { Project } from '@codiesvibe/compose';
import type { CommandIo } from '../cli/command.js';
import type { GlobalOptions } from '../cli/global-options.js';
import { computeBuildMetadata } from '../docker/build-metadata.js';
import { composeArguments } from '../docker/compose-invocation.js';
import { runDockerCompose } from '../docker/docker-runner.js';
import { startupTiers } from '../native/native-plan.js';
import { findNpmRoot } from '../native/native-plan-builder.js';
import { composeTargetOf } from '../run/compose-target.js';
import { readStackSettings } from '../settings/stack-settings.js';
import { checkCleanTree, DeployError, lockedError } from './deploy-checks.js';
import { deployer, takeDeployLock } from './release-history.js';

/*
 * `stack deploy` under Docker: Compose does the work, one service at a time in dependency order,
 * with `up --scale` and `--no-recreate` (the running containers are never recreated):
 *
 *   docker compose … build SERVICE…                                          (unless --no-build)
 *   docker compose … ps -q S; docker inspect --format {{.Config.Image}} ID…  refused when every image is tagged VERSION
 *   per service S, with N containers running:
 *     docker compose … ps -q S                                               the old containers
 *     docker compose … up -d --no-deps --no-build --no-recreate --scale S=2N --wait --wait-timeout T S
 *       fails (a new container unhealthy or exited): docker logs --tail 20, docker stop, docker rm
 *       of each new container; the old ones never stopped serving; exit 1
 *     docker compose … exec -T EDGE nginx -s reload                          when the edge proxies to S
 *     (the gateway finds the new replicas by DNS within DNS_REFRESH_MS: --settle waits for it)
 *     docker stop --time DRAIN OLD; docker rm OLD                            one old container at a time
 */

export interface DockerDeployOptions {
  project: Project;
  globals: GlobalOptions;
  environment: string;
  io: CommandIo;
  startTimeoutMs: number;
  drainMs: number;
  /** How long the balancers are given to find new replicas (the gateway's DNS refresh and a probe). */
  settleMs: number;
  allowDirty: boolean;
  build: boolean;
}

/** The services a release replaces under Docker: the ones built from this repository, in dependency order. */
function releasedServices(project: Project): string[] {
  const built = Object.entries(project.services).filter(([, service]) => service.build !== undefined).map(([name]) => name);
  const graph = new Map(built.map((name) => [name, Object.keys(project.services[name]!.depends_on ?? {}).filter((dependency) => built.includes(dependency))]));
  return startupTiers(graph).flat();
}

export async function deployWithCompose(options: DockerDeployOptions): Promise<number> {
  const { project, globals, environment, io } = options;
  const root = findNpmRoot(project.workingDir);
  const target = composeTargetOf(project, globals, project.workingDir);
  const docker = io.env.DOCKER_BINARY || 'docker';
  const say = (text: string) => io.stderr(`stack | ${text}\n`);
  const run = (argv: string[]) => {
    say(`${docker} ${argv.join(' ')}`);
    const result = spawnSync(docker, argv, { cwd: io.cwd, env: io.env, encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] });
    return { ok: result.status === 0, stdout: result.stdout ?? '', stderr: result.stderr ?? '' };
  };
  const containersOf = (service: string) => run(composeArguments(target, 'ps', ['-q', service])).stdout.split('\n').map((line) => line.trim()).filter(Boolean);

  checkCleanTree(root, options.allowDirty, say);
  const services = releasedServices(project);
  const running = new Map(services.map((service) => [service, containersOf(service)]));
  if ([...running.values()].every((ids) => ids.length === 0)) {
    throw new DeployError(`${environment} is not running under Docker here (no container of ${services.join(', ')}): start it with \`stack --env ${environment} up -d\`, then deploy`);
  }
  const meta = computeBuildMetadata(root, { ...io.env, VERSION: io.env.VERSION || project.environment.VERSION });
  // What runs is what the containers' images are tagged: all of them with this VERSION, nothing is new.
  const images = run(['inspect', '--format', '{{.Config.Image}}', ...[...running.values()].flat()]).stdout.split('\n').filter(Boolean);
  if (images.length && images.every((image) => image.endsWith(`:${meta.VERSION}`))) {
    throw new DeployError(`VERSION ${meta.VERSION} is the running release (every container runs an image tagged ${meta.VERSION}): give the new release its own version (VERSION=... or package.json)`);
  }
  const lock = takeDeployLock(join(root, '.stack', 'deploy', project.name), { pid: process.pid, by: deployer(io.env), since: new Date().toISOString(), version: meta.VERSION });
  if ('heldBy' in lock) throw lockedError(lock.heldBy);
  try {
    if (options.build) {
      const built = await runDockerCompose(io, root, target, 'build', services);
      if (built !== 0) throw new DeployError(`docker compose build failed (exit ${built}); nothing was deployed`);
    }
    const edge = readStackSettings(project.workingDir).edge;
    const proxiedByEdge = new Set(edge ? Object.keys(project.services[edge]?.depends_on ?? {}) : []);
    const began = Date.now();
    for (const service of services) {
      const old = running.get(service) ?? [];
      if (old.length === 0) {
        say(`${service} runs no container: left alone`);
        continue;
      }
      const up = composeArguments(target, 'up', ['-d', '--no-deps', '--no-build', '--no-recreate', '--scale', `${service}=${old.length * 2}`, '--wait', '--wait-timeout', String(Math.ceil(options.startTimeoutMs / 1000)), service]);
      const started = await runDockerCompose(io, root, target, 'up', up.slice(up.indexOf('up') + 1));
      if (started !== 0) {
        const fresh = containersOf(service).filter((id) => !old.includes(id));
        const lastLines = fresh.flatMap((id) => run(['logs', '--tail', '20', id]).stdout.split('\n').filter(Boolean).map((line) => `    ${id.slice(0, 12)} | ${line}`));
        for (const id of fresh) {
          run(['stop', id]);
          run(['rm', id]);
        }
        throw new DeployError(`release ${meta.VERSION} failed: a new ${service} container did not become healthy within ${Math.round(options.startTimeoutMs / 1000)} s; its new containers are removed, the ${old.length} running one(s) kept serving\n  last lines:\n${lastLines.join('\n')}`);
      }
      if (edge && proxiedByEdge.has(service)) run(composeArguments(target, 'exec', ['-T', edge, 'nginx', '-s', 'reload']));
      if (options.settleMs > 0) await new Promise((resolve) => setTimeout(resolve, options.settleMs));
      for (const id of old) {
        run(['stop', '--time', String(Math.ceil(options.drainMs / 1000)), id]);
        run(['rm', id]);
      }
      say(`${service}: ${old.length} new container(s) healthy and serving, the old one(s) stopped`);
    }
    io.stdout(`deployed ${meta.VERSION} (commit ${meta.GIT_COMMIT}) on ${environment} with docker compose in ${((Date.now() - began) / 1000).toFixed(1)} s\n`);
    return 0;
  } finally {
    lock.release();
  }
}

