import { existsSync, rmSync, writeFileSync } from 'node:fs';
import { STACK_ERROR_CODES, StackError, fileAccessProblem } from '../errors.js';

/**
 * Writes a file the user asked for (`config -o`, `deploy --target swarm --out`). A failed write
 * (a full disk, a folder in the way, no permission) is one line naming the file, and a file this
 * call created is removed rather than left half written.
 */
export function writeOutputFile(file: string, text: string): void {
  const existed = existsSync(file);
  try {
    writeFileSync(file, text);
  } catch (error) {
    if (!existed) rmSync(file, { force: true });
    const problem = fileAccessProblem(error, file);
    if (problem === undefined) throw error;
    // Failures of write(2) come after open(2) truncated the file.
    const cutShort = ['ENOSPC', 'EDQUOT', 'EFBIG', 'EIO'].includes((error as NodeJS.ErrnoException).code ?? '');
    throw new StackError(STACK_ERROR_CODES.FILE_ACCESS, `${problem}${cutShort ? (existed ? '; the file may be cut short' : '; nothing written') : ''}`);
  }
}
