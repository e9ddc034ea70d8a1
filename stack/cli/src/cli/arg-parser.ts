/**
 * A strict command-line parser: every flag must be declared, unknown flags and missing values
 * are usage errors. `stack` parses a command line in one pass: the global options up to the
 * command name, then the command's options and the global ones (see command-line.ts).
 */
import { UsageError } from '../errors.js';

export { UsageError };

/** One declared option. */
export interface OptionSpec {
  /** Long name without dashes (`file`). */
  name: string;
  /** One-letter alias without dash (`f`). */
  short?: string;
  /** boolean: a switch; string: one value, last wins; list: repeatable. */
  type: 'boolean' | 'string' | 'list';
  /** Placeholder shown in help (`PATH`). */
  value?: string;
  description: string;
  /** Environment variable used when the option is not given. */
  env?: string;
  /** Allowed values of a string option. */
  choices?: readonly string[];
}

export type ParsedOptions = Record<string, string | string[] | boolean | undefined>;

export interface ParsedArguments {
  options: ParsedOptions;
  positionals: string[];
  /** With `stopAtPositional`: the arguments after the first positional, not parsed yet. */
  rest: string[];
}

export interface ParseOptions {
  /** Stop at the first positional argument (the command name) and return what follows as `rest`. */
  stopAtPositional?: boolean;
}

/** Parses `argv` against `specs`; `--` ends the options. */
export function parseArguments(
  argv: readonly string[],
  specs: readonly OptionSpec[],
  parse: ParseOptions = {},
): ParsedArguments {
  const byLong = new Map(specs.map((spec) => [spec.name, spec]));
  const byShort = new Map(specs.filter((spec) => spec.short).map((spec) => [spec.short as string, spec]));
  const options: ParsedOptions = {};
  const positionals: string[] = [];
  let rest: string[] = [];

  const assign = (spec: OptionSpec, value: string | boolean, flag: string): void => {
    if (spec.type === 'boolean') {
      options[spec.name] = value;
      return;
    }
    if (typeof value !== 'string') throw new UsageError(`option ${flag} needs a value`);
    if (spec.choices && !spec.choices.includes(value)) {
      throw new UsageError(
        `option ${flag} must be one of ${spec.choices.join(', ')} (got ${JSON.stringify(value)})`,
      );
    }
    if (spec.type === 'list')
      options[spec.name] = [...((options[spec.name] as string[] | undefined) ?? []), value];
    else options[spec.name] = value;
  };

  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i] ?? '';
    if (arg === '--') {
      if (parse.stopAtPositional && i + 1 < argv.length) {
        positionals.push(argv[i + 1] ?? '');
        rest = ['--', ...argv.slice(i + 2)];
      } else positionals.push(...argv.slice(i + 1));
      break;
    }
    if (arg.startsWith('--')) {
      const equals = arg.indexOf('=');
      const name = equals >= 0 ? arg.slice(2, equals) : arg.slice(2);
      const spec = byLong.get(name);
      if (!spec) throw new UsageError(`unknown flag: --${name}`);
      if (spec.type === 'boolean') {
        if (equals >= 0) {
          const text = arg.slice(equals + 1);
          if (!['true', 'false'].includes(text))
            throw new UsageError(`option --${name} takes true or false, not ${JSON.stringify(text)}`);
          assign(spec, text === 'true', `--${name}`);
        } else assign(spec, true, `--${name}`);
        continue;
      }
      if (equals >= 0) assign(spec, arg.slice(equals + 1), `--${name}`);
      else {
        const value = argv[i + 1];
        if (value === undefined) throw new UsageError(`option --${name} needs a value`);
        assign(spec, value, `--${name}`);
        i++;
      }
      continue;
    }
    if (arg.startsWith('-') && arg.length > 1) {
      // Short flags: `-q`, `-f file`, `-ffile`, `-qf file`.
      for (let j = 1; j < arg.length; j++) {
        const letter = arg[j] ?? '';
        const spec = byShort.get(letter);
        if (!spec) throw new UsageError(`unknown shorthand flag: '${letter}' in ${arg}`);
        if (spec.type === 'boolean') {
          assign(spec, true, `-${letter}`);
          continue;
        }
        const rest = arg.slice(j + 1);
        if (rest !== '') assign(spec, rest.startsWith('=') ? rest.slice(1) : rest, `-${letter}`);
        else {
          const value = argv[i + 1];
          if (value === undefined) throw new UsageError(`option -${letter} needs a value`);
          assign(spec, value, `-${letter}`);
          i++;
        }
        break;
      }
      continue;
    }
    positionals.push(arg);
    if (parse.stopAtPositional) {
      rest = argv.slice(i + 1);
      break;
    }
  }
  return { options, positionals, rest };
}

/** Fills options not given on the command line from their environment variables. */
export function applyEnvironmentDefaults(
  options: ParsedOptions,
  specs: readonly OptionSpec[],
  env: Record<string, string | undefined>,
): void {
  for (const spec of specs) {
    if (!spec.env || options[spec.name] !== undefined) continue;
    const value = env[spec.env];
    if (value === undefined || value === '') continue;
    if (spec.type === 'boolean') options[spec.name] = ['1', 'true', 'yes'].includes(value.toLowerCase());
    else if (spec.type === 'list') options[spec.name] = value.split(',').filter((item) => item !== '');
    else options[spec.name] = value;
  }
}
