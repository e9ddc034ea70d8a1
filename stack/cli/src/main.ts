import { isComposeError } from '@codiesvibe/compose';
import { applyEnvironmentDefaults, parseArguments, UsageError } from './cli/arg-parser.js';
import type { CommandIo } from './cli/command.js';
import { EnvironmentConflictError, GLOBAL_OPTIONS, toGlobalOptions } from './cli/global-options.js';
import { commandHelp, generalHelp } from './cli/help.js';
import { COMMANDS, loadAllCommands } from './commands/index.js';

/** Exit status of a usage mistake (unknown flag, missing value, unknown command). */
export const EXIT_USAGE = 2;
/** Exit status of a failed command (invalid project, ...). */
export const EXIT_FAILURE = 1;

/** Finds the command name: the first argument that is not an option or an option's value. */
function findCommand(argv: readonly string[]): number {
  const valued = new Set(GLOBAL_OPTIONS.filter((spec) => spec.type !== 'boolean').flatMap((spec) => [`--${spec.name}`, ...(spec.short ? [`-${spec.short}`] : [])]));
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i] ?? '';
    if (arg === '--') return -1;
    if (valued.has(arg)) {
      i++;
      continue;
    }
    if (!arg.startsWith('-')) return i;
  }
  return -1;
}

/**
 * Runs `stack` with `argv` (without node and script), writing through `io`. Resolves to the exit
 * status: 0 ok, 1 the command failed, 2 the command line is wrong.
 */
export async function runCli(argv: readonly string[], io: CommandIo): Promise<number> {
  let debug = ['1', 'true', 'yes'].includes((io.env.STACK_DEBUG ?? '').toLowerCase()) || argv.includes('--debug');
  try {
    const at = findCommand(argv);
    const name = at >= 0 ? argv[at] : undefined;
    const entry = name === undefined ? undefined : COMMANDS.find((candidate) => candidate.name === name);
    if (name !== undefined && !entry) throw new UsageError(`unknown command ${JSON.stringify(name)} (see stack --help)`);
    const command = entry ? await entry.load() : undefined;
    const rest = at >= 0 ? [...argv.slice(0, at), ...argv.slice(at + 1)] : [...argv];
    const specs = [...GLOBAL_OPTIONS, ...(command?.options ?? [])];
    const parsed = parseArguments(rest, specs);
    applyEnvironmentDefaults(parsed.options, GLOBAL_OPTIONS, io.env);
    const globals = toGlobalOptions(parsed.options);
    debug = globals.debug;
    if (!command) {
      io.stdout(generalHelp(await loadAllCommands()));
      if (globals.help) return 0;
      io.stderr('stack: no command given (see the list above)\n');
      return EXIT_USAGE;
    }
    if (globals.help) {
      io.stdout(commandHelp(command));
      return 0;
    }
    const own = new Set(command.options.map((spec) => spec.name));
    const options = Object.fromEntries(Object.entries(parsed.options).filter(([key]) => own.has(key)));
    return await command.run({ globals, options, args: parsed.positionals, io });
  } catch (error) {
    if (error instanceof UsageError || error instanceof EnvironmentConflictError) {
      io.stderr(`stack: ${error.message}\n`);
      return EXIT_USAGE;
    }
    if (isComposeError(error)) io.stderr(`${error.format()}\n`);
    else io.stderr(`stack: ${error instanceof Error ? error.message : String(error)} [${stackErrorCode(error)}]\n`);
    if (debug && error instanceof Error && error.stack) io.stderr(`${error.stack}\n`);
    return EXIT_FAILURE;
  }
}

/** The stable code an error carries (`STACK_ERR_*`), or STACK_ERR_INTERNAL for an unexpected one. */
function stackErrorCode(error: unknown): string {
  const code = (error as { code?: unknown } | null)?.code;
  return typeof code === 'string' && code.startsWith('STACK_ERR_') ? code : 'STACK_ERR_INTERNAL';
}

/** Entry point of the `stack` binary. */
export async function main(): Promise<void> {
  const status = await runCli(process.argv.slice(2), {
    stdout: (text) => process.stdout.write(text),
    stderr: (text) => process.stderr.write(text),
    cwd: process.cwd(),
    env: process.env,
  });
  process.exitCode = status;
}
