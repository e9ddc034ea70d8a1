import type { Command } from '../cli/command.js';
import { resolveProject } from '../cli/resolve-project.js';
import { runDockerCompose } from '../docker/docker-runner.js';
import { findNpmRoot } from '../native/native-plan-builder.js';
import { NativeStateStore, isProcessAlive } from '../native/state-store.js';
import { composeTargetOf } from '../run/compose-target.js';
import { chooseRunMode, RUN_MODE_OPTIONS, secondsOption } from '../run/run-mode.js';

/** `stack down`: stop the environment: the native supervisor if one runs, else docker compose down. */
export const downCommand: Command = {
  name: 'down',
  summary: 'Stop and remove the services (native: stop every process in reverse order)',
  usage: '[OPTIONS]',
  options: [
    ...RUN_MODE_OPTIONS,
    { name: 'volumes', short: 'v', type: 'boolean', description: 'Docker: also remove named volumes' },
    {
      name: 'remove-orphans',
      type: 'boolean',
      description: 'Docker: remove containers of services not in the model',
    },
    {
      name: 'timeout',
      short: 't',
      type: 'string',
      value: 'SECONDS',
      description: 'how long to wait for the stop (default 60)',
    },
  ],
  async run({ globals, options, io }) {
    // Read before anything is stopped: a wrong value must not leave a stack half stopped.
    const timeoutMs = secondsOption(options.timeout, 'timeout', 60);
    const { project } = resolveProject(globals, io, { noConsistency: true });
    const root = findNpmRoot(project.workingDir);
    const store = new NativeStateStore(root, project.name);
    const live = store.readLive();
    if (live && options.docker !== true) {
      io.stderr(
        `stack | stopping the native stack of ${project.name} (supervisor pid ${live.supervisorPid})\n`,
      );
      process.kill(live.supervisorPid, 'SIGTERM');
      const deadline = Date.now() + timeoutMs;
      while (isProcessAlive(live.supervisorPid)) {
        if (Date.now() > deadline) {
          io.stderr(
            `stack: the supervisor (pid ${live.supervisorPid}) did not stop in time; its watchdog ends the services when it is killed\n`,
          );
          process.kill(live.supervisorPid, 'SIGKILL');
          return 1;
        }
        await new Promise((resolve) => setTimeout(resolve, 100));
      }
      io.stderr('stack | stopped\n');
      return 0;
    }
    if (chooseRunMode(options, io.env) === 'native') {
      io.stderr(`stack | no native stack of ${project.name} is running\n`);
      return 0;
    }
    const args = [
      ...(options.volumes === true ? ['--volumes'] : []),
      ...(options['remove-orphans'] === true ? ['--remove-orphans'] : []),
      ...(options.timeout !== undefined ? ['--timeout', String(options.timeout)] : []),
    ];
    return runDockerCompose(io, root, composeTargetOf(project, globals, project.workingDir), 'down', args);
  },
};
