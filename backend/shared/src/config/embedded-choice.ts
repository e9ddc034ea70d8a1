import { list } from './env-fields.js';

/**
 * Agreement between `stack` and the services: when the native runner replaces a dependency by an
 * embedded default (MongoDB by the embedded store, Redis by the in-process cache), it drops the
 * variable that named the dependency and lists that variable here, comma-separated
 * (`CODIESVIBE_EMBEDDED=MONGODB_URI,REDIS_URL`). In staging and production a service refuses to
 * start without a variable it requires unless the variable is listed; development ignores it.
 */
export const EMBEDDED_VARIABLE = 'CODIESVIBE_EMBEDDED';

/** Environments where a missing required variable stops the service (no silent fallback). */
export const STRICT_ENVIRONMENTS: ReadonlySet<string> = new Set(['staging', 'production']);

const VARIABLE_NAME = /^[A-Z_][A-Z0-9_]*$/;

/** The schema of `CODIESVIBE_EMBEDDED`: variable names, comma-separated; empty by default. */
export function embeddedList() {
  return list()
    .refine(
      (names) => names.every((name) => VARIABLE_NAME.test(name)),
      'must be a comma-separated list of variable names, e.g. MONGODB_URI,REDIS_URL',
    )
    .default([]);
}

/**
 * The problems of a parsed config under the agreement: in staging and production, each variable
 * of `required` must be set (or its `_FILE`), unless listed in CODIESVIBE_EMBEDDED; and a listed
 * variable must not be set as well (the list says it is not there).
 */
export function embeddedChoiceProblems(
  config: Record<string, unknown>,
  required: readonly string[],
): string[] {
  const nodeEnv = typeof config.NODE_ENV === 'string' ? config.NODE_ENV : 'development';
  if (!STRICT_ENVIRONMENTS.has(nodeEnv)) return [];
  const listed = listedIn(config);
  const problems: string[] = [];
  for (const name of required) {
    const missing = config[name] === undefined;
    if (missing && !listed.has(name)) {
      problems.push(
        `${name} is required in ${nodeEnv} (or ${name}_FILE); to run without it on purpose, list it in ${EMBEDDED_VARIABLE}`,
      );
    } else if (!missing && listed.has(name)) {
      problems.push(`${name} is set and also listed in ${EMBEDDED_VARIABLE}; keep one`);
    }
  }
  return problems;
}

function listedIn(config: Record<string, unknown>): Set<string> {
  const value = config[EMBEDDED_VARIABLE];
  return new Set(
    Array.isArray(value) ? value.filter((item): item is string => typeof item === 'string') : [],
  );
}

/**
 * How a service says, once at start, that it runs without `name`: `"MONGODB_URI not set"` in
 * development, `"MONGODB_URI listed in CODIESVIBE_EMBEDDED"` when the runner chose the embedded
 * default on purpose. Follow it with what replaces the dependency.
 *
 * @example logger.info(`${withoutVariable(config, 'REDIS_URL')}: using an in-process cache`);
 */
export function withoutVariable(config: { CODIESVIBE_EMBEDDED?: readonly string[] }, name: string): string {
  return config.CODIESVIBE_EMBEDDED?.includes(name)
    ? `${name} listed in ${EMBEDDED_VARIABLE}`
    : `${name} not set`;
}
