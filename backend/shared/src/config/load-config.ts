import { readFileSync } from 'node:fs';
import type { z } from 'zod';
import { ConfigError } from '../errors.js';
import { embeddedChoiceProblems } from './embedded-choice.js';

/**
 * Values that sit in committed development files (`.env.development`, compose defaults, READMEs).
 * In staging and production a secret equal to one of them (any case) is refused by name.
 */
export const KNOWN_DEVELOPMENT_SECRETS: readonly string[] = [
  'changeme',
  'change-me',
  'password',
  'secret',
  'admin',
  'example',
  'development',
  'codiesvibe',
  // .env.development and .env.testing (a test keeps this list in step with those files)
  'codiesvibe-dev',
  'codiesvibe-dev-root',
  'codiesvibe-dev-redis',
  'codiesvibe-dev-admin-key',
  'codiesvibe-dev-exporter',
  'codiesvibe-test',
  'codiesvibe-test-root',
  'codiesvibe-test-redis',
  'codiesvibe-test-admin-key',
  'codiesvibe-test-exporter',
];

/** Environments where development secrets are refused. */
const GUARDED_ENVIRONMENTS = new Set(['production', 'staging']);

const MAX_SHOWN_VALUE_LENGTH = 60;

export interface LoadConfigOptions {
  /** Where to read variables; `process.env` unless told. */
  env?: Record<string, string | undefined>;
  /**
   * Names of secret variables: their values are never printed, and in staging/production they
   * must not equal a known development default. Every variable of the schema accepts `NAME_FILE`.
   */
  secrets?: readonly string[];
  /** Extra development values to refuse, on top of `KNOWN_DEVELOPMENT_SECRETS`. */
  developmentSecrets?: readonly string[];
  /** `exit` (default): print one line per problem to stderr and exit 1. `throw`: throw a `ConfigError`. */
  onError?: 'exit' | 'throw';
  /** Prefix of the printed lines, e.g. the service name. */
  service?: string;
  /**
   * Variables that may be unset in development (an embedded default takes over) but are required
   * in staging and production unless listed in CODIESVIBE_EMBEDDED (`baseServiceEnv` reads it):
   * e.g. `['MONGODB_URI', 'REDIS_URL', 'ADMIN_API_KEY']`. A missing one is one line naming it.
   */
  requiredInProduction?: readonly string[];
}

/** Reads `NAME` or, when set, the file named by `NAME_FILE` (a Docker secret), for every key of the shape. */
function collectRawValues(
  keys: readonly string[],
  env: Record<string, string | undefined>,
  problems: string[],
  reported: Set<string>,
): Record<string, string | undefined> {
  const values: Record<string, string | undefined> = {};
  for (const key of keys) {
    const direct = emptyToUndefined(env[key]);
    const filePath = emptyToUndefined(env[`${key}_FILE`]);
    if (filePath === undefined) {
      values[key] = direct;
      continue;
    }
    if (direct !== undefined) {
      problems.push(`${key} and ${key}_FILE are both set; set only one`);
      reported.add(key);
      continue;
    }
    try {
      // Secret files usually end with a newline that is not part of the secret.
      values[key] = emptyToUndefined(readFileSync(filePath, 'utf8').replace(/\r?\n$/, ''));
    } catch (error) {
      const reason = (error as NodeJS.ErrnoException).code ?? 'unreadable';
      problems.push(`${key}_FILE="${filePath}" cannot be read (${reason})`);
      reported.add(key);
    }
  }
  return values;
}

/** Compose and shells often set `NAME=` to mean "unset": treat it so, and defaults apply. */
function emptyToUndefined(value: string | undefined): string | undefined {
  return value === undefined || value.trim() === '' ? undefined : value;
}

/** Hides the password of anything URL-shaped (`scheme://user:password@host`), parseable or not. */
function maskCredentials(value: string): string {
  return value.replace(/(\/\/[^/:@\s]*:)[^@/\s]*@/g, '$1***@');
}

function describeValue(key: string, raw: string, secrets: ReadonlySet<string>): string {
  if (secrets.has(key)) return `${key} (secret)`;
  const masked = maskCredentials(raw);
  const shown =
    masked.length > MAX_SHOWN_VALUE_LENGTH ? `${masked.slice(0, MAX_SHOWN_VALUE_LENGTH)}...` : masked;
  return `${key}=${JSON.stringify(shown)}`;
}

/** Our field schemas write messages that complete a sentence ("is not a port"); zod's own start in capitals. */
function asPredicate(message: string): string {
  return /^[a-z]/.test(message) ? message : `is invalid (${message})`;
}

function describeIssues(
  issues: readonly z.core.$ZodIssue[],
  raw: Record<string, string | undefined>,
  secrets: ReadonlySet<string>,
  reported: Set<string>,
): string[] {
  const problems: string[] = [];
  for (const issue of issues) {
    const key = issue.path[0];
    if (typeof key !== 'string') {
      problems.push(issue.message);
      continue;
    }
    if (reported.has(key)) continue; // one line per variable: the first problem is enough to act on
    reported.add(key);
    const value = raw[key];
    problems.push(
      value === undefined
        ? `${key} is required`
        : `${describeValue(key, value, secrets)} ${asPredicate(issue.message)}`,
    );
  }
  return problems;
}

/** The value itself and, for a URL such as `mongodb://app:pw@host`, the password inside it. */
function secretCandidates(value: string): string[] {
  const candidates = [value];
  try {
    const password = new URL(value).password;
    if (password) candidates.push(decodeURIComponent(password));
  } catch {
    // not a URL: only the whole value counts
  }
  return candidates.map((candidate) => candidate.toLowerCase());
}

function refuseDevelopmentSecrets(
  config: Record<string, unknown>,
  secrets: readonly string[],
  known: ReadonlySet<string>,
): string[] {
  return secrets
    .filter((key) => {
      const value = config[key];
      return typeof value === 'string' && secretCandidates(value).some((candidate) => known.has(candidate));
    })
    .map(
      (key) => `${key} is a known development default; set a real secret (e.g. ${key}_FILE=/run/secrets/...)`,
    );
}

function fail(problems: string[], options: LoadConfigOptions): never {
  const error = new ConfigError(problems);
  if (options.onError === 'throw') throw error;
  const prefix = options.service ? `${options.service}: ` : '';
  // One line per problem and no stack trace: this is read by a person fixing a .env file.
  process.stderr.write(problems.map((problem) => `${prefix}Invalid environment: ${problem}\n`).join(''));
  process.exit(1);
}

/**
 * Validates the environment against `schema` once, at start, and returns the typed config.
 *
 * - Every key of the schema may instead be given as `NAME_FILE` (path to a file holding the value).
 * - Empty values count as unset, so defaults apply.
 * - On error: one line per bad variable (`Invalid environment: PORT="abc" is not a port (0-65535)`)
 *   on stderr and exit 1, or a `ConfigError` with `onError: 'throw'`.
 * - With `NODE_ENV` staging or production, a secret equal to a known development default is refused,
 *   and each of `requiredInProduction` must be set unless listed in CODIESVIBE_EMBEDDED.
 *
 * @example
 * const config = loadConfig(z.object({ ...baseServiceEnv(4001), ADMIN_API_KEY: secret() }), {
 *   service: 'nestjs-api',
 *   secrets: ['ADMIN_API_KEY'],
 * });
 */
export function loadConfig<Schema extends z.ZodObject>(
  schema: Schema,
  options: LoadConfigOptions = {},
): z.output<Schema> {
  const env = options.env ?? process.env;
  const secrets = new Set(options.secrets ?? []);
  const problems: string[] = [];
  const reported = new Set<string>();
  const raw = collectRawValues(Object.keys(schema.shape), env, problems, reported);
  const result = schema.safeParse(raw);
  if (!result.success) problems.push(...describeIssues(result.error.issues, raw, secrets, reported));
  if (problems.length > 0) fail(problems, options);

  const config = result.data as Record<string, unknown>;
  problems.push(...embeddedChoiceProblems(config, options.requiredInProduction ?? []));
  if (problems.length > 0) fail(problems, options);
  const nodeEnv = typeof config.NODE_ENV === 'string' ? config.NODE_ENV : env.NODE_ENV;
  if (nodeEnv !== undefined && GUARDED_ENVIRONMENTS.has(nodeEnv)) {
    const known = new Set(
      [...KNOWN_DEVELOPMENT_SECRETS, ...(options.developmentSecrets ?? [])].map((v) => v.toLowerCase()),
    );
    problems.push(...refuseDevelopmentSecrets(config, [...secrets], known));
    if (problems.length > 0) fail(problems, options);
  }
  return result.data as z.output<Schema>;
}
