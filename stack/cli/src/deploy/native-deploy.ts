import { existsSync, mkdirSync, readdirSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import type { Project } from '@codiesvibe/compose';
import type { CommandIo } from '../cli/command.js';
import { computeBuildMetadata } from '../docker/build-metadata.js';
import { checkCleanTree, DeployError, lockedError } from './deploy-checks.js';
import { mergeBuildSteps, runBuildStep } from '../native/build-steps.js';
import { buildNativePlan, findNpmRoot, NativePlanError } from '../native/native-plan-builder.js';
import type { NativeProcessSpec } from '../native/native-plan.js';
import { pickFreePort } from '../native/ports.js';
import { requestRelease } from '../native/release-runner.js';
import { NativeStateStore, type NativeState } from '../native/state-store.js';
import { isProductionLike } from '../settings/stack-settings.js';
import { readStoredRelease, snapshotRelease, storeRelease } from './release-directory.js';
import { deployer, releaseOf, ReleaseHistory, serviceDefinitions, takeDeployLock, type ReleaseRecord } from './release-history.js';

export interface NativeDeployOptions {
  project: Project;
  environment: string;
  io: CommandIo;
  /** Per new process: how long it may take to become healthy. */
  startTimeoutMs: number;
  /** How long the old edge workers may take to finish their requests after the switch. */
  drainMs: number;
  allowDirty: boolean;
  yes: boolean;
  build: boolean;
  /** Return to the previous release (from its release directory) instead of deploying the tree. */
  rollback?: boolean;
  /** blue-green (default): all new processes, then one switch; rolling: one process at a time. */
  strategy?: 'blue-green' | 'rolling';
}


/** Services that run the project's code natively (`x-native.command`): the ones a release replaces. */
function appServices(project: Project): string[] {
  return Object.entries(project.services)
    .filter(([, service]) => {
      const native = (service as Record<string, unknown>)['x-native'] as Record<string, unknown> | undefined;
      return Array.isArray(native?.command);
    })
    .map(([name]) => name);
}

/** Data services: the ones `up` runs as a program with a data folder (mongod, redis-server). */
function dataServices(project: Project): string[] {
  return Object.entries(project.services)
    .filter(([, service]) => {
      const native = (service as Record<string, unknown>)['x-native'] as Record<string, unknown> | undefined;
      return typeof native?.program === 'string' && native.emulate === undefined;
    })
    .map(([name]) => name);
}

/** `deploy --status`: the current and previous release. */
export function describeReleases(project: Project, io: CommandIo): number {
  const store = new NativeStateStore(findNpmRoot(project.workingDir), project.name);
  const history = new ReleaseHistory(store.dir);
  const live = store.readLive();
  const line = (label: string, release: ReleaseRecord | undefined) =>
    `${label} ${release ? `${release.version} (commit ${release.commit}, built ${release.builtAt}), deployed ${release.deployedAt} by ${release.by} (${release.how === 'up' ? 'stack up' : release.how})` : '(none)'}\n`;
  io.stdout(`${project.name}${live ? ` (${live.environment ?? 'default'}, native, running)` : ' (not running natively)'}\n${line('current: ', history.current())}${line('previous:', history.previous())}`);
  return 0;
}

/**
 * One-host blue-green deploy of the running native environment: checks, lock, build, then the
 * running supervisor starts the new release beside the old, switches the edge and drains (see
 * native/release-runner.ts). The running release is untouched on every failure.
 */
export async function deployNative(options: NativeDeployOptions): Promise<number> {
  const { project, environment, io } = options;
  const root = findNpmRoot(project.workingDir);
  const store = new NativeStateStore(root, project.name);
  const history = new ReleaseHistory(store.dir);
  const say = (text: string) => io.stderr(`stack | ${text}\n`);

  const live = store.readLive();
  if (live?.unreadable) throw new DeployError(`${live.unreadable}: what runs is unknown, so nothing can be replaced; \`stack down\` stops it (supervisor pid ${live.supervisorPid}), then \`stack --env ${environment} up -d\``);
  if (!live || live.phase !== 'running') {
    throw new DeployError(`${environment} is not running natively here: start it with \`stack --env ${environment} up -d\`, then deploy`);
  }
  if ((live.environment ?? '') !== environment) {
    throw new DeployError(`the running native stack is ${live.environment ?? 'the default environment'}, not ${environment}: deploy to it with --env ${live.environment ?? ''}`);
  }
  if (options.rollback) return rollbackNative(options, store, history, live, say);
  checkCleanTree(root, options.allowDirty, say);
  // VERSION as the model reads it: the shell, else the environment's .env file (the image tag).
  const meta = computeBuildMetadata(root, { ...io.env, VERSION: io.env.VERSION || project.environment.VERSION });
  const current = history.current();
  if (current && current.version === meta.VERSION) {
    throw new DeployError(`VERSION ${meta.VERSION} is the running release (deployed ${current.deployedAt} by ${current.by}): give the new release its own version (VERSION=... or package.json)`);
  }
  const services = appServices(project);
  const definitions = serviceDefinitions(project);
  const changedData = dataServices(project).filter((name) => current?.definitions[name] !== undefined && current.definitions[name] !== definitions[name]);
  if (changedData.length && !options.yes) {
    throw new DeployError(`the definition of ${changedData.join(', ')} changed since the running release: redeploying a data service interrupts its clients; confirm with --yes`);
  }

  const lock = takeDeployLock(store.dir, { pid: process.pid, by: deployer(io.env), since: new Date().toISOString(), version: meta.VERSION });
  if ('heldBy' in lock) {
    throw lockedError(lock.heldBy);
  }
  try {
    // The new release is planned against what keeps running: data services and the edge stay
    // where they listen; the app services get free ports beside their running processes.
    const pinnedPorts: Record<string, number[]> = {};
    for (const status of live.processes) if (!services.includes(status.service) && status.port) (pinnedPorts[status.service] ??= []).push(status.port);
    // As many replicas as run now (`up --scale` included).
    const scale: Record<string, number> = {};
    for (const status of live.processes) if (services.includes(status.service)) scale[status.service] = (scale[status.service] ?? 0) + 1;
    let plan;
    try {
      plan = await buildNativePlan(project, { environment, baseEnv: io.env, startTimeoutMs: options.startTimeoutMs, pinnedPorts, scale, entrySwitch: isProductionLike(project.workingDir, environment) });
    } catch (error) {
      if (error instanceof NativePlanError) throw new DeployError(error.message.split('\n')[0]!);
      throw error;
    }
    // Traffic moves at the nginx edge, or, without one, at the switch `up` puts in front of the
    // gateway in production-like environments (the gateway's own upstreams move through its set).
    if (!plan.processes.some((spec) => spec.reloadableConfigRoot) && plan.switches.length === 0) {
      throw new DeployError(`natively, deploy moves traffic at the nginx edge or at the switch in front of the gateway, and ${environment} has neither here (deploy to staging or production)`);
    }
    if (changedData.length) say(`note: natively ${changedData.join(', ')} keep(s) running the definition they started with; \`stack down\` and \`stack up -d\` apply the new one`);
    if (options.build) {
      for (const step of mergeBuildSteps(plan.builds)) {
        const began = Date.now();
        say(`building ${step.service}: ${step.argv.join(' ')}`);
        const output: string[] = [];
        await runBuildStep(plan.root, step, (line) => output.push(line) > 30 && output.shift()).catch((error: Error) => {
          throw new DeployError(`${error.message}; nothing was deployed\n${output.map((line) => `    ${line}`).join('\n')}`);
        });
        say(`built ${step.service} in ${((Date.now() - began) / 1000).toFixed(1)} s`);
      }
    }
    const strategy = options.strategy ?? 'blue-green';
    const release = releaseOf(meta, io.env, strategy, project);
    const specs = plan.processes.filter((spec) => services.includes(spec.service));
    for (const spec of specs) {
      // What an image carries as build args, and a private /tmp of its own.
      Object.assign(spec.env, { VERSION: meta.VERSION, GIT_COMMIT: meta.GIT_COMMIT, BUILD_DATE: meta.BUILD_DATE });
      if (spec.env.TMPDIR) {
        spec.env.TMPDIR = `${spec.env.TMPDIR}-${release.id}`;
        mkdirSync(spec.env.TMPDIR, { recursive: true, mode: 0o700 });
      }
      // Its own upstreams file: the running balancer of the same name keeps reading its own.
      if (spec.upstreamsFile) {
        spec.upstreamsFile = { ...spec.upstreamsFile, path: spec.upstreamsFile.path.replace(/\.json$/, `-${release.id}.json`) };
        spec.env.UPSTREAMS_FILE = spec.upstreamsFile.path;
      }
    }
    // The release runs from its own copy of the build: the next build in the tree leaves it alone.
    const dir = releaseDir(store, release.id);
    const ownSpecs = snapshotRelease(root, dir, specs);
    storeRelease(dir, { id: release.id, specs: ownSpecs });
    say(`deploying ${release.version} (commit ${release.commit}) ${strategy} from ${dir}: ${[...new Set(specs.map((spec) => spec.service))].join(', ')}`);
    try {
      return await switchTo({ ...release, environment }, ownSpecs, { options, store, history, live, say, current });
    } catch (error) {
      rmSync(dir, { recursive: true, force: true });
      throw error;
    }
  } finally {
    lock.release();
  }
}

function releaseDir(store: NativeStateStore, id: string): string {
  return join(store.dir, 'releases', id);
}

interface SwitchContext {
  options: NativeDeployOptions;
  store: NativeStateStore;
  history: ReleaseHistory;
  live: NativeState;
  say: (text: string) => void;
  current: ReleaseRecord | undefined;
}

/** Hands `specs` to the supervisor as a blue-green release, follows it, records it on success. */
async function switchTo(release: ReleaseRecord, specs: NativeProcessSpec[], context: SwitchContext, requestId = release.id): Promise<number> {
  const { options, store, history, live, say, current } = context;
  const began = Date.now();
  requestRelease(store, live, { id: requestId, strategy: release.how === 'rolling' ? 'rolling' : 'blue-green', specs, drainMs: options.drainMs });
  // A roll starts and drains its processes one after another: its longest wait grows with them.
  const steps = release.how === 'rolling' ? specs.length : 1;
  const outcome = await followRelease(store, live, requestId, options.startTimeoutMs * (steps + 3) + options.drainMs * steps + 60_000, say);
  if (outcome.phase !== 'done') {
    const tail = outcome.lastLines?.length ? `\n  last lines:\n${outcome.lastLines.map((line) => `    ${line}`).join('\n')}` : '';
    throw new DeployError(`release ${release.version} failed: ${outcome.error ?? 'no answer from the supervisor'}${tail}`);
  }
  history.record({ ...release, deployedAt: new Date().toISOString().replace(/\.\d{3}Z$/, 'Z') });
  pruneReleaseDirs(store, [history.current()?.id, history.previous()?.id]);
  options.io.stdout(`${release.how === 'rollback' ? 'rolled back to' : 'deployed'} ${release.version} (commit ${release.commit}) on ${options.environment} in ${((Date.now() - began) / 1000).toFixed(1)} s; previous: ${current ? `${current.version} (commit ${current.commit})` : 'none recorded'}\n`);
  return 0;
}

/**
 * `deploy --rollback`: the previous release again, from its release directory, the same
 * health-gated way, on free ports (its processes' addresses of each other follow).
 */
async function rollbackNative(options: NativeDeployOptions, store: NativeStateStore, history: ReleaseHistory, live: NativeState, say: (text: string) => void): Promise<number> {
  const current = history.current();
  const previous = history.previous();
  if (!previous) throw new DeployError('there is no previous release to roll back to (deploy --status lists them)');
  const stored = readStoredRelease(releaseDir(store, previous.id));
  if (!stored) {
    throw new DeployError(`the previous release ${previous.version} was started by \`stack ${previous.how === 'up' ? 'up' : 'deploy'}\` without a release directory: it cannot be started again as it was; deploy its commit instead`);
  }
  const lock = takeDeployLock(store.dir, { pid: process.pid, by: deployer(options.io.env), since: new Date().toISOString(), version: previous.version });
  if ('heldBy' in lock) {
    throw lockedError(lock.heldBy);
  }
  try {
    const ports = new Map<number, number>();
    for (const spec of stored.specs) if (spec.port) ports.set(spec.port, await pickFreePort());
    const readdress = (text: string) => text.replace(/(127\.0\.0\.1|localhost):(\d+)(?!\d)/g, (match, host: string, port: string) => (ports.has(Number(port)) ? `${host}:${ports.get(Number(port))}` : match));
    const specs = stored.specs.map((spec) => {
      const port = spec.port ? ports.get(spec.port) : undefined;
      const env = Object.fromEntries(Object.entries(spec.env).map(([key, value]) => [key, readdress(value)]));
      if (port) env.PORT = String(port);
      if (env.TMPDIR) mkdirSync(env.TMPDIR, { recursive: true, mode: 0o700 });
      const health = spec.health && 'http' in spec.health ? { http: readdress(spec.health.http) } : spec.health;
      return { ...spec, port, env, health };
    });
    // Recorded under the previous release's id: it runs from that directory, and a second
    // rollback finds the one rolled back from under its own.
    const release: ReleaseRecord = { ...previous, how: 'rollback', by: deployer(options.io.env) };
    say(`rolling back to ${previous.version} (commit ${previous.commit}) from ${releaseDir(store, previous.id)}`);
    return await switchTo(release, specs, { options, store, history, live, say, current }, `${previous.id}-rollback-${Date.now().toString(36)}`);
  } finally {
    lock.release();
  }
}

/** Removes the release directories of every release but `keep` (the current and previous ones). */
function pruneReleaseDirs(store: NativeStateStore, keep: (string | undefined)[]): void {
  const root = join(store.dir, 'releases');
  const entries = existsSync(root) ? readdirSync(root) : [];
  for (const id of entries) if (!keep.includes(id)) rmSync(join(root, id), { recursive: true, force: true });
}

/** Prints the supervisor's progress lines until the release is done or failed. */
async function followRelease(store: NativeStateStore, live: NativeState, id: string, timeoutMs: number, say: (text: string) => void): Promise<{ phase: string; error?: string; lastLines?: string[] }> {
  const deadline = Date.now() + timeoutMs;
  let printed = 0;
  while (Date.now() < deadline) {
    await new Promise((resolve) => setTimeout(resolve, 150));
    const state = store.read();
    if (!state || state.supervisorPid !== live.supervisorPid) return { phase: 'failed', error: 'the native supervisor stopped during the deploy' };
    const release = state.release?.id === id ? state.release : undefined;
    if (!release) continue;
    for (const line of release.lines.slice(printed)) say(line);
    printed = release.lines.length;
    if (release.phase === 'done' || release.phase === 'failed') return release;
  }
  return { phase: 'failed', error: `no result within ${Math.round(timeoutMs / 1000)} s` };
}
