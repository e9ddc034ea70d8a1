import type { Command } from '../cli/command.js';
import { UsageError } from '../cli/arg-parser.js';
import { resolveProject } from '../cli/resolve-project.js';
import { deployNative, describeReleases } from '../deploy/native-deploy.js';
import { deployToSwarm } from '../deploy/swarm-deploy.js';

/**
 * `stack deploy`: a new release of the selected environment. Natively (one host) blue-green
 * behind the nginx edge; `--target swarm` renders it as a Swarm stack (and deploys it when a
 * swarm manager answers).
 */
export const deployCommand: Command = {
  name: 'deploy',
  summary: 'Release a new version without downtime (blue-green behind the nginx edge), or render a Swarm stack',
  usage: '[--status | --rollback] [--timeout 120s] [--drain-timeout 30s] [--allow-dirty] [--yes] [--no-build] | --target swarm [--out FILE]',
  options: [
    { name: 'target', type: 'string', value: 'TARGET', choices: ['swarm'], description: 'swarm: render a stack file for docker stack deploy (and deploy it on a swarm manager)' },
    { name: 'out', short: 'o', type: 'string', value: 'FILE', description: 'with --target swarm: where to write the stack file (default .stack/deploy/swarm.<env>.yml)' },
    { name: 'rollback', type: 'boolean', description: 'return to the previous release (from its release directory), the same health-gated way' },
    { name: 'status', type: 'boolean', description: 'show the current and previous release (version, commit, time, who)' },
    { name: 'strategy', type: 'string', value: 'STRATEGY', choices: ['blue-green'], description: 'blue-green (default): the new release beside the old, the edge switched once every new process is healthy' },
    { name: 'timeout', type: 'string', value: 'DURATION', description: 'how long each new process may take to become healthy (default 120s)' },
    { name: 'drain-timeout', type: 'string', value: 'DURATION', description: 'how long the old release may take to finish its requests after the switch (default 30s)' },
    { name: 'allow-dirty', type: 'boolean', description: 'deploy even with uncommitted changes' },
    { name: 'yes', short: 'y', type: 'boolean', description: 'confirm a deploy that touches a data service whose definition changed' },
    { name: 'no-build', type: 'boolean', description: 'deploy what is built already (default: build every service first)' },
  ],
  async run({ globals, options, io }) {
    const environment = globals.environment;
    if (!environment) throw new UsageError('deploy needs an environment: stack --env production deploy');
    if (options.target === 'swarm') {
      const { project } = resolveProject(globals, io);
      return deployToSwarm({ project, environment, out: options.out as string | undefined, io });
    }
    if (options.out !== undefined) throw new UsageError('--out goes with --target swarm');
    const { project } = resolveProject(globals, io, { refuseExampleEnvFile: true });
    if (options.status === true) return describeReleases(project, io);
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
    });
  },
};

/** `120s`, `2m`, `500ms` or a bare number of seconds. */
function durationOption(value: unknown, name: string, fallbackMs: number): number {
  if (typeof value !== 'string') return fallbackMs;
  const match = /^(\d+(?:\.\d+)?)(ms|s|m)?$/.exec(value);
  if (!match) throw new UsageError(`--${name} takes a duration such as 120s, 2m or 500ms (got ${JSON.stringify(value)})`);
  const amount = Number(match[1]);
  const unit = match[2] ?? 's';
  return Math.round(unit === 'ms' ? amount : unit === 'm' ? amount * 60_000 : amount * 1000);
}
