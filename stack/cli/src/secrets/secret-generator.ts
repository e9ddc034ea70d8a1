import { randomBytes } from 'node:crypto';
import { chownSync, existsSync, mkdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';
import { checkSecretFile, describeSecretFileProblem } from './secret-file-check.js';

/**
 * How a file secret is made, from the secret's extension fields:
 *   x-generate: random                         32 random bytes, base64url
 *   x-generate: "redis://:{{redis_password}}@redis:6379"   a template over other secrets
 *   x-uid: 1000                                owner of the file (the container user that reads it)
 * `{{name}}` rather than `${name}`, because Compose would interpolate the latter.
 */
export interface SecretRecipe {
  name: string;
  file: string;
  generate: 'random' | { template: string };
  uid?: number;
}

export interface SecretOutcome {
  name: string;
  file: string;
  action: 'created' | 'kept';
}

const TEMPLATE_REFERENCE = /\{\{\s*([a-zA-Z0-9_.-]+)\s*\}\}/g;

/** Reads the recipes of every `file:` secret that says how it is generated; names the bad ones. */
export function secretRecipes(secrets: Record<string, Record<string, unknown>>): { recipes: SecretRecipe[]; manual: string[] } {
  const recipes: SecretRecipe[] = [];
  const manual: string[] = [];
  for (const [name, secret] of Object.entries(secrets)) {
    const file = secret.file;
    if (typeof file !== 'string') continue;
    const generate = secret['x-generate'];
    if (generate === undefined) {
      manual.push(name);
      continue;
    }
    if (typeof generate !== 'string' || generate.length === 0) throw new Error(`secret ${name}: x-generate must be "random" or a template string`);
    const uid = secret['x-uid'];
    if (uid !== undefined && (typeof uid !== 'number' || !Number.isInteger(uid) || uid < 0)) {
      throw new Error(`secret ${name}: x-uid must be a user id (a whole number)`);
    }
    recipes.push({ name, file, generate: generate === 'random' ? 'random' : { template: generate }, uid: uid });
  }
  return { recipes, manual };
}

/**
 * Creates every missing secret file (mode 0600, owned by `x-uid` when we may chown), templates
 * after the secrets they name. Existing files are kept: regenerating a password would lock the
 * running databases out.
 */
export function initSecrets(recipes: SecretRecipe[], options: { canChown?: boolean; show?: (file: string) => string; initCommand?: string } = {}): SecretOutcome[] {
  // One line per problem: a file where the secrets folder belongs is told once, not per secret.
  const problems = [...new Set(recipes.flatMap((recipe) => existingFileProblem(recipe, options.show ?? ((file) => file), options.initCommand ?? 'stack secrets init')))];
  if (problems.length) throw new SecretFilesError(problems);
  const byName = new Map(recipes.map((recipe) => [recipe.name, recipe]));
  const values = new Map<string, string>();
  const outcomes: SecretOutcome[] = [];
  const visiting = new Set<string>();
  const canChown = options.canChown ?? process.getuid?.() === 0;

  const valueOf = (name: string): string => {
    const known = values.get(name);
    if (known !== undefined) return known;
    const recipe = byName.get(name);
    if (!recipe) throw new Error(`a secret template names ${name}, which is not a generated secret`);
    if (visiting.has(name)) throw new Error(`secret templates refer to each other in a cycle through ${name}`);
    visiting.add(name);
    let value: string;
    if (existsSync(recipe.file)) {
      value = readFileSync(recipe.file, 'utf8').trim();
      outcomes.push({ name, file: recipe.file, action: 'kept' });
    } else {
      value =
        recipe.generate === 'random'
          ? randomBytes(32).toString('base64url')
          : recipe.generate.template.replace(TEMPLATE_REFERENCE, (_, reference: string) => valueOf(reference));
      mkdirSync(dirname(recipe.file), { recursive: true, mode: 0o700 });
      try {
        writeFileSync(recipe.file, value, { mode: 0o600, flag: 'wx' });
      } catch (error) {
        // A file cut short (a full disk) would be kept by the next run as the secret.
        if ((error as NodeJS.ErrnoException).code !== 'EEXIST') rmSync(recipe.file, { force: true });
        throw error;
      }
      if (recipe.uid !== undefined && canChown) chownSync(recipe.file, recipe.uid, recipe.uid);
      outcomes.push({ name, file: recipe.file, action: 'created' });
    }
    visiting.delete(name);
    values.set(name, value);
    return value;
  };
  for (const recipe of recipes) valueOf(recipe.name);
  return outcomes;
}

/** Secret files `secrets init` cannot keep or create: one line each, nothing written. */
export class SecretFilesError extends Error {
  override name = 'SecretFilesError';

  constructor(readonly problems: string[]) {
    super(problems.join('\n'));
  }
}

/**
 * What stops `recipe`'s file from being kept or created: a folder or a broken link in its place,
 * an empty file (templates would be built from the empty value), a file where its folder belongs.
 * A missing file is fine (it is created); one other users may read is kept (`up` says so).
 */
function existingFileProblem(recipe: SecretRecipe, show: (file: string) => string, initCommand: string): string[] {
  const problem = checkSecretFile(recipe.file);
  if (problem === undefined || problem.kind === 'too-open') return [];
  if (problem.kind !== 'missing') return [describeSecretFileProblem(recipe.name, show(recipe.file), problem, initCommand)];
  let folder = dirname(recipe.file);
  for (;;) {
    let isFolder: boolean | undefined;
    try {
      isFolder = statSync(folder).isDirectory();
    } catch {
      isFolder = undefined;
    }
    if (isFolder === false) return [`${show(folder)} is a file, so the secret files cannot be created under it; move it away`];
    if (isFolder === true || dirname(folder) === folder) return [];
    folder = dirname(folder);
  }
}
