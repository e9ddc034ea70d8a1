import type { Command } from '../cli/command.js';
import { UsageError } from '../cli/arg-parser.js';
import { resolveProject } from '../cli/resolve-project.js';
import { runDockerCompose } from '../docker/docker-runner.js';
import { findNpmRoot } from '../native/native-plan-builder.js';
import { composeTargetOf } from '../run/compose-target.js';
import { chooseRunMode, RUN_MODE_OPTIONS } from '../run/run-mode.js';

/** `stack exec SERVICE COMMAND...`: a command inside a running container (Docker mode only). */
export const execCommand: Command = {
  name: 'exec',
  summary: 'Run a command in a running service container (Docker)',
  usage: '[OPTIONS] SERVICE COMMAND [ARG...]',
  options: [
    ...RUN_MODE_OPTIONS,
    { name: 'user', short: 'u', type: 'string', value: 'USER', description: 'run as this user' },
    { name: 'index', type: 'string', value: 'N', description: 'replica number (default 1)' },
    { name: 'no-tty', short: 'T', type: 'boolean', description: 'do not allocate a TTY' },
  ],
  async run({ globals, options, args, io }) {
    const [service, ...command] = args;
    if (!service || command.length === 0)
      throw new UsageError('exec needs a SERVICE and a COMMAND (stack exec nestjs-api sh)');
    if (chooseRunMode(options, io.env) === 'native') {
      throw new UsageError(
        'exec needs Docker; natively every service is a local process, so run the command directly in a shell',
      );
    }
    const { project } = resolveProject(globals, io, { noConsistency: true });
    if (!project.services[service]) throw new UsageError(`no such service: ${service}`);
    const passthrough = [
      ...(options.user !== undefined ? ['--user', String(options.user)] : []),
      ...(options.index !== undefined ? ['--index', String(options.index)] : []),
      ...(options['no-tty'] === true || !process.stdin.isTTY ? ['-T'] : []),
      service,
      ...command,
    ];
    return runDockerCompose(
      io,
      findNpmRoot(project.workingDir),
      composeTargetOf(project, globals, project.workingDir),
      'exec',
      passthrough,
    );
  },
};
