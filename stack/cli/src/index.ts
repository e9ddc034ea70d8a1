/**
 * @codiesvibe/stack as a library: the command runner, the command list, the project loader and
 * the variables a service runs with natively.
 */
export { runCli, main, EXIT_FAILURE, EXIT_USAGE } from './main.js';
export { COMMANDS, loadAllCommands } from './commands/index.js';
export type { Command, CommandContext, CommandEntry, CommandIo } from './cli/command.js';
export { resolveProject, type ProjectLoadExtras } from './cli/resolve-project.js';
export { nativeServiceVariables, type ServiceVariablesInput } from './native/native-service-variables.js';
export { GLOBAL_OPTIONS, ENVIRONMENT_NAMES, type GlobalOptions } from './cli/global-options.js';
export { parseArguments, type OptionSpec, type ParsedOptions } from './cli/arg-parser.js';
export { parseCommandLine, type CommandLine } from './cli/command-line.js';
export { STACK_ERROR_CODES, StackError, UsageError, type StackErrorCode } from './errors.js';
