import type { Command } from '../cli/command.js';
import { stackVersion, versionLine } from '../cli/version.js';

/** `stack version`: the same as `stack --version`, the way `docker compose version` works. */
export const versionCommand: Command = {
  name: 'version',
  summary: 'Show the stack version',
  usage: '[--short]',
  options: [{ name: 'short', type: 'boolean', description: 'print the version number only' }],
  run({ options, io }) {
    io.stdout(options.short === true ? `${stackVersion()}\n` : versionLine());
    return Promise.resolve(0);
  },
};
