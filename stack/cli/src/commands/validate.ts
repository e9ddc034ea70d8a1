import { UsageError } from '../cli/arg-parser.js';
import type { Command } from '../cli/command.js';
import { discoverLayout } from '../validate/compose-layout.js';
import { formatReportJson, formatReportText } from '../validate/format-findings.js';
import { environmentLoader, projectDirectoryOf } from '../validate/load-environment.js';
import { runValidation } from '../validate/run-validation.js';
import { RULES } from '../validate/rules/index.js';

/**
 * `stack validate`: the compose tree against Compose itself (schema, interpolation, include ...)
 * and against the architecture's standards, reported like a linter. Exit 1 on any error.
 */
export const validateCommand: Command = {
  name: 'validate',
  summary: 'Check every environment against Compose and the architecture standards, like a linter',
  usage: '[--env NAME|all] [--format text|json] [--rules]',
  options: [
    { name: 'format', type: 'string', value: 'FORMAT', choices: ['text', 'json'], description: 'output format: text (default) or json' },
    { name: 'rules', type: 'boolean', description: 'list the rules and exit' },
  ],
  run(context) {
    const { globals, options, io } = context;
    if (options.rules === true) {
      io.stdout(RULES.map((rule) => `${rule.id.padEnd(28)} ${rule.severity.padEnd(7)} ${rule.description}\n`).join(''));
      return Promise.resolve(0);
    }
    const projectDir = projectDirectoryOf(globals, io);
    const layout = discoverLayout(projectDir);
    const available = [...layout.environmentFiles.keys()];
    if (available.length === 0) {
      throw new UsageError(`no environment files in ${layout.root}/environments (expected docker-compose.<env>.yml)`);
    }
    const requested = globals.environment ?? 'all';
    if (requested !== 'all' && !available.includes(requested)) {
      throw new UsageError(`unknown environment ${JSON.stringify(requested)}: one of ${available.join(', ')} or all`);
    }
    const report = runValidation({
      projectDir,
      environments: requested === 'all' ? available : [requested],
      load: environmentLoader(globals, io),
    });
    io.stdout(options.format === 'json' ? formatReportJson(report, projectDir) : formatReportText(report, projectDir));
    return Promise.resolve(report.errorCount > 0 ? 1 : 0);
  },
};
