import type { Command } from '../cli/command.js';
import { stackVersion, versionLine } from '../cli/version.js';
import { refuseArguments } from '../cli/no-arguments.js';

/** `stack version`: the same as `stack --version`, the way `docker compose version` works. */
export const versionCommand: Command = {
  name: 'version',
  summary: 'Show the stack version',
  usage: '[--short]',
  options: [{ name: 'short', type: 'boolean', description: 'print the version number only' }],
  run({ options, args, io }) {
    refuseArguments('version', args, 'the only option is --short');
    io.stdout(options.short === true ? `${stackVersion()}\n` : versionLine());
    return Promise.resolve(0);
  },
};
