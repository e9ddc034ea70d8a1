import { accessSync, constants } from 'node:fs';
import { delimiter, join } from 'node:path';

/**
 * Absolute path of the executable `program` on PATH (or in the usual sbin folders, where Debian
 * puts nginx and redis-server for root), or undefined when none is found.
 */
export function findProgram(program: string, path = process.env.PATH ?? ''): string | undefined {
  const folders = [...path.split(delimiter), '/usr/sbin', '/usr/local/sbin', '/sbin'];
  for (const folder of folders) {
    if (!folder) continue;
    const candidate = join(folder, program);
    try {
      accessSync(candidate, constants.X_OK);
      return candidate;
    } catch {
      // not in this folder
    }
  }
  return undefined;
}
