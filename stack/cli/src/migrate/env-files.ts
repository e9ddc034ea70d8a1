import { existsSync, readFileSync, statSync } from 'node:fs';
import { join, relative, sep } from 'node:path';
import { parseDotenvFiles } from '@codiesvibe/compose';
import type { SourceEnvironment } from './migrate-options.js';

/** Variables that commonly name the environment, in the order migrate prefers to reuse them. */
const USUAL_SELECTORS = ['APP_ENV', 'ENVIRONMENT', 'ENV', 'STAGE', 'DEPLOY_ENV', 'NODE_ENV'];

/** The env files the originals of `environment` are interpolated with, in order: its --env-file ones, or the project's .env. */
export function sourceEnvFiles(environment: SourceEnvironment): string[] {
  if (environment.envFiles.length > 0) return environment.envFiles;
  const dotenv = join(environment.projectDir, '.env');
  return existsSync(dotenv) ? [dotenv] : [];
}

/** The variables `files` set, read as Compose reads several env files: into one map, a later file winning. */
function variablesOf(files: readonly string[]): Map<string, string> {
  return parseDotenvFiles(files, { get: () => undefined });
}

/** The COMPOSE_PROJECT_NAME the env files of `environment` set, if any. */
export function envFilesProjectName(environment: SourceEnvironment): string | undefined {
  return variablesOf(sourceEnvFiles(environment)).get('COMPOSE_PROJECT_NAME');
}

/**
 * The variable that selects the environment: one every environment's env files already set to
 * the environment's own name (so no file changes, and services reading that file through
 * env_file see nothing new), else `fallback` (`<PROJECT>_ENV`), added to each file.
 */
export function chooseSelector(environments: readonly SourceEnvironment[], fallback: string): string {
  const variables = environments.map((environment) => {
    try {
      return variablesOf(sourceEnvFiles(environment));
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
  /** File mode: the original env files', so a private one keeps the file private. */
  mode: number;
  /** The env files the originals used (their `--env-file` ones, or the project's `.env`), in order. */
  sources: string[];
  /** The original file gets only lines appended (it is the same path, the first of `sources`). */
  appendsToSource: boolean;
  /** COMPOSE_FILE lines turned into comments: they would select the old files. */
  disabledComposeFile: boolean;
}

/**
 * `.env.<environment>` for each environment: the variables the originals were interpolated with
 * (their `--env-file` ones, or the project's `.env` that Compose reads by default), then the line
 * that selects the environment. `docker compose --env-file .env.<environment>` then sees what it
 * saw. Several env files are written one after the other, in their order: read as one file, they
 * give the one map Compose reads them into, a later value winning and `${A}` reading what the
 * lines above set.
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
    const sources = sourceEnvFiles(environment);
    const variables = variablesOf(sources);
    // The environment's own x- fields are printed only from a file Compose is given: COMPOSE_FILE,
    // with its separator, so the list reads the same on Windows (whose default is ;). A second
    // run finds the line it wrote and keeps it.
    const extensions = extensionFiles.get(environment.name);
    const composeFile = extensions === undefined ? undefined : `compose.yaml:${relative(outDir, extensions).split(sep).join('/')}`;
    const ownComposeFile = composeFile !== undefined && variables.get('COMPOSE_FILE') === composeFile && variables.get('COMPOSE_PATH_SEPARATOR') === ':';
    let disabledComposeFile = false;
    const shown = (file: string) => relative(outDir, file).split(sep).join('/');
    const blocks = sources.map((source, index) => {
      const text = readFileSync(source, 'utf8')
        .split('\n')
        .map((line) => {
          if (ownComposeFile || !/^\s*(?:export\s+)?COMPOSE_FILE\s*[=:]/.test(line)) return line;
          disabledComposeFile = true;
          return `# ${line.trim()}  (disabled by stack migrate: ${selector} selects the modular tree)`;
        })
        .join('\n');
      // Several files: each under the name it came from (but the tree's own file, appended to, as
      // it is), and on lines of its own.
      const heading = sources.length > 1 && !(index === 0 && source === path) ? `# From ${shown(source)}:\n` : '';
      const ended = index === sources.length - 1 || text === '' || text.endsWith('\n') ? text : `${text}\n`;
      return `${heading}${ended}`;
    });
    const kept = blocks.join('');
    const selects = variables.get(selector) === environment.name;
    // compose.yaml gives every environment one name; one whose files named another project
    // (`name: immich-prod`) keeps it, or its containers and volumes would change names.
    const projectName = projectNames.get(environment.name);
    const nameLine = projectName === undefined || variables.get('COMPOSE_PROJECT_NAME') === projectName ? '' : `COMPOSE_PROJECT_NAME=${projectName}\n`;
    const fileLines = composeFile === undefined || ownComposeFile ? '' : `COMPOSE_PATH_SEPARATOR=:\nCOMPOSE_FILE=${composeFile}\n`;
    const selectLine = `${selects ? '' : `${selector}=${environment.name}\n`}${nameLine}${fileLines}`;
    const separator = kept === '' || kept.endsWith('\n') ? '' : '\n';
    const appendsToSource = sources[0] === path;
    const named = sources.map(shown);
    const content = appendsToSource
      ? selectLine === ''
        ? kept
        : `${kept}${separator}\n# Selects docker-compose/environments/docker-compose.${environment.name}.yml (added by stack migrate)\n${selectLine}`
      : [
          `# Environment ${environment.name} of the modular tree: docker compose --env-file .env.${environment.name}`,
          // Relative to the file's own folder, as the header's other paths: an absolute path would
          // make the tree differ with where the project sits (another checkout, another machine).
          ...(named.length === 1
            ? [`# Its variables are those of ${named[0]}, which the original files were used with.`]
            : named.length > 1
              ? [`# Its variables are those of ${named.slice(0, -1).join(', ')} and ${named.at(-1)}, which the original files were used with, in that order (a later one wins).`]
              : []),
          '',
          ...(kept === '' ? [] : [`${kept}${separator}`]),
          ...(selectLine === '' ? [] : [`# Selects docker-compose/environments/docker-compose.${environment.name}.yml`, selectLine]),
        ].join('\n');
    return {
      environment: environment.name,
      path,
      content,
      // Each permission only when every env file has it: one private file keeps the new one private.
      mode: sources.length === 0 ? 0o644 : sources.reduce((mode, source) => mode & statSync(source).mode, 0o777),
      sources,
      appendsToSource,
      disabledComposeFile,
    };
  });
}
