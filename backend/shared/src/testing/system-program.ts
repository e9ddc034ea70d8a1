import { accessSync, constants } from 'node:fs';
import { delimiter, join } from 'node:path';

/**
 * Set by `.ci/run`: every test that needs a system program must then run, so a missing program
 * fails the run instead of skipping silently.
 */
export const REQUIRE_ALL_PROGRAMS_VARIABLE = 'CODIESVIBE_REQUIRE_ALL';

/** Absolute path of `program` on PATH (or in the usual sbin folders), or undefined. */
export function findProgram(program: string): string | undefined {
  const folders = [...(process.env.PATH ?? '').split(delimiter), '/usr/sbin', '/usr/local/sbin', '/sbin'];
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

/**
 * Decides whether a test that needs `program` can run. Returns the program's path, or undefined
 * after printing why the test is skipped. When CODIESVIBE_REQUIRE_ALL=1 a missing program throws,
 * so CI never passes by skipping.
 */
export function requireProgram(
  program: string,
  installHint = `apt-get install -y ${program}`,
): string | undefined {
  const found = findProgram(program);
  if (found) return found;
  const reason = `${program} is not installed (${installHint})`;
  if (process.env[REQUIRE_ALL_PROGRAMS_VARIABLE] === '1') {
    throw new Error(`${reason}, and ${REQUIRE_ALL_PROGRAMS_VARIABLE}=1 requires every test to run`);
  }
  console.warn(`SKIPPED: ${reason}`);
  return undefined;
}
