/**
 * Every failure `stack` reports carries a stable code, so scripts and tests branch on the code and
 * never on the wording. The engine's codes live in `@codiesvibe/compose` (`COMPOSE_ERROR_CODES`);
 * these are the CLI's own. Add a code here, never as a string literal in a command.
 */
export const STACK_ERROR_CODES = {
  /** The command line is wrong: unknown command or flag, missing or invalid value (exit status 2). */
  USAGE: 'STACK_ERR_USAGE',
  /** An error nobody anticipated: a bug. The message says what happened; --debug shows where. */
  INTERNAL: 'STACK_ERR_INTERNAL',
  /** depends_on forms a cycle, so there is no startup order. */
  DEPENDENCY_CYCLE: 'STACK_ERR_DEPENDENCY_CYCLE',
  /** The native runner cannot do what was asked (already running, a service failed to start ...). */
  NATIVE: 'STACK_ERR_NATIVE',
  /** A secret's recipe (`x-generate`, `x-uid`) is invalid or a secret file cannot be written. */
  SECRETS: 'STACK_ERR_SECRETS',
  /** The root compose file's `x-stack` block is malformed or names what the project does not have. */
  STACK_SETTINGS: 'STACK_ERR_STACK_SETTINGS',
  /** An environment has neither `.env.<name>` nor `.env.<name>.example`. */
  ENV_FILE_NOT_FOUND: 'STACK_ERR_ENV_FILE_NOT_FOUND',
  /** `.env.NAME` sets the environment selector (CODIESVIBE_ENV) to another environment than NAME. */
  ENV_FILE_MISMATCH: 'STACK_ERR_ENV_FILE_MISMATCH',
  /** A file `migrate` was given cannot be read or does not load as Compose. */
  MIGRATE_INPUT: 'STACK_ERR_MIGRATE_INPUT',
  /** One environment's files define the same service differently (Compose would merge them). */
  MIGRATE_CONFLICT: 'STACK_ERR_MIGRATE_CONFLICT',
  /** `migrate --write` would overwrite files that exist, or an input file (see --force). */
  MIGRATE_EXISTS: 'STACK_ERR_MIGRATE_EXISTS',
  /** `stack deploy` cannot release: dirty tree, missing secrets, nothing running, same version, a failed new release. */
  DEPLOY: 'STACK_ERR_DEPLOY',
  /** Another `stack deploy` of the project holds the lock. */
  DEPLOY_LOCKED: 'STACK_ERR_DEPLOY_LOCKED',
  /**
   * A file or folder stack reads or writes cannot be used: permission denied, a folder where a
   * file belongs (or the reverse), a symbolic link loop, a read-only or full file system.
   */
  FILE_ACCESS: 'STACK_ERR_FILE_ACCESS',
  /** Docker mode, but the docker client has no Compose plugin (`docker compose version` fails). */
  DOCKER_COMPOSE_MISSING: 'STACK_ERR_DOCKER_COMPOSE_MISSING',
  /** `new service` was given an invalid name, or the project is not laid out as it needs. */
  NEW_SERVICE_INVALID: 'STACK_ERR_NEW_SERVICE_INVALID',
  /** `new service` would take a name a workspace, file or service already has. */
  NEW_SERVICE_EXISTS: 'STACK_ERR_NEW_SERVICE_EXISTS',
  /** `new service --port` names a port the compose tree uses or a process holds. */
  NEW_SERVICE_PORT: 'STACK_ERR_NEW_SERVICE_PORT',
} as const;

export type StackErrorCode = (typeof STACK_ERROR_CODES)[keyof typeof STACK_ERROR_CODES];

/** A failure the user can act on: printed as one line `stack: message [CODE]`, exit status 1. */
export class StackError extends Error {
  override name = 'StackError';

  constructor(
    readonly code: StackErrorCode,
    message: string,
  ) {
    super(message);
  }
}

/** A mistake in how the command was called: printed as one line `stack: message`, exit status 2. */
export class UsageError extends StackError {
  override name = 'UsageError';

  constructor(message: string) {
    super(STACK_ERROR_CODES.USAGE, message);
  }
}

/** What each file-system error code means to someone who can fix it (Node's own words name only the call). */
const FILE_ACCESS_REASONS: Record<string, string> = {
  ENOENT: 'does not exist (nor, perhaps, a folder on its path)',
  EACCES: 'permission denied: check its owner and mode',
  EPERM: 'operation not permitted: check its owner and mode',
  EISDIR: 'is a folder where a file belongs',
  ENOTDIR: 'a part of the path is a file where a folder belongs',
  ELOOP: 'too many symbolic links (a link loop)',
  ENOSPC: 'no space left on the device',
  EDQUOT: 'disk quota exceeded',
  EROFS: 'read-only file system',
  EEXIST: 'exists already',
  ENAMETOOLONG: 'the name is too long',
  EMFILE: 'too many open files',
  EIO: 'input/output error (the device or file system failed)',
  EFBIG: 'file too large for the file system',
};

/**
 * A file-system error (an `ErrnoException` with a path) as one line naming the path and what to
 * do, or undefined for any other error. Commands wrap the errors they expect; this catches the
 * rest, so a denied `.stack/` or a full disk is never reported as an internal error.
 */
export function fileAccessMessage(error: unknown, file?: string): string | undefined {
  const problem = fileAccessProblem(error, file);
  return problem && `${problem} [${STACK_ERROR_CODES.FILE_ACCESS}]`;
}

/**
 * {@link fileAccessMessage} without the code, for a message that goes on. `file` names the file
 * when the error does not: write(2) and read(2) fail on a descriptor, and Node's error has no path.
 */
export function fileAccessProblem(error: unknown, file?: string): string | undefined {
  const path = (error as NodeJS.ErrnoException | undefined)?.path ?? file;
  const reason = fileAccessReason(error);
  if (reason === undefined || typeof path !== 'string') return undefined;
  return `${path}: ${reason}`;
}

/**
 * What a file-system error means and the call that failed (`permission denied: check its owner
 * and mode (open)`), without a path: for a message that names the file itself, because the path
 * Node gives is not the one the user knows (a rename's source is a temporary file).
 */
export function fileAccessReason(error: unknown): string | undefined {
  const { code, syscall } = (error ?? {}) as NodeJS.ErrnoException;
  // mkdir -p fails with EEXIST on a file in the way, not on a folder that exists.
  const reason = code === 'EEXIST' && syscall === 'mkdir' ? 'is a file where a folder belongs' : code === undefined ? undefined : FILE_ACCESS_REASONS[code];
  return reason && `${reason}${syscall ? ` (${syscall})` : ''}`;
}

/** An error that prints itself with the file and line it is about: `file:line:col: message [CODE]`. */
export interface LocatedError extends Error {
  format(): string;
}

/**
 * Whether `error` is a {@link LocatedError} of stack's own (the root file's x-stack block or YAML,
 * `StackSettingsError`). Told by its shape: the top-level handler runs for `stack ps` too, which
 * must not load the settings module (and zod) to print an error.
 */
export function isLocatedError(error: unknown): error is LocatedError {
  return error instanceof Error && typeof (error as Partial<LocatedError>).format === 'function' && stackErrorCode(error) !== STACK_ERROR_CODES.INTERNAL;
}

/** The stable code `error` carries (`STACK_ERR_*`), or STACK_ERR_INTERNAL for an unexpected error. */
export function stackErrorCode(error: unknown): string {
  const code = (error as { code?: unknown } | null)?.code;
  return typeof code === 'string' && code.startsWith('STACK_ERR_') ? code : STACK_ERROR_CODES.INTERNAL;
}
