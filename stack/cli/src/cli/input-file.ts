import { readFileSync } from 'node:fs';
import { STACK_ERROR_CODES, StackError, fileAccessProblem } from '../errors.js';

/**
 * Reads a file of the project; `read` decodes it (UTF-8 by default). A file-system failure is one
 * line naming the file: read(2)'s EISDIR, for a folder where the file belongs, carries no path of
 * its own and was reported as "EISDIR: illegal operation on a directory, read [STACK_ERR_INTERNAL]".
 * Any other error of `read` (a decoding refusal) passes through as it is.
 */
export function readInputFile(
  file: string,
  read: (file: string) => string = (path) => readFileSync(path, 'utf8'),
): string {
  try {
    return read(file);
  } catch (error) {
    const problem = fileAccessProblem(error, file);
    if (problem === undefined) throw error;
    throw new StackError(STACK_ERROR_CODES.FILE_ACCESS, problem);
  }
}
