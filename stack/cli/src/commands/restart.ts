import type { Command } from '../cli/command.js';
import { UsageError } from '../cli/arg-parser.js';
import { STACK_ERROR_CODES, StackError } from '../errors.js';
import { resolveProject } from '../cli/resolve-project.js';
import { runDockerCompose } from '../docker/docker-runner.js';
import { findNpmRoot } from '../native/native-plan-builder.js';
import { requestNativeRestart } from '../native/native-control.js';
import { NativeStateStore } from '../native/state-store.js';
import { composeTargetOf } from '../run/compose-target.js';
import { chooseRunMode, RUN_MODE_OPTIONS, secondsOption } from '../run/run-mode.js';

/** `stack restart`: restart services in place (natively: stop, start, wait until healthy again). */
export const restartCommand: Command = {
  name: 'restart',
  summary: 'Restart services',
  usage: '[OPTIONS] [SERVICE...]',
  options: [
    ...RUN_MODE_OPTIONS,
    {
      name: 'timeout',
      short: 't',
      type: 'string',
      value: 'SECONDS',
      description: 'how long to wait (default 120)',
    },
  ],
  async run({ globals, options, args, io }) {
    const { project } = resolveProject(globals, io, { noConsistency: true });
    const root = findNpmRoot(project.workingDir);
    const store = new NativeStateStore(root, project.name);
    const live = store.readLive();
    if (live?.unreadable && options.docker !== true)
      throw new StackError(STACK_ERROR_CODES.NATIVE, `${live.unreadable}: what runs is unknown; \`stack down\` stops it (supervisor pid ${live.supervisorPid}), then \`stack up\``);
    if (live && options.docker !== true) {
      const services = args.length ? args : [...new Set(live.processes.map((p) => p.service))];
      const unknown = services.filter((service) => !live.processes.some((p) => p.service === service));
      if (unknown.length) throw new UsageError(`not running natively: ${unknown.join(', ')}`);
      io.stderr(`stack | restarting ${services.join(', ')}\n`);
      const result = await requestNativeRestart(
        store,
        live,
        services,
        secondsOption(options.timeout, 'timeout', 120),
      );
      io.stderr(`stack | ${result.message}\n`);
      return result.ok ? 0 : 1;
    }
    if (chooseRunMode(options, io.env) === 'native') {
      io.stderr(`stack | no native stack of ${project.name} is running (start it with \`stack up\`)\n`);
      return 1;
    }
    const passthrough = [
      ...(options.timeout !== undefined ? ['--timeout', String(options.timeout)] : []),
      ...args,
    ];
    return runDockerCompose(
      io,
      root,
      composeTargetOf(project, globals, project.workingDir),
      'restart',
      passthrough,
    );
  },
};
