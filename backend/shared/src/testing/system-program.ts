import { findProgram } from '../programs/index.js';

/** The test helpers look programs up exactly as `stack` does at run time. */
export { findProgram };

/**
 * Set by `.ci/run`: every test that needs a system program must then run, so a missing program
 * fails the run instead of skipping silently.
 */
export const REQUIRE_ALL_PROGRAMS_VARIABLE = 'CODIESVIBE_REQUIRE_ALL';

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
