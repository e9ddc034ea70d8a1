import type { Command, CommandEntry } from '../cli/command.js';

/**
 * Every `stack` command. A new command is one module added to this list; only the module of the
 * command being run is loaded, so `stack config` does not pay for the runners' imports.
 */
export const COMMANDS: readonly CommandEntry[] = [
  { name: 'config', load: async () => (await import('./config.js')).configCommand },
  { name: 'validate', load: async () => (await import('./validate.js')).validateCommand },
  { name: 'matrix', load: async () => (await import('./matrix.js')).matrixCommand },
  { name: 'up', load: async () => (await import('./up.js')).upCommand },
  { name: 'down', load: async () => (await import('./down.js')).downCommand },
  { name: 'ps', load: async () => (await import('./ps.js')).psCommand },
  { name: 'logs', load: async () => (await import('./logs.js')).logsCommand },
  { name: 'restart', load: async () => (await import('./restart.js')).restartCommand },
  { name: 'build', load: async () => (await import('./build.js')).buildCommand },
  { name: 'exec', load: async () => (await import('./exec.js')).execCommand },
  { name: 'secrets', load: async () => (await import('./secrets.js')).secretsCommand },
];

/** Loads every command (for `stack --help`). */
export async function loadAllCommands(): Promise<Command[]> {
  return Promise.all(COMMANDS.map((entry) => entry.load()));
}
