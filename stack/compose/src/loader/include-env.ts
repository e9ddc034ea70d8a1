import { statSync } from 'node:fs';
import { isAbsolute, join } from 'node:path';
import { COMPOSE_ERROR_CODES, ComposeError } from '../errors.js';

/**
 * The env files an `include` entry reads, as Compose finds them: its `env_file` entries (relative
 * to the including file's folder, each one must exist), or else the `.env` of the included
 * project directory when there is one.
 */
export function includeEnvFiles(envFile: readonly string[], workingDir: string, projectDirectory: string): string[] {
  if (envFile.length === 0) {
    const dotenv = join(projectDirectory, '.env');
    return isFile(dotenv) ? [dotenv] : [];
  }
  return envFile.map((file) => {
    if (isAbsolute(file)) return file;
    const absolute = join(workingDir, file);
    if (!isFile(absolute)) {
      throw new ComposeError(COMPOSE_ERROR_CODES.FILE_NOT_FOUND, `include env_file ${absolute}: no such file`, { modelPath: 'include' });
    }
    return absolute;
  });
}

function isFile(path: string): boolean {
  try {
    return statSync(path).isFile();
  } catch {
    return false;
  }
}
