import { parseArguments, UsageError } from './arg-parser.js';
import { ROOT_OPTIONS } from './global-options.js';

/**
 * The commands the binary's core script (`core.cjs`: main.ts and the modules of these commands,
 * built by scripts/bundle-cli.mjs and loaded with V8's code cache) runs itself: the ones scripts run most and that are over in tens of
 * milliseconds, where loading a dozen ES modules and compiling them anew was a tenth of the run.
 * A command added here takes its whole module graph into the core (its lazy imports too), so only
 * short commands with few dependencies belong here.
 * Every other command runs from the ES bundle, which loads only that command's modules. The
 * binary decides with {@link runsInCore} before it loads either (`start.cjs`, see bin/stack.js).
 */
export const CORE_COMMANDS: readonly string[] = ['config', 'ps'];

/**
 * True when the core script runs this command line: a core command, no command at all (help,
 * version) or a line that does not parse (the core prints the same usage error the full CLI
 * would).
 */
export function runsInCore(argv: readonly string[]): boolean {
  try {
    const [name] = parseArguments(argv, ROOT_OPTIONS, { stopAtPositional: true }).positionals;
    return name === undefined || CORE_COMMANDS.includes(name);
  } catch (error) {
    if (error instanceof UsageError) return true;
    throw error;
  }
}

