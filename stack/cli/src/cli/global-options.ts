import { UsageError } from '../errors.js';
import type { OptionSpec, ParsedOptions } from './arg-parser.js';

/** Environments of the CodiesVibe layout: `--profile NAME` selects one of these like `--env NAME`. */
export const ENVIRONMENT_NAMES = ['development', 'staging', 'production', 'testing'] as const;

/**
 * Options every command accepts. Compose's own variables (COMPOSE_FILE, COMPOSE_ENV_FILES,
 * COMPOSE_PROJECT_NAME, COMPOSE_PROFILES, COMPOSE_PATH_SEPARATOR, COMPOSE_DISABLE_ENV_FILE) are
 * read by the engine with Compose's exact rules, including from `.env`.
 */
export const GLOBAL_OPTIONS: readonly OptionSpec[] = [
  {
    name: 'file',
    short: 'f',
    type: 'list',
    value: 'PATH',
    description: 'compose file (repeatable; env COMPOSE_FILE)',
  },
  {
    name: 'env-file',
    type: 'list',
    value: 'PATH',
    description: 'env file replacing .env (repeatable; env COMPOSE_ENV_FILES)',
  },
  {
    name: 'project-name',
    short: 'p',
    type: 'string',
    value: 'NAME',
    description: 'project name (env COMPOSE_PROJECT_NAME)',
  },
  {
    name: 'project-directory',
    type: 'string',
    value: 'DIR',
    description: 'project directory (default: folder of the first compose file)',
  },
  {
    name: 'profile',
    type: 'list',
    value: 'NAME',
    description: `profile to enable (repeatable; env COMPOSE_PROFILES); ${ENVIRONMENT_NAMES.join('|')} selects that environment`,
  },
  {
    name: 'env',
    type: 'string',
    value: 'NAME',
    env: 'STACK_ENV',
    description: 'environment: sets CODIESVIBE_ENV=NAME and reads .env.NAME (env STACK_ENV)',
  },
  {
    name: 'debug',
    type: 'boolean',
    env: 'STACK_DEBUG',
    description: 'print stack traces of errors (env STACK_DEBUG)',
  },
  { name: 'help', short: 'h', type: 'boolean', description: 'show help' },
];

/**
 * Options accepted before the command name: the global ones and `--version`, which like Compose's
 * is not accepted after a command (where `-v` means something else, e.g. `down -v`).
 */
export const ROOT_OPTIONS: readonly OptionSpec[] = [
  ...GLOBAL_OPTIONS,
  { name: 'version', short: 'v', type: 'boolean', description: 'show the stack version and exit' },
];

/** The global options after parsing. */
export interface GlobalOptions {
  files: string[];
  envFiles: string[];
  projectName?: string;
  projectDirectory?: string;
  /** Profiles to enable (environment names included: enabling a profile nobody uses is harmless). */
  profiles: string[];
  /** The selected environment, from --env or an environment name given to --profile. */
  environment?: string;
  debug: boolean;
  help: boolean;
  /** `--version` before the command name. */
  version?: boolean;
}

/** Reads the global options out of the parsed options of a command line. */
export function toGlobalOptions(options: ParsedOptions): GlobalOptions {
  const list = (name: string): string[] => (options[name] as string[] | undefined) ?? [];
  const profileNames = list('profile');
  const environments = profileNames.filter((name) => (ENVIRONMENT_NAMES as readonly string[]).includes(name));
  // An environment name also stays a profile: `--profile testing` selects the testing environment
  // and enables its `testing` profile (the integration runner), as the plan's usage expects.
  const profiles = profileNames;
  const explicit = options.env as string | undefined;
  // `--env=` or `--env ""` (a variable that expanded to nothing): it read as no --env at all.
  if (explicit === '') throw new UsageError(`--env needs an environment name (${ENVIRONMENT_NAMES.join(', ')} ...)`);
  const candidates = new Set([...(explicit ? [explicit] : []), ...environments]);
  if (candidates.size > 1) {
    throw new UsageError(
      `conflicting environments: ${[...candidates].join(' and ')} (give one --env or environment --profile)`,
    );
  }
  const [environment] = candidates;
  return {
    files: list('file'),
    envFiles: list('env-file'),
    projectName: options['project-name'] as string | undefined,
    projectDirectory: options['project-directory'] as string | undefined,
    profiles,
    environment,
    debug: options.debug === true,
    help: options.help === true,
    version: options.version === true,
  };
}
