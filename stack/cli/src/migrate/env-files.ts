import { existsSync, readFileSync, statSync } from 'node:fs';
import { join, relative, sep } from 'node:path';
import { parseDotenv } from '@codiesvibe/compose';
import type { SourceEnvironment } from './migrate-options.js';

/** Variables that commonly name the environment, in the order migrate prefers to reuse them. */
const USUAL_SELECTORS = ['APP_ENV', 'ENVIRONMENT', 'ENV', 'STAGE', 'DEPLOY_ENV', 'NODE_ENV'];

/** The env file the originals of `environment` are interpolated with: its --env-file, or the project's .env. */
export function sourceEnvFile(environment: SourceEnvironment): string | undefined {
  const dotenv = join(environment.projectDir, '.env');
  return environment.envFile ?? (existsSync(dotenv) ? dotenv : undefined);
}

/**
 * The variable that selects the environment: one every environment's env file already sets to
 * the environment's own name (so no file changes, and services reading that file through
 * env_file see nothing new), else `fallback` (`<PROJECT>_ENV`), added to each file.
 */
export function chooseSelector(environments: readonly SourceEnvironment[], fallback: string): string {
  const variables = environments.map((environment) => {
    const source = sourceEnvFile(environment);
    try {
      return source ? parseDotenv(readFileSync(source, 'utf8'), () => undefined, source) : new Map<string, string>();
    } catch {
      return new Map<string, string>();
    }
  });
  const candidates = [...(variables[0]?.keys() ?? [])].filter((name) => environments.every((environment, index) => variables[index]?.get(name) === environment.name));
  const ranked = [fallback, ...USUAL_SELECTORS].find((name) => candidates.includes(name));
  return ranked ?? candidates.find((name) => !name.startsWith('COMPOSE_')) ?? fallback;
}

/** A `.env.<environment>` of the new tree. */
export interface PlannedEnvFile {
  environment: string;
  path: string;
  content: string;
  /** File mode: the original env file's, so a private one stays private. */
  mode: number;
  /** The env file the originals used (the `--env-file`, or the project's `.env`), if any. */
  source?: string;
  /** The original file gets only lines appended (it is the same path). */
  appendsToSource: boolean;
  /** COMPOSE_FILE lines turned into comments: they would select the old files. */
  disabledComposeFile: boolean;
}

/**
 * `.env.<environment>` for each environment: the variables the originals were interpolated with
 * (their `--env-file`, or the project's `.env` that Compose reads by default), then the line that
 * selects the environment. `docker compose --env-file .env.<environment>` then sees what it saw.
 */
export function planEnvFiles(
  environments: readonly SourceEnvironment[],
  outDir: string,
  selector: string,
  projectNames: ReadonlyMap<string, string> = new Map(),
  extensionFiles: ReadonlyMap<string, string> = new Map(),
): PlannedEnvFile[] {
  return environments.map((environment) => {
    const path = join(outDir, `.env.${environment.name}`);
    const source = sourceEnvFile(environment);
    const original = source ? readFileSync(source, 'utf8') : '';
    const variables = source === undefined ? new Map<string, string>() : parseDotenv(original, () => undefined, source);
    // The environment's own x- fields are printed only from a file Compose is given: COMPOSE_FILE,
    // with its separator, so the list reads the same on Windows (whose default is ;). A second
    // run finds the line it wrote and keeps it.
    const extensions = extensionFiles.get(environment.name);
    const composeFile = extensions === undefined ? undefined : `compose.yaml:${relative(outDir, extensions).split(sep).join('/')}`;
    const ownComposeFile = composeFile !== undefined && variables.get('COMPOSE_FILE') === composeFile && variables.get('COMPOSE_PATH_SEPARATOR') === ':';
    let disabledComposeFile = false;
    const kept = original
      .split('\n')
      .map((line) => {
        if (ownComposeFile || !/^\s*(?:export\s+)?COMPOSE_FILE\s*[=:]/.test(line)) return line;
        disabledComposeFile = true;
        return `# ${line.trim()}  (disabled by stack migrate: ${selector} selects the modular tree)`;
      })
      .join('\n');
    const selects = variables.get(selector) === environment.name;
    // compose.yaml gives every environment one name; one whose files named another project
    // (`name: immich-prod`) keeps it, or its containers and volumes would change names.
    const projectName = projectNames.get(environment.name);
    const nameLine = projectName === undefined || variables.get('COMPOSE_PROJECT_NAME') === projectName ? '' : `COMPOSE_PROJECT_NAME=${projectName}\n`;
    const fileLines = composeFile === undefined || ownComposeFile ? '' : `COMPOSE_PATH_SEPARATOR=:\nCOMPOSE_FILE=${composeFile}\n`;
    const selectLine = `${selects ? '' : `${selector}=${environment.name}\n`}${nameLine}${fileLines}`;
    const separator = kept === '' || kept.endsWith('\n') ? '' : '\n';
    const appendsToSource = source === path;
    const content = appendsToSource
      ? selectLine === ''
        ? kept
        : `${kept}${separator}\n# Selects docker-compose/environments/docker-compose.${environment.name}.yml (added by stack migrate)\n${selectLine}`
      : [
          `# Environment ${environment.name} of the modular tree: docker compose --env-file .env.${environment.name}`,
          // Relative to the file's own folder, as the header's other paths: an absolute path would
          // make the tree differ with where the project sits (another checkout, another machine).
          ...(source ? [`# Its variables are those of ${relative(outDir, source).split(sep).join('/')}, which the original files were used with.`] : []),
          '',
          ...(kept === '' ? [] : [`${kept}${separator}`]),
          ...(selectLine === '' ? [] : [`# Selects docker-compose/environments/docker-compose.${environment.name}.yml`, selectLine]),
        ].join('\n');
    return {
      environment: environment.name,
      path,
      content,
      mode: source ? statSync(source).mode & 0o777 : 0o644,
      source,
      appendsToSource,
      disabledComposeFile,
    };
  });
}
