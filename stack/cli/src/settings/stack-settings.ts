import { existsSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { ComposeError, DEFAULT_FILE_NAMES, parseComposeYaml, readYamlText } from '@codiesvibe/compose';
import { z } from 'zod';
import { readInputFile } from '../cli/input-file.js';
import { STACK_ERROR_CODES, type LocatedError } from '../errors.js';

/**
 * Project settings of `stack`, from the top-level `x-stack` block of the root compose file:
 *
 * ```yaml
 * x-stack:
 *   environments: [development, staging, production, testing]
 *   environmentVariable: CODIESVIBE_ENV     # the variable the root file's include path uses
 *   defaultEnvironment: development
 *   productionLike: [staging, production]   # where the production rules apply
 *   edge: proxy                             # the service that faces the outside world
 *   disable:                                # validate rules switched off for one service
 *     production-read-only:
 *       some-service: why this service may write its root filesystem
 * ```
 *
 * Every key is optional. What is missing comes from the layout (the environment files, the
 * variable in the root file's include path), then from CodiesVibe's values.
 */
export interface StackSettings {
  /** The compose file the `x-stack` block was read from; undefined when the project has none. */
  file: string | undefined;
  /** Environment names, in the project's order. */
  environments: string[];
  /** The variable that selects the environment file (e.g. `CODIESVIBE_ENV`). */
  environmentVariable: string;
  /** The environment selected when the variable is unset. */
  defaultEnvironment: string;
  /** Environments that run production's images and settings. */
  productionLike: string[];
  /** The edge service, when the project names it; otherwise found in the model (see validate). */
  edge: string | undefined;
  /** Where `x-stack.edge` is written, when it is. */
  edgeAt?: { line: number; column: number };
  /** Rules switched off for one service, each with the reason the project gives. */
  disable: RuleSwitch[];
}

/** A validate rule switched off for one service, and why. */
export interface RuleSwitch {
  rule: string;
  service: string;
  reason: string;
  /** Where the switch is written. */
  file: string;
  line: number;
  column: number;
}

/**
 * The `x-stack` block is malformed, or the file that holds it does not parse: one line naming the
 * file, line and key, with the YAML error's own code in the second case.
 */
export class StackSettingsError extends Error implements LocatedError {
  constructor(
    message: string,
    readonly file: string,
    readonly line: number,
    readonly column: number,
    readonly code: string = STACK_ERROR_CODES.STACK_SETTINGS,
  ) {
    super(message);
  }

  /** `file:line:col: message [code]`. */
  format(): string {
    return `${this.file}:${this.line}:${this.column}: ${this.message} [${this.code}]`;
  }
}

/** CodiesVibe's values, used when neither `x-stack` nor the layout says otherwise. */
export const DEFAULT_SETTINGS = {
  environments: ['development', 'staging', 'production', 'testing'],
  environmentVariable: 'CODIESVIBE_ENV',
  defaultEnvironment: 'development',
} as const;

/** Folder of the modular compose tree, relative to the project directory. */
export const LAYOUT_FOLDER = 'docker-compose';

const NAME = /^[a-z0-9][a-z0-9_-]*$/;
const environmentName = z.string().regex(NAME, 'an environment name: lower case letters, digits, - and _');
const reason = z.string().trim().min(1, 'give the reason the rule does not apply');

const xStackSchema = z.strictObject({
  environments: z.array(environmentName).min(1).optional(),
  environmentVariable: z.string().regex(/^[A-Za-z_][A-Za-z0-9_]*$/, 'a variable name').optional(),
  defaultEnvironment: environmentName.optional(),
  productionLike: z.array(environmentName).optional(),
  edge: z.string().min(1).optional(),
  disable: z.record(z.string().min(1), z.record(z.string().min(1), reason)).optional(),
});

// Environment names that mean "runs what production runs", when x-stack does not list them.
const PRODUCTION_LIKE_NAME = /prod|stag|live/;

/**
 * Reads the project's settings: `x-stack` of `rootFile` (default: the compose file Compose would
 * pick in `projectDir`, then `docker-compose/docker-compose.yml`), completed from the layout.
 * @throws StackSettingsError when the block is malformed or the root file is not valid YAML.
 */
export function readStackSettings(projectDir: string, rootFile?: string): StackSettings {
  const entries = entryFiles(projectDir, rootFile);
  let block: { file: string; value: unknown; positions: ReadonlyMap<string, { line: number; column: number }> } | undefined;
  const includePaths: string[] = [];
  for (const file of entries) {
    const document = parseFile(file);
    const top = document.value;
    if (!block && top['x-stack'] !== undefined) block = { file, value: top['x-stack'], positions: document.positions };
    includePaths.push(...includeTargets(top.include));
  }

  const discovered = discoveredEnvironments(projectDir);
  const selector = selectorOf(includePaths);
  const defaults: StackSettings = {
    file: block?.file,
    environments: discovered.length > 0 ? discovered : [...DEFAULT_SETTINGS.environments],
    environmentVariable: selector?.variable ?? DEFAULT_SETTINGS.environmentVariable,
    defaultEnvironment: selector?.fallback ?? DEFAULT_SETTINGS.defaultEnvironment,
    productionLike: [],
    edge: undefined,
    disable: [],
  };
  defaults.productionLike = defaults.environments.filter((name) => PRODUCTION_LIKE_NAME.test(name));
  if (!block) return defaults;

  const where = (path: readonly PropertyKey[]) => positionOf(block.positions, ['x-stack', ...path.map(String)]);
  const parsed = xStackSchema.safeParse(block.value ?? {});
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    // An unknown key is reported where it stands, not at the block.
    const unknownKey = issue?.code === 'unrecognized_keys' ? issue.keys[0] : undefined;
    const path = [...(issue?.path ?? []), ...(unknownKey === undefined ? [] : [unknownKey])];
    const position = where(path);
    const key = ['x-stack', ...(issue?.path ?? []).map(String)].join('.');
    throw new StackSettingsError(`${key}: ${issue?.message ?? 'invalid'}`, block.file, position.line, position.column);
  }
  const settings = parsed.data;
  const environments = settings.environments ?? defaults.environments;
  const fail = (path: string[], message: string): never => {
    const position = where(path);
    throw new StackSettingsError(`x-stack.${path.join('.')}: ${message}`, block.file, position.line, position.column);
  };
  const productionLike = settings.productionLike ?? environments.filter((name) => PRODUCTION_LIKE_NAME.test(name));
  productionLike.forEach((name, index) => {
    if (!environments.includes(name)) fail(['productionLike', String(index)], `${name} is not one of the environments (${environments.join(', ')})`);
  });
  const defaultEnvironment = settings.defaultEnvironment ?? (environments.includes(defaults.defaultEnvironment) ? defaults.defaultEnvironment : environments[0]);
  if (defaultEnvironment === undefined || !environments.includes(defaultEnvironment)) {
    fail(['defaultEnvironment'], `${String(defaultEnvironment)} is not one of the environments (${environments.join(', ')})`);
  }
  const disable: RuleSwitch[] = [];
  for (const [rule, services] of Object.entries(settings.disable ?? {})) {
    for (const [service, text] of Object.entries(services)) {
      disable.push({ rule, service, reason: text, file: block.file, ...where(['disable', rule, service]) });
    }
  }
  return {
    file: block.file,
    environments,
    environmentVariable: settings.environmentVariable ?? defaults.environmentVariable,
    defaultEnvironment: defaultEnvironment as string,
    productionLike,
    edge: settings.edge,
    ...(settings.edge === undefined ? {} : { edgeAt: where(['edge']) }),
    disable,
  };
}

/** The root compose file and the layout's entry file, those that exist. */
function entryFiles(projectDir: string, rootFile: string | undefined): string[] {
  const root = rootFile ?? DEFAULT_FILE_NAMES.map((name) => join(projectDir, name)).find((file) => existsSync(file));
  const layoutEntry = join(projectDir, LAYOUT_FOLDER, 'docker-compose.yml');
  return [...new Set([root, layoutEntry].filter((file): file is string => file !== undefined && existsSync(file)))];
}

function parseFile(file: string): { value: Record<string, unknown>; positions: ReadonlyMap<string, { line: number; column: number }> } {
  try {
    const [document] = parseComposeYaml(readInputFile(file, readYamlText), file);
    const value = document?.value;
    return {
      value: value !== null && typeof value === 'object' && !Array.isArray(value) ? (value as Record<string, unknown>) : {},
      positions: document?.positions ?? new Map(),
    };
  } catch (error) {
    if (error instanceof ComposeError) throw new StackSettingsError(error.message, error.file ?? file, error.line ?? 1, error.column ?? 1, error.code);
    throw error;
  }
}

/** The paths of an `include` list, short and long syntax. */
function includeTargets(include: unknown): string[] {
  if (!Array.isArray(include)) return [];
  return include.flatMap((entry: unknown) => {
    if (typeof entry === 'string') return [entry];
    const path = (entry as { path?: unknown } | null)?.path;
    if (typeof path === 'string') return [path];
    return Array.isArray(path) ? path.filter((item): item is string => typeof item === 'string') : [];
  });
}

/** `docker-compose/environments/docker-compose.<env>.yml` names, sorted. */
function discoveredEnvironments(projectDir: string): string[] {
  const folder = join(projectDir, LAYOUT_FOLDER, 'environments');
  if (!existsSync(folder)) return [];
  return readdirSync(folder)
    .map((name) => /^docker-compose\.([a-z0-9][a-z0-9_-]*)\.ya?ml$/.exec(name)?.[1])
    .filter((name): name is string => name !== undefined)
    .sort();
}

/** The variable (and its default) an include path interpolates, e.g. `${CODIESVIBE_ENV:-development}`. */
function selectorOf(paths: readonly string[]): { variable: string; fallback: string | undefined } | undefined {
  for (const path of paths) {
    const match = /\$\{([A-Za-z_][A-Za-z0-9_]*)(?::?-([^}]*))?\}|\$([A-Za-z_][A-Za-z0-9_]*)/.exec(path);
    const variable = match?.[1] ?? match?.[3];
    if (variable) return { variable, fallback: match?.[2] || undefined };
  }
  return undefined;
}

/** Position of the deepest existing key along `keys` (1-based; 1:1 when nothing matches). */
function positionOf(positions: ReadonlyMap<string, { line: number; column: number }>, keys: readonly string[]): { line: number; column: number } {
  for (let length = keys.length; length > 0; length--) {
    const position = positions.get(keys.slice(0, length).map((key) => key.split('.').join('\u0000')).join('.'));
    if (position) return position;
  }
  return { line: 1, column: 1 };
}

/** True when `environment` runs production's images and settings (`x-stack.productionLike`); false on an unreadable `x-stack`. */
export function isProductionLike(projectDir: string, environment: string | undefined): boolean {
  if (environment === undefined) return false;
  try {
    return readStackSettings(projectDir).productionLike.includes(environment);
  } catch {
    return false;
  }
}
