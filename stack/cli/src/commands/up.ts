import { relative } from 'node:path';
import type { Project } from '@codiesvibe/compose';
import { resolveProject } from '../cli/resolve-project.js';
import type { Command } from '../cli/command.js';
import { UsageError } from '../cli/arg-parser.js';
import { runDockerCompose } from '../docker/docker-runner.js';
import { findNpmRoot } from '../native/native-plan-builder.js';
import { runNativeUp } from '../native/native-runner.js';
import { composeTargetOf } from '../run/compose-target.js';
import { chooseRunMode, parseScale, RUN_MODE_OPTIONS, secondsOption } from '../run/run-mode.js';

/** `stack up`: start the environment under Docker Compose, or natively when no engine answers. */
export const upCommand: Command = {
  name: 'up',
  summary: 'Build what is needed and start the services (Docker, or natively without an engine)',
  usage: '[OPTIONS] [SERVICE...]',
  options: [
    ...RUN_MODE_OPTIONS,
    { name: 'detach', short: 'd', type: 'boolean', description: 'run in the background' },
    { name: 'build', type: 'boolean', description: 'build before starting, even when up to date' },
    { name: 'no-build', type: 'boolean', description: 'never build' },
    {
      name: 'scale',
      type: 'list',
      value: 'SERVICE=N',
      description: 'run N replicas of SERVICE (repeatable)',
    },
    {
      name: 'abort-on-container-exit',
      type: 'boolean',
      description: 'stop everything when any service exits',
    },
    {
      name: 'exit-code-from',
      type: 'string',
      value: 'SERVICE',
      description: "exit with SERVICE's exit code (implies --abort-on-container-exit)",
    },
    {
      name: 'wait-timeout',
      type: 'string',
      value: 'SECONDS',
      description: 'how long each service may take to become healthy natively (default 60)',
    },
    {
      name: 'timeout',
      short: 't',
      type: 'string',
      value: 'SECONDS',
      description: 'shutdown grace period per service (default 10)',
    },
  ],
  async run(context) {
    const { globals, options, args, io } = context;
    if (options.build === true && options['no-build'] === true)
      throw new UsageError('--build and --no-build exclude each other');
    const scale = parseScale((options.scale as string[] | undefined) ?? []);
    const startTimeoutMs = secondsOption(options['wait-timeout'], 'wait-timeout', 60);
    const graceMs = options.timeout === undefined ? undefined : secondsOption(options.timeout, 'timeout', 10);
    const { project } = resolveProject(globals, io, { services: args, refuseExampleEnvFile: true });
    const abort = options['abort-on-container-exit'] === true || options['exit-code-from'] !== undefined;
    // The integration runner decides the result of a testing run, as the plan's usage expects.
    const exitCodeFrom =
      (options['exit-code-from'] as string | undefined) ??
      (abort && project.services.tests ? 'tests' : undefined);

    if (chooseRunMode(options, io.env) === 'docker') {
      const passthrough = [
        ...(options.detach === true ? ['-d'] : []),
        ...(options.build === true ? ['--build'] : []),
        ...(options['no-build'] === true ? ['--no-build'] : []),
        ...Object.entries(scale).flatMap(([service, count]) => ['--scale', `${service}=${count}`]),
        ...(abort ? ['--abort-on-container-exit'] : []),
        ...(exitCodeFrom ? ['--exit-code-from', exitCodeFrom] : []),
        ...(options.timeout !== undefined ? ['--timeout', String(options.timeout)] : []),
        ...(options.detach === true ? ['--wait'] : []),
        ...args,
      ];
      const root = findNpmRoot(project.workingDir);
      return runDockerCompose(
        io,
        root,
        composeTargetOf(project, globals, project.workingDir),
        'up',
        passthrough,
      );
    }
    io.stderr(
      `stack | native mode${options.native === true ? '' : ' (no Docker engine answered)'}: services run as local processes\n`,
    );
    return runNativeUp({
      project,
      environment: globals.environment,
      scale,
      build: options.build === true ? 'always' : options['no-build'] === true ? 'never' : 'auto',
      detach: options.detach === true,
      abortOnContainerExit: abort,
      exitCodeFrom,
      startTimeoutMs,
      graceMs,
      io,
      showPath: (file) => relative(io.cwd, file) || file,
      describePortSetting: (service, port) => portSetting(project, globals.environment, service, port),
      foregroundArgv: [
        process.argv[1] ?? '',
        ...process.argv.slice(2).filter((arg) => arg !== '-d' && arg !== '--detach'),
      ],
    });
  },
};

/**
 * What to change when a published port is taken: the variable that set it when one did (a
 * `*PORT*` variable holding that value), else the service's `ports:`.
 */
function portSetting(
  project: Project,
  environment: string | undefined,
  service: string,
  port: number,
): string | undefined {
  const published = project.services[service]?.ports?.find(
    (p) => Number(String(p.published ?? '').split('-')[0]) === port,
  );
  if (!published) return undefined;
  const variables = Object.entries(project.environment)
    .filter(([name, value]) => /PORT/i.test(name) && value === String(port))
    .map(([name]) => name);
  const where = environment ? ` in .env.${environment}` : '';
  return variables.length === 1
    ? `${variables[0]}${where} to a free port`
    : `another host port in ${service}'s ports: (${port}:${published.target})`;
}
