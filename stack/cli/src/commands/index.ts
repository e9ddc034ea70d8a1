import type { Command } from '../cli/command.js';
import { configCommand } from './config.js';
import { matrixCommand } from './matrix.js';
import { validateCommand } from './validate.js';

/** Every `stack` command. A new command is one module added to this list. */
export const COMMANDS: readonly Command[] = [configCommand, validateCommand, matrixCommand];
