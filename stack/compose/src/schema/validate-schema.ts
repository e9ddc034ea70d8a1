import type * as Crypto from 'node:crypto';
import { mkdirSync, renameSync, statSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { COMPOSE_ERROR_CODES, ComposeError } from '../errors.js';
import { deepEqual } from '../plain-object.js';
import { composeSchema } from './compose-schema.js';
import { loadPrecompiledErrorValidator, precompiledSchema } from './precompiled-validator.js';
import { compileSchemaCheck, takeRejectedTimestamp, type SchemaCheck } from './schema-check.js';

let packageRequire: NodeJS.Require | undefined;
/** require() from this module's folder, made on first use: a valid file never needs it. */
function requireHere(): NodeJS.Require {
  packageRequire ??= createRequire(import.meta.url);
  return packageRequire;
}

/** One error of ajv's validation. */
export interface SchemaError {
  instancePath: string;
  keyword: string;
  params: Record<string, unknown>;
  message?: string;
}

/** A compiled validator of the Compose schema (ajv's interface). */
export type ValidateFunction = ((data: unknown) => boolean) & { errors?: SchemaError[] | null };

let cached: ValidateFunction | undefined;
let cachedCheck: SchemaCheck | undefined;

/** The yes/no check of the schema (see schema-check.ts): what a valid file pays for. */
function schemaCheck(): SchemaCheck {
  cachedCheck ??= compileSchemaCheck(precompiledSchema ?? composeSchema());
  return cachedCheck;
}


/**
 * A directory for the generated validator that only this user can write: the cache is code that
 * gets loaded, so a directory others could write to (a shared /tmp) is never trusted.
 */
function privateCacheDir(): string | undefined {
  const uid = typeof process.getuid === 'function' ? process.getuid() : undefined;
  const os = process.getBuiltinModule('node:os');
  const candidates = [
    join(process.env.XDG_CACHE_HOME || join(os.homedir(), '.cache'), 'codiesvibe-compose'),
    join(os.tmpdir(), `codiesvibe-compose-${uid ?? 'user'}`),
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
 * ajv's validator of the Compose schema, asked only for the errors of a refused file. Compiling the schema with ajv takes about half a
 * second, so the generated code is cached in a private cache directory, keyed by the schema's and
 * ajv's content: a `stack` process then starts in milliseconds, and a new dclint schema recompiles.
 */
function validator(): ValidateFunction {
  if (cached) return cached;
  if (loadPrecompiledErrorValidator) {
    cached = loadPrecompiledErrorValidator();
    return cached;
  }
  const schema = composeSchema();
  const schemaText = JSON.stringify(schema);
  const ajvVersion = (requireHere()('ajv/package.json') as { version: string }).version;
  // node:crypto is required here, not imported: a valid file never gets this far, and loading it
  // (with the streams it pulls in) was a measurable part of every `stack config` start.
  const { createHash } = requireHere()('node:crypto') as typeof Crypto;
  const key = createHash('sha256').update(schemaText).update(ajvVersion).digest('hex').slice(0, 16);
  const cacheDir = privateCacheDir();
  const cacheFile = cacheDir === undefined ? undefined : join(cacheDir, `compose-schema-${key}.cjs`);
  if (cacheFile) {
    try {
      cached = requireHere()(cacheFile) as ValidateFunction;
      return cached;
    } catch {
      // not cached yet (or unreadable): compile below
    }
  }
  const { default: Ajv } = requireHere()('ajv') as { default: new (options: object) => AjvInstance };
  const { default: standaloneCode } = requireHere()('ajv/dist/standalone') as { default: (ajv: AjvInstance, validate: unknown) => string };
  const ajv = new Ajv({ strict: false, allErrors: true, validateFormats: false, code: { source: true } });
  const compiled = ajv.compile(schema) as ValidateFunction;
  if (cacheFile) {
    try {
      // The generated code requires ajv's runtime helpers by package name; pin them to this ajv.
      const code = standaloneCode(ajv, compiled).replace(/require\("(ajv\/dist\/runtime\/[^"]+)"\)/g, (_match, runtime: string) =>
        `require(${JSON.stringify(requireHere().resolve(runtime))})`,
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

/** The schema without its annotations (descriptions, titles ...): all the yes/no check needs. */
export function strippedComposeSchema(): Record<string, unknown> {
  const annotations = new Set(['description', 'title', 'examples', '$comment', 'deprecated']);
  const strip = (node: unknown): unknown => {
    if (Array.isArray(node)) return node.map(strip);
    if (typeof node !== 'object' || node === null) return node;
    const out: Record<string, unknown> = {};
    for (const [key, value] of Object.entries(node as Record<string, unknown>)) {
      if (annotations.has(key) && typeof value !== 'object') continue;
      if ((key === 'properties' || key === 'patternProperties' || key === 'definitions') && typeof value === 'object' && value !== null) {
        out[key] = Object.fromEntries(Object.entries(value as Record<string, unknown>).map(([name, schema]) => [name, strip(schema)]));
      } else if (key === 'enum' || key === 'const' || key === 'required' || key === 'default') out[key] = value;
      else out[key] = strip(value);
    }
    return out;
  };
  return strip(composeSchema()) as Record<string, unknown>;
}

/**
 * What a bundler builds ahead of time for schema validation: `module`, the ES module source to put
 * in place of `precompiled-validator` (the stripped schema, and a loader of `errorValidatorFile`
 * from the module's own folder), and `errorValidator`, the CommonJS source of ajv's standalone
 * code for the schema (it requires ajv's runtime helpers, for the bundler to resolve), to be
 * written as `errorValidatorFile` next to the module.
 */
export function precompiledValidatorSources(errorValidatorFile = 'compose-schema-errors.cjs'): { module: string; errorValidator: string } {
  const { default: Ajv } = requireHere()('ajv') as { default: new (options: object) => AjvInstance };
  const { default: standaloneCode } = requireHere()('ajv/dist/standalone') as { default: (ajv: AjvInstance, validate: unknown) => string };
  const ajv = new Ajv({ strict: false, allErrors: true, validateFormats: false, code: { source: true } });
  const compiled = ajv.compile(composeSchema());
  const errorValidator = standaloneCode(ajv, compiled);
  const module = [
    "import { createRequire } from 'node:module';",
    `export const precompiledSchema = JSON.parse(${JSON.stringify(JSON.stringify(strippedComposeSchema()))});`,
    `export const loadPrecompiledErrorValidator = () => createRequire(import.meta.url)(${JSON.stringify(`./${errorValidatorFile}`)});`,
    '',
  ].join('\n');
  return { module, errorValidator };
}

interface AjvInstance {
  compile(schema: object): unknown;
}

/**
 * Validates a compose model (one merged file) against the official Compose schema. Throws a
 * ComposeError naming the first offending path, worded like Compose.
 */
export function validateAgainstSchema(model: Record<string, unknown>, file: string): void {
  takeRejectedTimestamp();
  if (schemaCheck()(model)) return;
  const timestamp = takeRejectedTimestamp();
  const timestampPath = timestamp && pathTo(model, timestamp);
  if (timestampPath) {
    throw new ComposeError(COMPOSE_ERROR_CODES.SCHEMA, `validating ${file}: ${timestampPath.join('.')} invalid jsonType time.Time`, {
      file,
      modelPath: timestampPath.map((part) => part.replaceAll('.', '\u0000')).join('.'),
    });
  }
  // Refused: ajv says why (and, should the two ever disagree, ajv's answer stands).
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
  const at = dotted === '' ? '' : `${dotted} `;
  if (chosen.keyword === 'additionalProperties') {
    const property = String(chosen.params.additionalProperty);
    message = `${at}additional properties '${property}' not allowed`;
    modelPath = modelPath ? `${modelPath}.${property}` : property;
  } else if (chosen.keyword === 'type') {
    // Compose's wording, plus the value found (Compose leaves it out).
    message = `${at}must be a ${humanReadableTypes(chosen.params.type)}, not ${describeValue(valueAt(model, path))}`;
  } else if (chosen.keyword === 'enum') {
    const allowed = (chosen.params.allowedValues as unknown[]).map(displayValue).join(', ');
    message = `${at}value must be one of ${allowed}, not ${displayValue(valueAt(model, path))}`;
  } else if (chosen.keyword === 'required') {
    message = `${at}missing property '${String(chosen.params.missingProperty)}'`;
  } else if (chosen.keyword === 'minimum') {
    message = `${at}must be greater than or equal to ${String(chosen.params.limit)}`;
  } else if (chosen.keyword === 'maximum') {
    message = `${at}must be less than or equal to ${String(chosen.params.limit)}`;
  } else if (chosen.keyword === 'pattern') {
    message = `${at}${displayValue(valueAt(model, path))} does not match pattern '${String(chosen.params.pattern)}'`;
  } else if (chosen.keyword === 'uniqueItems') {
    const [first, second] = firstDuplicate(valueAt(model, path)) ?? [chosen.params.j, chosen.params.i];
    message = `${at}items at ${String(first)} and ${String(second)} are equal`;
  } else {
    message = `${at || 'top level '}${chosen.message ?? 'is invalid'}`;
  }
  throw new ComposeError(COMPOSE_ERROR_CODES.SCHEMA, `validating ${file}: ${message}`, { file, modelPath });
}

/** Compose's names of JSON types: `mapping` for object, several joined as `a, b or c`. */
function humanReadableTypes(type: unknown): string {
  const names = (Array.isArray(type) ? type : String(type).split(',')).map((name) => (String(name) === 'object' ? 'mapping' : String(name))).sort();
  if (names.length === 1) return names[0] ?? '';
  return `${names.slice(0, -1).join(', ')} or ${names[names.length - 1] ?? ''}`;
}

/** The keys leading from `model` to `target` (compared by identity), or undefined. */
function pathTo(model: unknown, target: object, path: string[] = []): string[] | undefined {
  if (model === target) return path;
  if (typeof model !== 'object' || model === null) return undefined;
  for (const [key, value] of Object.entries(model)) {
    const found = pathTo(value, target, [...path, key]);
    if (found) return found;
  }
  return undefined;
}

function valueAt(model: unknown, path: readonly string[]): unknown {
  let node = model;
  for (const part of path) {
    if (Array.isArray(node)) node = node[Number(part)];
    else if (typeof node === 'object' && node !== null) node = (node as Record<string, unknown>)[part];
    else return undefined;
  }
  return node;
}

/** A value as the schema messages show it: strings in single quotes, the rest as JSON. */
function displayValue(value: unknown): string {
  return typeof value === 'string' ? `'${value}'` : (JSON.stringify(value) ?? 'null');
}

function describeValue(value: unknown): string {
  const shown = displayValue(value);
  return shown.length > 60 ? `${shown.slice(0, 57)}...` : shown;
}

/**
 * The error Compose reports (compose-go's getMostSpecificError): the deepest in the document,
 * an unknown key counting one level deeper (`build: {dockerfil: x}` is refused for its key, not
 * for not being a string), and among equals the first, in the schema's order (`cpu_percent:
 * 1000` is "must be a string", the first branch of its oneOf). oneOf/anyOf summaries are not
 * leaves: their branches' errors speak for them.
 */
function pickMostRelevant(errors: SchemaError[]): SchemaError | undefined {
  let best: SchemaError | undefined;
  let bestScore = -1;
  for (const error of errors) {
    if (error.keyword === 'oneOf' || error.keyword === 'anyOf' || error.keyword === 'if') continue;
    const depth = error.instancePath === '' ? 0 : error.instancePath.split('/').length - 1;
    const score = depth + (error.keyword === 'additionalProperties' ? 1 : 0);
    if (score > bestScore) {
      best = error;
      bestScore = score;
    }
  }
  return best ?? errors[0];
}

/**
 * The pair of equal items Compose's validator names (santhosh-tekuri/jsonschema's `duplicates`):
 * the first item equal to one before it, with the earliest such one. ajv scans from the end, so
 * in ['a', 'a', 'a'] it finds items 2 and 1 where Compose says 0 and 1.
 */
function firstDuplicate(items: unknown): [number, number] | undefined {
  if (!Array.isArray(items)) return undefined;
  for (let later = 1; later < items.length; later++) {
    for (let earlier = 0; earlier < later; earlier++) if (deepEqual(items[later], items[earlier])) return [earlier, later];
  }
  return undefined;
}
