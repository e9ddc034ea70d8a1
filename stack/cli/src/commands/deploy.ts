import type { Command } from '../cli/command.js';
import { UsageError, type ParsedOptions } from '../cli/arg-parser.js';
import { resolveProject } from '../cli/resolve-project.js';
import { deployWithCompose } from '../deploy/docker-deploy.js';
import { deployNative, describeReleases } from '../deploy/native-deploy.js';
import { findNpmRoot } from '../native/native-plan-builder.js';
import { NativeStateStore } from '../native/state-store.js';
import { chooseRunMode, RUN_MODE_OPTIONS, type RunMode } from '../run/run-mode.js';
import { deployToSwarm } from '../deploy/swarm-deploy.js';

/**
 * `stack deploy`: a new release of the selected environment. Natively (one host) blue-green
 * behind the nginx edge; `--target swarm` renders it as a Swarm stack (and deploys it when a
 * swarm manager answers).
 */
export const deployCommand: Command = {
  name: 'deploy',
  summary:
    'Release a new version without downtime (blue-green or rolling behind the nginx edge), or render a Swarm stack',
  usage:
    '[--status | --rollback] [--strategy blue-green|rolling] [--timeout 120s] [--drain-timeout 30s] [--allow-dirty] [--yes] [--no-build] | --target swarm [--out FILE]',
  options: [
    ...RUN_MODE_OPTIONS,
    {
      name: 'target',
      type: 'string',
      value: 'TARGET',
      choices: ['swarm'],
      description: 'swarm: render a stack file for docker stack deploy (and deploy it on a swarm manager)',
    },
    {
      name: 'out',
      short: 'o',
      type: 'string',
      value: 'FILE',
      description:
        'with --target swarm: where to write the stack file (default .stack/deploy/swarm.<env>.yml)',
    },
    {
      name: 'rollback',
      type: 'boolean',
      description: 'return to the previous release (from its release directory), the same health-gated way',
    },
    {
      name: 'status',
      type: 'boolean',
      description: 'show the current and previous release (version, commit, time, who)',
    },
    {
      name: 'strategy',
      type: 'string',
      value: 'STRATEGY',
      choices: ['blue-green', 'rolling'],
      description:
        "blue-green (default): the new release beside the old, the edge switched once every new process is healthy; rolling: one process at a time, each health-gated, moved through the gateway's upstream set or its edge switch",
    },
    {
      name: 'timeout',
      type: 'string',
      value: 'DURATION',
      description: 'how long each new process may take to become healthy (default 120s)',
    },
    {
      name: 'drain-timeout',
      type: 'string',
      value: 'DURATION',
      description: 'how long the old release may take to finish its requests after the switch (default 30s)',
    },
    { name: 'allow-dirty', type: 'boolean', description: 'deploy even with uncommitted changes' },
    {
      name: 'yes',
      short: 'y',
      type: 'boolean',
      description: 'confirm a deploy that touches a data service whose definition changed',
    },
    {
      name: 'no-build',
      type: 'boolean',
      description: 'deploy what is built already (default: build every service first)',
    },
    {
      name: 'settle',
      type: 'string',
      value: 'DURATION',
      description:
        'under Docker: how long the gateway is given to find new replicas by DNS before the old ones stop (default 6s)',
    },
  ],
  async run({ globals, options, io }) {
    const environment = globals.environment;
    if (!environment) throw new UsageError('deploy needs an environment: stack --env production deploy');
    // Options that ask for two things at once: one of them was silently dropped before.
    const releaseOption = ['status', 'rollback', 'strategy'].find((name) => options[name] !== undefined);
    if (options.target === 'swarm' && releaseOption) throw new UsageError(`--${releaseOption} does not go with --target swarm (Swarm rolls out and back itself)`);
    if (options.status === true && options.rollback === true) throw new UsageError('--status and --rollback do not go together: --status only shows the releases');
    if (options.target === 'swarm') {
      // The stack file is what a swarm runs: rendered from the example's placeholders and
      // example domains, it would deploy them. Like every other deploy, it needs `.env.NAME`.
      const { project } = resolveProject(globals, io, { refuseExampleEnvFile: true });
      return deployToSwarm({ project, environment, out: options.out as string | undefined, io });
    }
    if (options.out !== undefined) throw new UsageError('--out goes with --target swarm');
    const { project } = resolveProject(globals, io, { refuseExampleEnvFile: true });
    if (options.status === true) return describeReleases(project, io);
    if (deployMode(options, io.env, project) === 'docker') {
      if (options.rollback === true)
        throw new UsageError(
          `under Docker, roll back by deploying the previous version: VERSION=<previous> stack --env ${environment} deploy --no-build`,
        );
      if (options.strategy === 'blue-green')
        throw new UsageError(
          'under Docker, deploy replaces each service with `up --scale --no-recreate` (rolling); --strategy blue-green is native only',
        );
      return deployWithCompose({
        project,
        globals,
        environment,
        io,
        startTimeoutMs: durationOption(options.timeout, 'timeout', 120_000),
        drainMs: durationOption(options['drain-timeout'], 'drain-timeout', 30_000),
        settleMs: durationOption(options.settle, 'settle', 6_000),
        allowDirty: options['allow-dirty'] === true,
        build: options['no-build'] !== true,
      });
    }
    return deployNative({
      project,
      environment,
      io,
      startTimeoutMs: durationOption(options.timeout, 'timeout', 120_000),
      drainMs: durationOption(options['drain-timeout'], 'drain-timeout', 30_000),
      allowDirty: options['allow-dirty'] === true,
      yes: options.yes === true,
      build: options['no-build'] !== true,
      rollback: options.rollback === true,
      strategy: options.strategy === 'rolling' ? 'rolling' : 'blue-green',
    });
  },
};

/**
 * `--docker`/`--native` (or STACK_MODE) when given; otherwise the native stack when one runs here,
 * else Docker when an engine answers.
 */
function deployMode(
  options: ParsedOptions,
  env: Record<string, string | undefined>,
  project: { name: string; workingDir: string },
): RunMode {
  if (options.native === true || options.docker === true || env.STACK_MODE)
    return chooseRunMode(options, env);
  const nativeRuns =
    new NativeStateStore(findNpmRoot(project.workingDir), project.name).readLive()?.phase === 'running';
  return nativeRuns ? 'native' : chooseRunMode(options, env);
}

/** `120s`, `2m`, `500ms` or a bare number of seconds. */
function durationOption(value: unknown, name: string, fallbackMs: number): number {
  if (typeof value !== 'string') return fallbackMs;
  const match = /^(\d+(?:\.\d+)?)(ms|s|m)?$/.exec(value);
  if (!match)
    throw new UsageError(
      `--${name} takes a duration such as 120s, 2m or 500ms (got ${JSON.stringify(value)})`,
    );
  const amount = Number(match[1]);
  const unit = match[2] ?? 's';
  return Math.round(unit === 'ms' ? amount : unit === 'm' ? amount * 60_000 : amount * 1000);
}
