/**
 * Every failure the engine reports is a ComposeError with a stable code, so callers (the CLI,
 * the validator, tests) can branch on `code` instead of parsing messages.
 */
export const COMPOSE_ERROR_CODES = {
  /** A file given with -f, COMPOSE_FILE, include or extends does not exist or cannot be read. */
  FILE_NOT_FOUND: 'STACK_ERR_FILE_NOT_FOUND',
  /** No compose file was given and none was found in the directory or its parents. */
  NO_COMPOSE_FILE: 'STACK_ERR_NO_COMPOSE_FILE',
  /** The YAML text cannot be parsed. */
  YAML_SYNTAX: 'STACK_ERR_YAML_SYNTAX',
  /** A mapping defines the same key twice. */
  YAML_DUPLICATE_KEY: 'STACK_ERR_YAML_DUPLICATE_KEY',
  /** Aliases expand beyond a sane size (billion laughs) or refer to themselves. */
  YAML_ALIAS_BOMB: 'STACK_ERR_YAML_ALIAS_BOMB',
  /** A mapping key is not a string (compose keys are always strings). */
  YAML_NON_STRING_KEY: 'STACK_ERR_YAML_NON_STRING_KEY',
  /** The document is not a mapping at the top level, or is empty. */
  INVALID_DOCUMENT: 'STACK_ERR_INVALID_DOCUMENT',
  /** `${VAR:?message}` or `${VAR?message}` with the variable missing. */
  INTERPOLATION_REQUIRED: 'STACK_ERR_INTERPOLATION_REQUIRED',
  /** A `$` sequence that is not a valid template. */
  INTERPOLATION_SYNTAX: 'STACK_ERR_INTERPOLATION_SYNTAX',
  /** An interpolated value cannot be converted to the type its field needs. */
  INTERPOLATION_TYPE: 'STACK_ERR_INTERPOLATION_TYPE',
  /** A `.env` or env_file file cannot be parsed. */
  DOTENV_SYNTAX: 'STACK_ERR_DOTENV_SYNTAX',
  /** The model does not match the Compose JSON schema. */
  SCHEMA: 'STACK_ERR_SCHEMA',
  /** A resource defined by an included file is defined differently by the including file. */
  INCLUDE_CONFLICT: 'STACK_ERR_INCLUDE_CONFLICT',
  /** Files include each other in a loop. */
  INCLUDE_CYCLE: 'STACK_ERR_INCLUDE_CYCLE',
  /** Services extend each other in a loop. */
  EXTENDS_CYCLE: 'STACK_ERR_EXTENDS_CYCLE',
  /** `extends` names a service or file that does not exist. */
  EXTENDS_NOT_FOUND: 'STACK_ERR_EXTENDS_NOT_FOUND',
  /** Two values cannot be merged (for example a mapping over a list). */
  MERGE: 'STACK_ERR_MERGE',
  /** A short syntax (port, volume, device ...) cannot be parsed. */
  INVALID_SYNTAX: 'STACK_ERR_INVALID_SYNTAX',
  /** The model is well-formed but inconsistent (undefined dependency, duplicate mount ...). */
  INCONSISTENT: 'STACK_ERR_INCONSISTENT',
  /** The project name is invalid. */
  PROJECT_NAME: 'STACK_ERR_PROJECT_NAME',
  /** A command-line option or environment option is invalid. */
  INVALID_OPTION: 'STACK_ERR_INVALID_OPTION',
  /** A service named on the command line does not exist. */
  NO_SUCH_SERVICE: 'STACK_ERR_NO_SUCH_SERVICE',
  /** The model holds a value the output format cannot write (an infinite number in JSON). */
  UNPRINTABLE: 'STACK_ERR_UNPRINTABLE',
} as const;

export type ComposeErrorCode = (typeof COMPOSE_ERROR_CODES)[keyof typeof COMPOSE_ERROR_CODES];

/** Where in a source file an error points to (1-based line and column). */
export interface SourceLocation {
  file?: string;
  line?: number;
  column?: number;
}

/**
 * An error of the engine: a one-line `message` naming the service, key, variable or file at
 * fault, a stable `code`, and the source location when it is known.
 */
/**
 * Marks a ComposeError whichever copy of this module made it: a bundle may hold the engine twice
 * (the `stack` binary loads the engine as a script of its own, next to the ES modules of
 * `@codiesvibe/compose/identity`), and `instanceof` only knows its own copy's class.
 */
const COMPOSE_ERROR_BRAND = Symbol.for('@codiesvibe/compose:ComposeError');

export class ComposeError extends Error {
  override readonly name = 'ComposeError';
  readonly code: ComposeErrorCode;
  file?: string;
  line?: number;
  column?: number;
  /** Dotted model path the error is about (e.g. `services.web.ports`), used to find a line. */
  modelPath?: string;
  /** The file that does not exist, when the error is located where it is named rather than at it. */
  missingPath?: string;

  constructor(code: ComposeErrorCode, message: string, location: SourceLocation & { modelPath?: string; missingPath?: string } = {}) {
    super(message);
    this.code = code;
    this.file = location.file;
    this.line = location.line;
    this.column = location.column;
    this.modelPath = location.modelPath;
    this.missingPath = location.missingPath;
  }

  /** `file:line:col: message [CODE]`, the one line the CLI prints. */
  format(): string {
    let where = '';
    if (this.file) {
      where = this.file;
      if (this.line !== undefined) where += `:${this.line}`;
      if (this.line !== undefined && this.column !== undefined) where += `:${this.column}`;
      where += ': ';
    }
    return `${where}${this.message} [${this.code}]`;
  }
}

Object.defineProperty(ComposeError.prototype, COMPOSE_ERROR_BRAND, { value: true });

/** True when `value` is a ComposeError (also across package copies). */
export function isComposeError(value: unknown): value is ComposeError {
  return value instanceof ComposeError || (value instanceof Error && (value as unknown as Record<symbol, unknown>)[COMPOSE_ERROR_BRAND] === true);
}
