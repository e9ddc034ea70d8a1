import { relative } from 'node:path';
import { STACK_ERROR_CODES, UsageError } from '../errors.js';
import type { Command, CommandIo } from '../cli/command.js';
import { readStackSettings, StackSettingsError } from '../settings/stack-settings.js';
import { discoverLayout } from '../validate/compose-layout.js';
import { formatReportJson, formatReportText } from '../validate/format-findings.js';
import { formatReportSarif } from '../validate/format-sarif.js';
import { environmentLoader, projectDirectoryOf } from '../validate/load-environment.js';
import { runValidation, ValidationInputError } from '../validate/run-validation.js';
import { RULES } from '../validate/rules/index.js';
import { resolveProject } from '../cli/resolve-project.js';
import type { GlobalOptions } from '../cli/global-options.js';
import { groupSwarmFindings } from '../deploy/swarm-deploy.js';
import { renderSwarmStack } from '../deploy/swarm-stack.js';
import { refuseArguments } from '../cli/no-arguments.js';

/** Exit status when the tree cannot be read at all (1 means "problems found"). */
const EXIT_UNREADABLE = 2;

/**
 * `stack validate`: the compose tree against Compose itself (schema, interpolation, include ...)
 * and against the architecture's standards, reported like a linter. Exit 1 on any error finding,
 * 2 when the tree cannot be read (YAML error, missing include or env file, bad x-stack): one line.
 */
export const validateCommand: Command = {
  name: 'validate',
  summary: 'Check every environment against Compose and the architecture standards, like a linter',
  usage: '[--env NAME|all] [--format text|json|sarif] [--rules] [--target swarm]',
  options: [
    {
      name: 'format',
      type: 'string',
      value: 'FORMAT',
      choices: ['text', 'json', 'sarif'],
      description: 'output format: text (default), json, or sarif (SARIF 2.1.0, for CI annotations)',
    },
    { name: 'rules', type: 'boolean', description: 'list the rules (id, why, fix) and exit' },
    {
      name: 'target',
      type: 'string',
      value: 'TARGET',
      choices: ['swarm'],
      description:
        'swarm: list what in the environment (default production) Docker Swarm would ignore, change or refuse',
    },
  ],
  run(context) {
    const { globals, options, args, io } = context;
    refuseArguments('validate', args, 'choose environments with a global --env NAME (or --env all)');
    if (options.target === 'swarm') return Promise.resolve(validateForSwarm(globals, io));
    if (options.rules === true) {
      io.stdout(
        options.format === 'json'
          ? `${JSON.stringify(
              RULES.map(({ id, severity, description, why, fix }) => ({
                id,
                severity,
                description,
                why,
                fix,
              })),
              null,
              2,
            )}\n`
          : rulesText(),
      );
      return Promise.resolve(0);
    }
    const projectDir = projectDirectoryOf(globals, io);
    try {
      const settings = readStackSettings(projectDir);
      const layout = discoverLayout(projectDir);
      const available = settings.environments.filter((name) => layout.environmentFiles.has(name));
      if (layout.environmentFiles.size === 0) {
        throw new UsageError(
          `no environment files in ${layout.root}/environments (expected docker-compose.<env>.yml): ` +
            'validate checks the modular layout; `stack config -q` checks any compose file against Compose, ' +
            'and `stack migrate` turns monolithic files into the layout',
        );
      }
      const missing = settings.environments.filter((name) => !layout.environmentFiles.has(name));
      if (settings.file && missing.length > 0) {
        throw new ValidationInputError(
          `x-stack.environments names ${missing.join(', ')}, which has no docker-compose/environments/docker-compose.<env>.yml`,
          STACK_ERROR_CODES.STACK_SETTINGS,
          settings.file,
          undefined,
          undefined,
        );
      }
      const requested = globals.environment ?? 'all';
      if (requested !== 'all' && !available.includes(requested)) {
        throw new UsageError(
          `unknown environment ${JSON.stringify(requested)}: one of ${available.join(', ')} or all`,
        );
      }
      const report = runValidation({
        projectDir,
        settings,
        environments: requested === 'all' ? available : [requested],
        load: environmentLoader(globals, io, settings.environmentVariable),
      });
      const format = (options.format as string | undefined) ?? 'text';
      if (format === 'json') io.stdout(formatReportJson(report, projectDir));
      else if (format === 'sarif') io.stdout(formatReportSarif(report, projectDir, RULES));
      else io.stdout(formatReportText(report, projectDir));
      return Promise.resolve(report.errorCount > 0 ? 1 : 0);
    } catch (error) {
      if (error instanceof ValidationInputError || error instanceof StackSettingsError) {
        io.stderr(`${unreadableLine(error, io)}\n`);
        return Promise.resolve(EXIT_UNREADABLE);
      }
      throw error;
    }
  },
};

/**
 * `validate --target swarm`: what `deploy --target swarm` would change, and what Swarm ignores or
 * refuses, one line per setting. Exit 1 when Swarm would refuse the stack.
 */
function validateForSwarm(globals: GlobalOptions, io: CommandIo): number {
  const environment = globals.environment ?? 'production';
  const { project } = resolveProject({ ...globals, environment }, io);
  const { findings } = renderSwarmStack(project);
  const refused = findings.filter((finding) => finding.effect === 'refused').length;
  io.stdout(
    `${environment} on Docker Swarm:\n${groupSwarmFindings(findings)
      .map((line) => `  ${line}\n`)
      .join('')}`,
  );
  io.stdout(
    refused
      ? `${refused} setting(s) Swarm refuses: change them before \`stack --env ${environment} deploy --target swarm\`\n`
      : 'nothing Swarm refuses: `stack --env ' +
          environment +
          ' deploy --target swarm` renders a stack file that deploys\n',
  );
  return refused ? 1 : 0;
}

/** `file:line:col: message [code]`, the file relative to where stack runs when it is below it. */
function unreadableLine(error: ValidationInputError | StackSettingsError, io: CommandIo): string {
  let where = '';
  if (error.file) {
    const shown = relative(io.cwd, error.file);
    where = shown.startsWith('..') ? error.file : shown;
    if (error.line) where += `:${error.line}`;
    if (error.line && error.column) where += `:${error.column}`;
    where += ': ';
  }
  return `${where}${error.message} [${error.code}]`;
}

function rulesText(): string {
  const width = Math.max(...RULES.map((rule) => rule.id.length));
  return RULES.map(
    (rule) =>
      `${rule.id.padEnd(width)}  ${rule.severity}  ${rule.description}\n${' '.repeat(width)}  why: ${rule.why}\n${' '.repeat(width)}  fix: ${rule.fix}\n`,
  ).join('');
}
