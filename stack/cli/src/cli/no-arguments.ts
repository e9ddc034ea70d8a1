import { UsageError } from '../errors.js';

/**
 * Refuses arguments a command does not take. Without it a mistyped option (`stack validate
 * production` for `--env production`) ran the command on its defaults and looked like an answer.
 */
export function refuseArguments(command: string, args: readonly string[], hint: string): void {
  if (args.length > 0) throw new UsageError(`${command} takes no arguments (got ${args.join(' ')}): ${hint}`);
}
