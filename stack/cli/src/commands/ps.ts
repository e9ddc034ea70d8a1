import type { Command } from '../cli/command.js';
import { resolveProjectIdentity } from '../cli/project-source.js';
import { findNpmRoot } from '../native/npm-root.js';
import { NativeStateStore } from '../native/state-store.js';
import { composeTargetOf } from '../run/compose-target.js';
import { chooseRunMode, RUN_MODE_OPTIONS } from '../run/run-mode.js';

/** `stack ps`: state, pid, port, health and uptime of each native process, or docker compose ps. */
export const psCommand: Command = {
  name: 'ps',
  summary: 'List the running services with state, pid, port, health and uptime',
  usage: '[OPTIONS] [SERVICE...]',
  options: [
    ...RUN_MODE_OPTIONS,
    { name: 'all', short: 'a', type: 'boolean', description: 'Docker: include stopped containers' },
    {
      name: 'format',
      type: 'string',
      value: 'FORMAT',
      choices: ['table', 'json'],
      description: 'table (default) or json',
    },
  ],
  async run({ globals, options, args, io }) {
    // Only which project: `stack ps` loads no YAML or schema code.
    const project = await resolveProjectIdentity(globals, io);
    const root = findNpmRoot(project.workingDir);
    const live = new NativeStateStore(root, project.name).readLive();
    if (live?.unreadable && options.docker !== true) {
      io.stderr(`stack: ${live.unreadable}; its supervisor (pid ${live.supervisorPid}) still runs: \`stack down\` stops it\n`);
      return 1;
    }
    if (live && options.docker !== true) {
      // Loaded only here and below: `stack ps` with nothing running pays for neither the health
      // probe nor the Docker runner.
      const { describeNativeStack } = await import('../native/native-status.js');
      const state = args.length
        ? { ...live, processes: live.processes.filter((p) => args.includes(p.service)) }
        : live;
      io.stdout(
        options.format === 'json' ? `${JSON.stringify(state, null, 2)}\n` : await describeNativeStack(state),
      );
      return 0;
    }
    if (chooseRunMode(options, io.env) === 'native') {
      io.stderr(`stack | no native stack of ${project.name} is running (start it with \`stack up\`)\n`);
      return 0;
    }
    const passthrough = [
      ...(options.all === true ? ['--all'] : []),
      ...(options.format === 'json' ? ['--format', 'json'] : []),
      ...args,
    ];
    const { runDockerCompose } = await import('../docker/docker-runner.js');
    return runDockerCompose(
      io,
      root,
      composeTargetOf(project, globals, project.workingDir),
      'ps',
      passthrough,
    );
  },
};
