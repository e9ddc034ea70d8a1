import { statSync } from 'node:fs';
import { isAbsolute, join, resolve } from 'node:path';
import { COMPOSE_ERROR_CODES, ComposeError } from '../errors.js';

/**
 * The env files an `include` entry reads, as Compose finds them: its `env_file` entries (relative
 * to the including file's working directory, each one must exist), or else the `.env` of the
 * included project directory when there is one.
 *
 * Inside an included file both directories are relative (compose-go's `relworkingdir`), and
 * Compose hands the joined path to the system as it is: it is found from the directory the
 * command runs in, `cwd`. That is the including file's folder only when the command runs in the
 * project's working directory; Compose behaves so, and so does the engine.
 */
export function includeEnvFiles(envFile: readonly string[], workingDir: string, projectDirectory: string, cwd = process.cwd()): string[] {
  if (envFile.length === 0) {
    const dotenv = resolve(cwd, projectDirectory, '.env');
    return isFile(dotenv) ? [dotenv] : [];
  }
  return envFile.map((file) => {
    if (isAbsolute(file)) return file;
    const joined = join(workingDir, file);
    const found = resolve(cwd, joined);
    if (!isFile(found)) {
      // A relative path is Compose's lookup from the command's folder, which a user rarely expects.
      const from = isAbsolute(joined) ? '' : ` (looked up from ${cwd}, the folder the command runs in, as Compose does)`;
      throw new ComposeError(COMPOSE_ERROR_CODES.FILE_NOT_FOUND, `include env_file ${joined}: no such file${from}`, { modelPath: 'include' });
    }
    return found;
  });
}

function isFile(path: string): boolean {
  try {
    return statSync(path).isFile();
  } catch {
    return false;
  }
}
