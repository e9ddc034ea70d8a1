import { createHash } from 'node:crypto';
import { mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { COMPOSE_ERROR_CODES, ComposeError } from '../errors.js';

const require = createRequire(import.meta.url);

interface SchemaError {
  instancePath: string;
  keyword: string;
  params: Record<string, unknown>;
  message?: string;
}

type ValidateFunction = ((data: unknown) => boolean) & { errors?: SchemaError[] | null };

let cached: ValidateFunction | undefined;

/** Path of the official Compose JSON schema shipped by the installed `dclint` package. */
export function composeSchemaPath(): string {
  return join(dirname(require.resolve('dclint/package.json')), 'schemas', 'compose.schema.json');
}

/**
 * The compiled validator of the Compose schema. Compiling the schema with ajv takes about half a
 * second, so the generated code is cached in the temp directory, keyed by the schema's and ajv's
 * content: a `stack` process then starts in milliseconds, and a new dclint schema recompiles.
 */
function validator(): ValidateFunction {
  if (cached) return cached;
  const schemaText = readFileSync(composeSchemaPath(), 'utf8');
  const ajvVersion = (require('ajv/package.json') as { version: string }).version;
  const key = createHash('sha256').update(schemaText).update(ajvVersion).digest('hex').slice(0, 16);
  const cacheDir = join(tmpdir(), 'codiesvibe-compose');
  const cacheFile = join(cacheDir, `compose-schema-${key}.cjs`);
  try {
    cached = require(cacheFile) as ValidateFunction;
    return cached;
  } catch {
    // not cached yet (or unreadable): compile below
  }
  const { default: Ajv } = require('ajv') as { default: new (options: object) => AjvInstance };
  const { default: standaloneCode } = require('ajv/dist/standalone') as { default: (ajv: AjvInstance, validate: unknown) => string };
  const schema = JSON.parse(schemaText) as Record<string, unknown>;
  // ajv knows draft-07 under its canonical id; the schema's own $schema spelling differs slightly.
  delete schema.$schema;
  const ajv = new Ajv({ strict: false, allErrors: true, validateFormats: false, code: { source: true } });
  const compiled = ajv.compile(schema) as ValidateFunction;
  try {
    // The generated code requires ajv's runtime helpers by package name; pin them to this ajv.
    const code = standaloneCode(ajv, compiled).replace(/require\("(ajv\/dist\/runtime\/[^"]+)"\)/g, (_match, runtime: string) =>
      `require(${JSON.stringify(require.resolve(runtime))})`,
    );
    mkdirSync(cacheDir, { recursive: true });
    const temporary = `${cacheFile}.${process.pid}.tmp`;
    writeFileSync(temporary, code);
    renameSync(temporary, cacheFile);
  } catch {
    // A read-only temp directory only costs speed.
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
