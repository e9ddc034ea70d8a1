import type { OptionSpec, ParsedOptions } from './arg-parser.js';
import type { GlobalOptions } from './global-options.js';

/** Where a command writes, so tests can capture output. */
export interface CommandIo {
  stdout: (text: string) => void;
  stderr: (text: string) => void;
  cwd: string;
  env: Record<string, string | undefined>;
  /** Standard output is a terminal (colours, progress); false or absent in tests and pipes. */
  isTerminal?: boolean;
}

/** Everything a command receives when it runs. */
export interface CommandContext {
  globals: GlobalOptions;
  /** The command's own options. */
  options: ParsedOptions;
  /** Arguments after the command name. */
  args: string[];
  io: CommandIo;
}

/** A `stack` command: one module, registered in commands/index.ts. */
export interface Command {
  name: string;
  /** One line for `stack --help`. */
  summary: string;
  /** Usage after `stack NAME`, e.g. `[OPTIONS] [SERVICE...]`. */
  usage: string;
  options: readonly OptionSpec[];
  /** Runs the command; resolves to the exit status. */
  run(context: CommandContext): Promise<number>;
}

/**
 * A command in the registry: its name and summary (what `stack --help` lists without loading any
 * command module), and how to load its module when it is run.
 */
export interface CommandEntry {
  name: string;
  /** The same line as the module's `summary` (a test keeps them equal). */
  summary: string;
  /**
   * The command reads, checks or prints and exits, in tens of milliseconds: the `stack` binary
   * then turns V8's optimizing compiler off for the process before loading it (cli/short-run.ts).
   */
  shortRun?: boolean;
  load: () => Promise<Command>;
}
