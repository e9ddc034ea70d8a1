import { readFileSync } from 'node:fs';
import { basename } from 'node:path';
import { parseDotenv } from '@codiesvibe/compose';
import { STACK_ERROR_CODES, StackError } from '../errors.js';

/** The variable `--env NAME` sets, and which `.env.NAME` may set as well (see project-source.ts). */
export const ENVIRONMENT_SELECTOR = 'CODIESVIBE_ENV';

/** `.env.NAME` names another environment: where (file, line) and what to write there. */
export class EnvFileMismatchError extends StackError {
  override name = 'EnvFileMismatchError';
  readonly column = 1;

  constructor(
    readonly file: string,
    readonly line: number,
    /** What is wrong, without the location (reports that show the location apart use it). */
    readonly detail: string,
    /** What to write instead. */
    readonly fix: string,
  ) {
    super(STACK_ERROR_CODES.ENV_FILE_MISMATCH, `${basename(file)}:${line}: ${detail}: ${fix}`);
  }
}

/**
 * Throws when `file`, the env file of `environment`, sets the selector to another environment.
 * `--env NAME` sets the selector itself, which wins over the file, so stack would load NAME while
 * `docker compose --env-file .env.NAME` (the documented equivalent) loads another environment, or
 * none; and `stack validate` would pass a file that breaks plain Compose.
 */
export function assertEnvFileSelects(file: string, environment: string): void {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (error) {
    // Reading a folder fails in read(2), whose error names no path.
    if ((error as NodeJS.ErrnoException).code === 'EISDIR')
      throw new StackError(STACK_ERROR_CODES.FILE_ACCESS, `${file}: is a folder; the ${environment} environment's settings belong in a file of that name`);
    throw error;
  }
  const value = parseDotenv(text, () => undefined, file).get(ENVIRONMENT_SELECTOR);
  // Unset or empty: the root file's default applies (${CODIESVIBE_ENV:-development}), and --env
  // NAME is what selects; nothing contradicts it.
  if (value === undefined || value === '' || value === environment) return;
  const name = basename(file);
  const pattern = new RegExp(`^\\s*(?:export\\s+)?${ENVIRONMENT_SELECTOR}\\s*[=:]`);
  // The last assignment wins, as in dotenv.
  const line = text.split(/\r?\n/).reduce((found, content, index) => (pattern.test(content) ? index + 1 : found), 0);
  throw new EnvFileMismatchError(
    file,
    line,
    `${ENVIRONMENT_SELECTOR}=${value} selects environment ${value}, but this is the ${environment} environment's file (docker compose --env-file ${name} loads ${value})`,
    `set ${ENVIRONMENT_SELECTOR}=${environment}`,
  );
}
