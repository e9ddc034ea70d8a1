import { UsageError } from '../cli/arg-parser.js';
import type { Command } from '../cli/command.js';
import { computeMatrix } from '../matrix/compute-matrix.js';
import { DependencyCycleError } from '../matrix/dependency-graph.js';
import { formatMatrixJson, formatMatrixMermaid, formatMatrixTable } from '../matrix/format-matrix.js';
import { readStackSettings } from '../settings/stack-settings.js';
import { assertEnvironmentLoads, environmentLoader, projectDirectoryOf } from '../validate/load-environment.js';
import { findEdge } from '../validate/tiers.js';
import { refuseArguments } from '../cli/no-arguments.js';

/** `stack matrix`: service, dependencies and startup tier, computed from the resolved model. */
export const matrixCommand: Command = {
  name: 'matrix',
  summary: 'Print the dependency matrix (service, depends on, startup tier) of an environment',
  usage: '[--env NAME] [--format table|mermaid|json]',
  options: [
    {
      name: 'format',
      type: 'string',
      value: 'FORMAT',
      choices: ['table', 'mermaid', 'json'],
      description: 'output format: table (default, Markdown), mermaid or json',
    },
  ],
  run(context) {
    const { globals, options, args, io } = context;
    refuseArguments('matrix', args, 'choose the environment with a global --env NAME');
    const environment = globals.environment ?? 'development';
    if (environment === 'all') throw new UsageError('matrix shows one environment: give --env NAME');
    const settings = readStackSettings(projectDirectoryOf(globals, io));
    const model = environmentLoader(globals, io, settings.environmentVariable)(environment);
    // The matrix is drawn with every profile enabled; what Compose refuses with the profiles in
    // use (a dependency behind a profile nobody enabled) must fail here as it fails in `up`.
    assertEnvironmentLoads(globals, io, environment, settings.environmentVariable);
    // The edge as the project names it (x-stack.edge) or as the model shows it.
    const edge = findEdge(model, settings.edge).service;
    let rows;
    try {
      rows = computeMatrix(model, { profiles: globals.profiles, edgeServices: edge ? [edge] : [] });
    } catch (error) {
      if (!(error instanceof DependencyCycleError)) throw error;
      io.stderr(`stack: ${environment}: ${error.message} [${error.code}]\n`);
      return Promise.resolve(1);
    }
    const format = (options.format as string | undefined) ?? 'table';
    if (format === 'json') io.stdout(formatMatrixJson(environment, rows));
    else if (format === 'mermaid') io.stdout(formatMatrixMermaid(rows));
    else io.stdout(formatMatrixTable(rows));
    return Promise.resolve(0);
  },
};
