import { toComposeJson } from '@codiesvibe/compose';
import type { Command } from '../cli/command.js';
import type { GlobalOptions } from '../cli/global-options.js';
import { resolveProject } from '../cli/resolve-project.js';
import { colorEnabled } from '../cli/terminal.js';
import { formatDiffJson, formatDiffText, type DiffSide } from '../diff/format-diff.js';
import { diffModels } from '../diff/model-diff.js';
import { UsageError } from '../errors.js';

interface Side extends DiffSide {
  globals: GlobalOptions;
}

/** `stack diff`: what differs between two environments (or two sets of files), key by key. */
export const diffCommand: Command = {
  name: 'diff',
  summary: 'Compare the resolved models of two environments (or two sets of files), key by key',
  usage: 'NAME NAME | --env NAME --env NAME | --files FILE[,FILE...] --files FILE[,FILE...] [--format text|json] [--no-consistency]',
  options: [
    {
      name: 'env',
      type: 'list',
      value: 'NAME',
      description: 'an environment to compare (give two, or one beside a global --env / -f)',
    },
    {
      name: 'files',
      type: 'list',
      value: 'FILE[,FILE...]',
      description: 'a set of compose files, merged like -f, to compare (repeatable)',
    },
    {
      name: 'format',
      type: 'string',
      value: 'FORMAT',
      choices: ['text', 'json'],
      description: 'output format: text (default) or json',
    },
    { name: 'no-consistency', type: 'boolean', description: "compare models Compose refuses (an undefined service, network, a cycle ...)" },
  ],
  run({ globals, options, args, io }) {
    const environments = (options.env as string[] | undefined) ?? [];
    const fileSets = (options.files as string[] | undefined) ?? [];
    // `stack diff staging production` reads as two environments; mixed with --env or --files it
    // would be ambiguous, so it is refused there.
    const named = environments.length === 0 && fileSets.length === 0 ? args : [];
    if (named.length === 0 && args.length > 0) {
      throw new UsageError(`diff takes two environment names or --env/--files, not both (got ${args.join(' ')} beside them)`);
    }
    const sides = comparedSides(globals, named.length > 0 ? named : environments, fileSets);
    const [left, right] = sides.map((side) => {
      // A model Compose refuses is refused here too, unless asked: its differences would read as
      // a result (exit 1, "they differ") while neither side can start.
      const { project } = resolveProject(side.globals, io, { noConsistency: options['no-consistency'] === true });
      return JSON.parse(toComposeJson(project)) as unknown;
    });
    const differences = diffModels(left, right);
    const [leftSide, rightSide] = sides as [Side, Side];
    if (options.format === 'json') io.stdout(formatDiffJson(leftSide, rightSide, differences));
    else io.stdout(formatDiffText(leftSide, rightSide, differences, colorEnabled(io)));
    return Promise.resolve(differences.length === 0 ? 0 : 1);
  },
};

/**
 * The two sides, in this order: what the global options select (a global `--env` or `-f`), then
 * each `--env`, then each `--files`. Every side enables every profile unless `--profile` is given,
 * so optional groups are compared too.
 */
function comparedSides(globals: GlobalOptions, environments: string[], fileSets: string[]): Side[] {
  const profiles = globals.profiles.length > 0 ? globals.profiles : ['*'];
  const sides: Side[] = [];
  const ownSides = environments.length + fileSets.length;
  if (ownSides < 2 && (globals.environment !== undefined || globals.files.length > 0)) {
    const label = globals.environment ?? globals.files.join(',');
    sides.push({ label, globals: { ...globals, profiles } });
  }
  for (const environment of environments)
    sides.push({ label: environment, globals: { ...globals, environment, profiles } });
  for (const set of fileSets) {
    const files = set.split(',').filter((file) => file !== '');
    if (files.length === 0) throw new UsageError('--files takes FILE[,FILE...] (got an empty list)');
    sides.push({ label: files.join(','), globals: { ...globals, files, environment: undefined, profiles } });
  }
  if (sides.length !== 2) {
    throw new UsageError(
      `diff compares two sides, got ${sides.length}: give two environments (stack diff staging production), or --files FILES --files FILES`,
    );
  }
  return sides;
}
