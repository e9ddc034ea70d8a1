import { createHash } from 'node:crypto';
import { mkdirSync, renameSync, statSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { homedir, tmpdir } from 'node:os';
import { join } from 'node:path';
import { COMPOSE_ERROR_CODES, ComposeError } from '../errors.js';
import { composeSchema } from './compose-schema.js';

const require = createRequire(import.meta.url);

interface SchemaError {
  instancePath: string;
  keyword: string;
  params: Record<string, unknown>;
  message?: string;
}

type ValidateFunction = ((data: unknown) => boolean) & { errors?: SchemaError[] | null };

let cached: ValidateFunction | undefined;


/**
 * A directory for the generated validator that only this user can write: the cache is code that
 * gets loaded, so a directory others could write to (a shared /tmp) is never trusted.
 */
function privateCacheDir(): string | undefined {
  const uid = typeof process.getuid === 'function' ? process.getuid() : undefined;
  const candidates = [
    join(process.env.XDG_CACHE_HOME || join(homedir(), '.cache'), 'codiesvibe-compose'),
    join(tmpdir(), `codiesvibe-compose-${uid ?? 'user'}`),
  ];
  for (const dir of candidates) {
    try {
      mkdirSync(dir, { recursive: true, mode: 0o700 });
      const stats = statSync(dir);
      const ownedByUs = uid === undefined || stats.uid === uid;
      if (stats.isDirectory() && ownedByUs && (stats.mode & 0o022) === 0) return dir;
    } catch {
      // not usable: try the next place
    }
  }
  return undefined;
}

/**
 * The compiled validator of the Compose schema. Compiling the schema with ajv takes about half a
 * second, so the generated code is cached in a private cache directory, keyed by the schema's and
 * ajv's content: a `stack` process then starts in milliseconds, and a new dclint schema recompiles.
 */
function validator(): ValidateFunction {
  if (cached) return cached;
  const schema = composeSchema();
  const schemaText = JSON.stringify(schema);
  const ajvVersion = (require('ajv/package.json') as { version: string }).version;
  const key = createHash('sha256').update(schemaText).update(ajvVersion).digest('hex').slice(0, 16);
  const cacheDir = privateCacheDir();
  const cacheFile = cacheDir === undefined ? undefined : join(cacheDir, `compose-schema-${key}.cjs`);
  if (cacheFile) {
    try {
      cached = require(cacheFile) as ValidateFunction;
      return cached;
    } catch {
      // not cached yet (or unreadable): compile below
    }
  }
  const { default: Ajv } = require('ajv') as { default: new (options: object) => AjvInstance };
  const { default: standaloneCode } = require('ajv/dist/standalone') as { default: (ajv: AjvInstance, validate: unknown) => string };
  const ajv = new Ajv({ strict: false, allErrors: true, validateFormats: false, code: { source: true } });
  const compiled = ajv.compile(schema) as ValidateFunction;
  if (cacheFile) {
    try {
      // The generated code requires ajv's runtime helpers by package name; pin them to this ajv.
      const code = standaloneCode(ajv, compiled).replace(/require\("(ajv\/dist\/runtime\/[^"]+)"\)/g, (_match, runtime: string) =>
        `require(${JSON.stringify(require.resolve(runtime))})`,
      );
      const temporary = `${cacheFile}.${process.pid}.tmp`;
      writeFileSync(temporary, code, { mode: 0o600 });
      renameSync(temporary, cacheFile);
    } catch {
      // An unwritable cache only costs speed.
    }
  }
  cached = compiled;
  return cached;
}

interface AjvInstance {
  compile(schema: object): unknown;
}

/**
 * Validates a compose model (one merged file) against the official Compose schema. Throws a
 * ComposeError naming the first offending path, worded like Compose.
 */
export function validateAgainstSchema(model: Record<string, unknown>, file: string): void {
  const validate = validator();
  if (validate(model)) return;
  const errors = validate.errors ?? [];
  const chosen = pickMostRelevant(errors);
  if (!chosen) return;
  const path = chosen.instancePath
    .split('/')
    .slice(1)
    .map((part) => part.replace(/~1/g, '/').replace(/~0/g, '~'));
  const dotted = path.join('.');
  let message: string;
  let modelPath = path.map((part) => part.replaceAll('.', '\u0000')).join('.');
  if (chosen.keyword === 'additionalProperties') {
    const property = String(chosen.params.additionalProperty);
    message = `${dotted ? `${dotted} ` : ''}additional properties '${property}' not allowed`;
    modelPath = modelPath ? `${modelPath}.${property}` : property;
  } else if (chosen.keyword === 'type') {
    message = `${dotted} must be a ${String(chosen.params.type)}`;
  } else if (chosen.keyword === 'enum') {
    message = `${dotted} must be one of ${JSON.stringify(chosen.params.allowedValues)}`;
  } else {
    message = `${dotted || 'top level'} ${chosen.message ?? 'is invalid'}`;
  }
  throw new ComposeError(COMPOSE_ERROR_CODES.SCHEMA, `validating ${file}: ${message}`, { file, modelPath });
}

/** The error deepest in the document, preferring concrete keywords over oneOf/anyOf summaries. */
function pickMostRelevant(errors: SchemaError[]): SchemaError | undefined {
  let best: SchemaError | undefined;
  let bestScore = -1;
  for (const error of errors) {
    const depth = error.instancePath.split('/').length;
    const summary = error.keyword === 'oneOf' || error.keyword === 'anyOf' || error.keyword === 'if' ? 0 : 1;
    const score = depth * 2 + summary;
    if (score > bestScore) {
      best = error;
      bestScore = score;
    }
  }
  return best;
}
