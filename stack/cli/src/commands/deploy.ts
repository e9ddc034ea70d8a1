import type { Command } from '../cli/command.js';
import { UsageError } from '../cli/arg-parser.js';
import { resolveProject } from '../cli/resolve-project.js';
import { deployToSwarm } from '../deploy/swarm-deploy.js';

/**
 * `stack deploy`: a new release of the selected environment. `--target swarm` renders it as a
 * Swarm stack (and deploys it when a swarm manager answers).
 */
export const deployCommand: Command = {
  name: 'deploy',
  summary: 'Release a new version without downtime (blue-green or rolling), roll back, or render a Swarm stack',
  usage: '[--target swarm [--out FILE]]',
  options: [
    { name: 'target', type: 'string', value: 'TARGET', choices: ['swarm'], description: 'swarm: render a stack file for docker stack deploy (and deploy it on a swarm manager)' },
    { name: 'out', short: 'o', type: 'string', value: 'FILE', description: 'with --target swarm: where to write the stack file (default .stack/deploy/swarm.<env>.yml)' },
  ],
  run({ globals, options, io }) {
    const environment = globals.environment;
    if (!environment) throw new UsageError('deploy needs an environment: stack --env production deploy');
    if (options.target !== 'swarm') throw new UsageError('give --target swarm (one-host deploys are not in this version of stack)');
    const { project } = resolveProject(globals, io);
    return Promise.resolve(deployToSwarm({ project, environment, out: options.out as string | undefined, io }));
  },
};
