import type { OptionSpec } from './arg-parser.js';
import type { Command, CommandEntry } from './command.js';
import { globalOptionsAfter } from './command-line.js';
import { ROOT_OPTIONS } from './global-options.js';

function optionLines(specs: readonly OptionSpec[]): string {
  const rows = specs.map((spec) => {
    const flags = `${spec.short ? `-${spec.short}, ` : '    '}--${spec.name}${spec.value ? ` ${spec.value}` : ''}`;
    return [flags, spec.description] as const;
  });
  const width = Math.max(...rows.map(([flags]) => flags.length));
  return rows.map(([flags, description]) => `  ${flags.padEnd(width)}  ${description}\n`).join('');
}

/** `stack --help`: built from the registry alone, so it loads no command module. */
export function generalHelp(commands: readonly CommandEntry[]): string {
  const width = Math.max(...commands.map((command) => command.name.length));
  return [
    'Usage: stack [OPTIONS] COMMAND [ARGS...]\n\n',
    'The control plane of a modular Docker Compose architecture.\n\n',
    'Commands:\n',
    ...commands.map((command) => `  ${command.name.padEnd(width)}  ${command.summary}\n`),
    '\nGlobal options:\n',
    optionLines(ROOT_OPTIONS),
    '\nRun `stack COMMAND --help` for the options of a command.\n',
  ].join('');
}

/** `stack COMMAND --help`. */
export function commandHelp(command: Command): string {
  return [
    `Usage: stack ${command.name} ${command.usage}\n\n`,
    `${command.summary}\n\n`,
    command.options.length > 0 ? `Options:\n${optionLines(command.options)}\n` : '',
    `Global options:\n${optionLines(globalOptionsAfter(command.options))}`,
  ].join('');
}
