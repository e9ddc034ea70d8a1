import {
  applyEnvironmentDefaults,
  parseArguments,
  UsageError,
  type OptionSpec,
  type ParsedOptions,
} from './arg-parser.js';
import type { Command, CommandEntry } from './command.js';
import { GLOBAL_OPTIONS, ROOT_OPTIONS } from './global-options.js';

/** A command line read once: global options, the command and its own options and arguments. */
export interface CommandLine {
  /** Global options from anywhere on the line, environment twins filled in. */
  globals: ParsedOptions;
  /** The command named, loaded; undefined when none was named. */
  command?: Command;
  /** The command's own options, environment twins filled in. */
  options: ParsedOptions;
  /** Arguments after the command name. */
  args: string[];
}

/**
 * Reads `argv` the way Docker Compose does, in one pass: before the command name only global
 * options are accepted (`stack --profile production up -d`), after it the command's options and
 * the global ones (`stack up -d -f extra.yml`). Where a command declares an option with the same
 * name or letter as a global one, the command's wins after its name (`migrate --env NAME=FILES`).
 * Only the module of the named command is loaded.
 */
export async function parseCommandLine(
  argv: readonly string[],
  registry: readonly CommandEntry[],
  env: Record<string, string | undefined>,
): Promise<CommandLine> {
  const head = parseArguments(argv, ROOT_OPTIONS, { stopAtPositional: true });
  const globals = head.options;
  const [name] = head.positionals;
  if (name === undefined) {
    applyEnvironmentDefaults(globals, GLOBAL_OPTIONS, env);
    return { globals, options: {}, args: [] };
  }
  const entry = registry.find((candidate) => candidate.name === name);
  if (!entry) throw new UsageError(`unknown command ${JSON.stringify(name)} (see stack --help)`);
  const command = await entry.load();

  const own = command.options;
  const globalAfter = globalOptionsAfter(own);
  const tail = parseArguments(head.rest, [...own, ...globalAfter]);
  const options: ParsedOptions = {};
  for (const [key, value] of Object.entries(tail.options)) {
    const spec = globalAfter.find((candidate) => candidate.name === key);
    if (!spec) options[key] = value;
    else
      globals[key] =
        spec.type === 'list'
          ? [...((globals[key] as string[] | undefined) ?? []), ...(value as string[])]
          : value;
  }
  applyEnvironmentDefaults(globals, GLOBAL_OPTIONS, env);
  applyEnvironmentDefaults(options, own, env);
  return { globals, command, options, args: tail.positionals };
}

/** The global options a command line may hold after the command name, given the command's own. */
export function globalOptionsAfter(own: readonly OptionSpec[]): OptionSpec[] {
  return GLOBAL_OPTIONS.filter(
    (spec) =>
      !own.some((mine) => mine.name === spec.name || (spec.short !== undefined && mine.short === spec.short)),
  );
}
