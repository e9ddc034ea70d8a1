import type { CommandEntry, CommandIo } from './cli/command.js';
import { parseCommandLine } from './cli/command-line.js';
import { toGlobalOptions } from './cli/global-options.js';
import { commandHelp, generalHelp } from './cli/help.js';
import { versionLine } from './cli/version.js';
import { COMMANDS } from './commands/index.js';
import { fileAccessMessage, isLocatedError, stackErrorCode, UsageError } from './errors.js';

/** Exit status of a usage mistake (unknown flag, missing value, unknown command). */
export const EXIT_USAGE = 2;
/** Exit status of a failed command (invalid project, ...). */
export const EXIT_FAILURE = 1;

/**
 * Runs `stack` with `argv` (without node and script), writing through `io`. Resolves to the exit
 * status: 0 ok, 1 the command failed, 2 the command line is wrong.
 */
export async function runCli(argv: readonly string[], io: CommandIo, hooks: RunHooks = {}): Promise<number> {
  let debug = ['1', 'true', 'yes'].includes((io.env.STACK_DEBUG ?? '').toLowerCase());
  try {
    const { beforeLoad } = hooks;
    const registry = beforeLoad
      ? COMMANDS.map((entry) => ({
          ...entry,
          load: async () => {
            await beforeLoad(entry);
            return entry.load();
          },
        }))
      : COMMANDS;
    const line = await parseCommandLine(argv, registry, io.env);
    const globals = toGlobalOptions(line.globals);
    debug = globals.debug;
    const { command } = line;
    if (globals.version) {
      io.stdout(versionLine());
      return 0;
    }
    if (!command) {
      io.stdout(generalHelp(COMMANDS));
      if (globals.help) return 0;
      io.stderr('stack: no command given (see the list above)\n');
      return EXIT_USAGE;
    }
    if (globals.help) {
      io.stdout(commandHelp(command));
      return 0;
    }
    return await command.run({ globals, options: line.options, args: line.args, io });
  } catch (error) {
    if (error instanceof UsageError) {
      io.stderr(`stack: ${shortenLongWords(error.message)}\n`);
      return EXIT_USAGE;
    }
    // The engine is imported only here and by the commands, so `stack --help` does not load it.
    const { isComposeError } = await import('@codiesvibe/compose');
    const fileAccess = fileAccessMessage(error);
    if (isComposeError(error) || isLocatedError(error)) io.stderr(`${shortenLongWords(error.format())}\n`);
    else if (fileAccess) io.stderr(`stack: ${fileAccess}\n`);
    else
      io.stderr(
        `stack: ${shortenLongWords(error instanceof Error ? error.message : String(error))} [${stackErrorCode(error)}]\n`,
      );
    if (debug && error instanceof Error && error.stack) io.stderr(`${error.stack}\n`);
    return EXIT_FAILURE;
  }
}

/** Longer than any path or name a person reads in an error line. */
const LONGEST_WORD = 200;

/**
 * `message` with every word longer than {@link LONGEST_WORD} cut to its start and its length: an
 * error echoes what it was given, and a 100 kB argument made a 100 kB error line.
 */
export function shortenLongWords(message: string): string {
  return message.replace(new RegExp(`\\S{${LONGEST_WORD + 1},}`, 'g'), (word) => `${word.slice(0, 60)}… (${word.length} characters)`);
}

/** What the caller of {@link runCli} does around the command (the binary tunes its process). */
export interface RunHooks {
  /** Called with the registry entry of the command to run, before its module loads. */
  beforeLoad?: (entry: CommandEntry) => void | Promise<void>;
}

/** Entry point of the `stack` binary. */
export async function main(): Promise<void> {
  const status = await runCli(
    process.argv.slice(2),
    {
      stdout: (text) => process.stdout.write(text),
      stderr: (text) => process.stderr.write(text),
      cwd: process.cwd(),
      env: process.env,
      // Asked only by commands that colour their output: touching process.stdout builds the
      // stream (a socket on a pipe), which `config -q` never writes to.
      get isTerminal() {
        return process.stdout.isTTY === true;
      },
    },
    // Only the binary: a test calling runCli keeps its process as it is.
    // Before the command's modules load: the engine's code cache is kept per V8 flag set.
    { beforeLoad: async (entry) => (entry.shortRun ? (await import('./cli/short-run.js')).tuneForShortRun() : undefined) },
  );
  process.exitCode = status;
}
