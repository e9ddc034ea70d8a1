import type { Command } from '../cli/command.js';
import { colorEnabled } from '../cli/terminal.js';
import { formatMigration } from '../migrate/format-migration.js';
import { parseMigrateRequest } from '../migrate/migrate-options.js';
import { runMigration } from '../migrate/run-migration.js';
import { refuseArguments } from '../cli/no-arguments.js';

/** `stack migrate`: monolithic compose files → the modular tree, proven equal environment by environment. */
export const migrateCommand: Command = {
  name: 'migrate',
  summary: 'Turn monolithic compose files into the modular tree, proven by equal resolved models',
  usage:
    '--env NAME=FILE[,FILE...] ... [--env-file NAME=FILE ...] [--optional GROUP=FILES] [--out DIR] [--write [--force]]',
  options: [
    {
      name: 'env',
      type: 'list',
      value: 'NAME=FILES',
      description: 'an environment as its files are used today, in -f order (repeatable)',
    },
    {
      name: 'env-file',
      type: 'list',
      value: 'NAME=FILE',
      description:
        "an env file an environment is used with, repeatable in Compose's order (default: the project's .env); or .env.NAME alone",
    },
    // Node 20 reads every --env-file on the command line itself and exits when the value is not a
    // file (fixed in Node 22), so NAME=FILE needs another spelling there.
    {
      name: 'dotenv',
      type: 'list',
      value: 'NAME=FILE',
      description: 'the same as --env-file NAME=FILE (use it on Node 20, which takes --env-file for itself; not both for one environment)',
    },
    {
      name: 'optional',
      type: 'list',
      value: 'GROUP=FILES',
      description: 'files of a group started with a profile of that name, e.g. monitoring (repeatable)',
    },
    {
      name: 'out',
      type: 'string',
      value: 'DIR',
      description: 'where compose.yaml and docker-compose/ go, inside the project (default: ., or the project folder when . is outside it)',
    },
    { name: 'write', type: 'boolean', description: 'write the files (without it nothing is written)' },
    { name: 'force', type: 'boolean', description: 'overwrite files that exist with other content' },
    {
      name: 'accept-overrides',
      type: 'boolean',
      description: 'accept a later file of an environment overriding a service of an earlier one',
    },
  ],
  run({ globals, options, args, io }) {
    refuseArguments('migrate', args, 'give each environment as --env NAME=FILES');
    const request = parseMigrateRequest(
      {
        env: (options.env as string[] | undefined) ?? [],
        envFile: (options['env-file'] as string[] | undefined) ?? [],
        dotenv: (options.dotenv as string[] | undefined) ?? [],
        optional: (options.optional as string[] | undefined) ?? [],
        out: options.out as string | undefined,
        write: options.write === true,
        force: options.force === true,
        acceptOverrides: options['accept-overrides'] === true,
        projectDirectory: globals.projectDirectory,
        projectName: globals.projectName,
      },
      io.cwd,
    );
    // A big project on a busy machine takes a while: on a terminal, one line on stderr says which
    // step runs, rewritten in place and cleared before the report.
    const progress = io.isTerminal === true ? (step: string) => io.stderr(`\r\x1b[2Kstack migrate: ${step}…`) : undefined;
    let result;
    try {
      result = runMigration(request, globals, io, progress);
    } finally {
      if (progress) io.stderr('\r\x1b[2K');
    }
    io.stdout(formatMigration(request, result, colorEnabled(io)));
    const equal = result.proof.every((row) => !row.error && row.differences.length === 0);
    return Promise.resolve(equal && (!request.write || result.written) ? 0 : 1);
  },
};
