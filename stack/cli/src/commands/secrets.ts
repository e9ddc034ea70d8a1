import { relative } from 'node:path';
import type { Command } from '../cli/command.js';
import { fileAccessMessage, STACK_ERROR_CODES, UsageError } from '../errors.js';
import { resolveProject } from '../cli/resolve-project.js';
import { renderTable } from '../native/status-table.js';
import { checkSecretFile } from '../secrets/secret-file-check.js';
import { initSecrets, SecretFilesError, secretRecipes } from '../secrets/secret-generator.js';

/** `stack secrets init`: create the environment's missing secret files with strong random values. */
export const secretsCommand: Command = {
  name: 'secrets',
  summary: "Create the environment's missing secret files (strong random values, mode 0600)",
  usage: 'init | list',
  options: [],
  run({ globals, args, io }) {
    const [action, ...rest] = args;
    if ((action !== 'init' && action !== 'list') || rest.length)
      throw new UsageError('usage: stack [--env NAME] secrets init|list');
    const { project } = resolveProject(globals, io, { noConsistency: true, allResources: true });
    let parsed;
    try {
      parsed = secretRecipes(project.secrets);
    } catch (error) {
      io.stderr(`stack: ${(error as Error).message} [${STACK_ERROR_CODES.SECRETS}]\n`);
      return Promise.resolve(1);
    }
    const show = (file: string) => relative(io.cwd, file) || file;
    if (action === 'list') {
      const rows = parsed.recipes.map((r) => [
        r.name,
        show(r.file),
        r.generate === 'random' ? 'random' : 'template',
        statusOf(r.file),
      ]);
      for (const name of parsed.manual) {
        const file = String(project.secrets[name]?.file);
        rows.push([name, show(file), 'provide it yourself', statusOf(file)]);
      }
      io.stdout(renderTable(['SECRET', 'FILE', 'MADE FROM', 'STATUS'], rows));
      return Promise.resolve(0);
    }
    let outcomes;
    try {
      outcomes = initSecrets(parsed.recipes, { show, initCommand: `stack${globals.environment ? ` --env ${globals.environment}` : ''} secrets init` });
    } catch (error) {
      // Every file that cannot be kept or created is told at once; none was written.
      const lines =
        error instanceof SecretFilesError
          ? error.problems.map((problem) => `${problem} [${STACK_ERROR_CODES.SECRETS}]`)
          : [fileAccessMessage(error) ?? `${(error as Error).message} [${STACK_ERROR_CODES.SECRETS}]`];
      for (const line of lines) io.stderr(`stack: ${line}\n`);
      return Promise.resolve(1);
    }
    io.stdout(
      renderTable(
        ['SECRET', 'FILE', 'ACTION'],
        outcomes.map((o) => [o.name, show(o.file), o.action]),
      ),
    );
    for (const name of parsed.manual)
      io.stderr(
        `stack | ${name}: no x-generate; create ${show(String(project.secrets[name]?.file))} yourself\n`,
      );
    return Promise.resolve(0);
  },
};

/** `ok`, or what `up` would refuse about the file. */
function statusOf(file: string): string {
  const problem = checkSecretFile(file);
  if (!problem) return 'ok';
  if (problem.kind === 'too-open') return `mode 0${problem.mode.toString(8)} (chmod 600)`;
  return problem.kind === 'unreadable' ? `unreadable (${problem.reason})` : problem.kind;
}
