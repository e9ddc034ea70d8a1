import { existsSync } from 'node:fs';
import { resolve } from 'node:path';
import { COMPOSE_ERROR_CODES, type Project } from '@codiesvibe/compose';
import type { Command } from '../cli/command.js';
import { resolveProject } from '../cli/resolve-project.js';
import { stackErrorCode } from '../errors.js';
import { colorEnabled } from '../cli/terminal.js';
import { fail, type DoctorCheck } from '../doctor/doctor-check.js';
import { formatDoctorJson, formatDoctorText, type DoctorSection } from '../doctor/format-doctor.js';
import {
  checkEnvFile,
  checkPorts,
  checkPrograms,
  checkSecrets,
  relativeTo,
} from '../doctor/project-checks.js';
import { checkDisk, checkDocker, checkNode, checkNpm } from '../doctor/system-checks.js';
import { findNpmRoot } from '../native/native-plan-builder.js';
import { refuseArguments } from '../cli/no-arguments.js';

/** `stack doctor`: is this machine ready to run the environment, and what to do if not. */
export const doctorCommand: Command = {
  name: 'doctor',
  summary:
    'Check this machine for the environment: Node, Docker, ports, programs, env and secret files, disk',
  usage: '[--env NAME] [--format text|json]',
  options: [
    {
      name: 'format',
      type: 'string',
      value: 'FORMAT',
      choices: ['text', 'json'],
      description: 'output format: text (default) or json',
    },
  ],
  async run({ globals, options, args, io }) {
    refuseArguments('doctor', args, 'choose the environment with a global --env NAME');
    const projectDir = resolve(io.cwd, globals.projectDirectory ?? '.');
    const environment =
      globals.environment ??
      (existsSync(resolve(projectDir, '.env.development')) ? 'development' : undefined);

    const docker = checkDocker(io.env);
    const dockerAnswers = docker.some((check) => check.status === 'ok');
    const mode =
      io.env.STACK_MODE === 'docker' || io.env.STACK_MODE === 'native'
        ? io.env.STACK_MODE
        : dockerAnswers
          ? 'docker'
          : 'native';

    const projectChecks: DoctorCheck[] = [];
    if (environment) projectChecks.push(checkEnvFile(projectDir, environment));
    let project: Project | undefined;
    const load = (noConsistency: boolean) =>
      resolveProject({ ...globals, environment }, { ...io, stderr: () => undefined }, { noConsistency }).project;
    try {
      project = load(false);
    } catch (error) {
      const message = (error as { format?: () => string }).format?.() ?? (error as Error).message;
      projectChecks.push(
        fail(
          `the project does not load: ${message}`,
          'fix the file named above (stack config shows the same error)',
        ),
      );
      // `up` refuses an inconsistent model (an undefined dependency, network or secret, a cycle),
      // so that is a blocker; the model still exists, and the checks below still say what else
      // this machine lacks.
      if (stackErrorCode(error) === COMPOSE_ERROR_CODES.INCONSISTENT) project = load(true);
    }
    const npmRoot = findNpmRoot(project?.workingDir ?? projectDir);
    const sections: DoctorSection[] = [
      { title: 'System', checks: [checkNode(npmRoot), checkNpm(io.env), ...docker, checkDisk(npmRoot)] },
      {
        title: `Project${project ? ` ${project.name}` : ''}${environment ? `, environment ${environment}` : ''}`,
        checks: projectChecks,
      },
    ];
    if (project) {
      projectChecks.push(...checkSecrets(project, environment, relativeTo(npmRoot)));
      sections.push({ title: 'Programs (native mode)', checks: checkPrograms(project) });
      sections.push({ title: `Ports (${mode} mode)`, checks: await checkPorts(project, mode, io.env) });
    }

    if (options.format === 'json') io.stdout(formatDoctorJson(sections));
    else io.stdout(formatDoctorText('stack doctor', sections, colorEnabled(io)));
    return sections.some((section) => section.checks.some((check) => check.status === 'error')) ? 1 : 0;
  },
};
