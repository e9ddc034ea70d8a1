import { statSync } from 'node:fs';
import { basename, dirname, join, resolve } from 'node:path';
import { parseDotenvFiles } from '../dotenv/env-files.js';
import { COMPOSE_ERROR_CODES, ComposeError } from '../errors.js';
import type { Environment } from './context.js';

/** `-f -` reads the compose file from standard input. */
export const STDIN_FILE = '-';

/** Default compose file names, in order of preference. */
export const DEFAULT_FILE_NAMES = ['compose.yaml', 'compose.yml', 'docker-compose.yml', 'docker-compose.yaml'];
/** Default override file names, in order of preference. */
export const DEFAULT_OVERRIDE_FILE_NAMES = ['compose.override.yml', 'compose.override.yaml', 'docker-compose.override.yml', 'docker-compose.override.yaml'];

/** What a user gives, as Compose's global options (all optional). */
export interface ProjectSource {
  /** `-f`: compose files, relative to `cwd`. */
  files?: string[];
  /** `--env-file`: replaces the default `.env`; relative to `cwd`. */
  envFiles?: string[];
  /** `-p`. */
  projectName?: string;
  /** `--project-directory`. */
  projectDirectory?: string;
  /** `--profile`. */
  profiles?: string[];
  /** Directory the command runs in (default: process.cwd()). */
  cwd?: string;
  /** The shell environment (default: process.env). */
  env?: Record<string, string | undefined>;
}

/** The options after applying Compose's rules for variables, files and profiles. */
export interface ResolvedSource {
  cwd: string;
  environment: Environment;
  configFiles: string[];
  workingDir: string;
  /** Active profiles, without the empty one. */
  profiles: string[];
  /** True when Compose's list of active profiles holds "" (no --profile and no named profile in COMPOSE_PROFILES). */
  emptyProfileActive: boolean;
  /** Name from `-p` or COMPOSE_PROJECT_NAME (imperative), validated. */
  imperativeName?: string;
  warnings: string[];
}

function isFile(path: string): boolean {
  try {
    return statSync(path).isFile();
  } catch {
    return false;
  }
}

function isTruthy(value: string): boolean {
  return ['1', 't', 'T', 'TRUE', 'true', 'True'].includes(value);
}

/** Compose's project name normalization: lower case, only `[a-z0-9_-]`, no leading `_`/`-`. */
export function normalizeProjectName(name: string): string {
  return name
    .toLowerCase()
    .replace(/[^a-z0-9_-]/g, '')
    .replace(/^[_-]+/, '');
}

/** Throws unless `name` is already a valid (normalized) project name. */
export function assertValidProjectName(name: string): void {
  if (normalizeProjectName(name) !== name || name === '') {
    throw new ComposeError(
      COMPOSE_ERROR_CODES.PROJECT_NAME,
      `invalid project name ${JSON.stringify(name)}: must consist only of lowercase alphanumeric characters, hyphens, and underscores as well as start with a letter or number`,
    );
  }
}

/**
 * Applies Compose's option rules: shell variables win over env files; `--env-file` (or
 * COMPOSE_ENV_FILES) replaces `.env`; COMPOSE_* variables may come from `.env`; COMPOSE_FILE
 * and file discovery in the directory and its parents; COMPOSE_PROFILES.
 */
export function resolveProjectSource(source: ProjectSource): ResolvedSource {
  const cwd = resolve(source.cwd ?? process.cwd());
  const warnings: string[] = [];
  const shell = new Map<string, string>();
  for (const [key, value] of Object.entries(source.env ?? process.env)) if (value !== undefined) shell.set(key, value);
  if (!shell.has('PWD')) shell.set('PWD', cwd);

  const projectDirectory = source.projectDirectory === undefined || source.projectDirectory === '' ? undefined : resolve(cwd, source.projectDirectory);
  const explicitEnvFiles = (source.envFiles && source.envFiles.length > 0 ? source.envFiles : splitList(shell.get('COMPOSE_ENV_FILES'))).map((file) =>
    resolve(cwd, file),
  );
  const flagFiles = (source.files ?? []).filter((file) => file !== '');

  const workingDirFor = (configFiles: readonly string[]): string => {
    if (projectDirectory) return projectDirectory;
    const first = configFiles.find((file) => file !== STDIN_FILE);
    return first ? dirname(resolve(cwd, first)) : cwd;
  };
  const envFilesFor = (workingDir: string, environment: Environment): string[] => {
    if (explicitEnvFiles.length > 0) return explicitEnvFiles;
    const disabled = environment.get('COMPOSE_DISABLE_ENV_FILE');
    if (disabled !== undefined && isTruthy(disabled)) return [];
    const dotenv = join(workingDir, '.env');
    return isFile(dotenv) ? [dotenv] : [];
  };

  // COMPOSE_* variables from the env files act as if they were set in the shell.
  const environment: Environment = new Map(shell);
  const firstFiles = envFilesFor(workingDirFor(flagFiles), environment);
  const firstValues = parseDotenvFiles(firstFiles, environment);
  for (const [key, value] of firstValues) if (!environment.has(key)) environment.set(key, value);

  let configFiles = flagFiles.map((file) => (file === STDIN_FILE ? file : resolve(cwd, file)));
  if (configFiles.length === 0) {
    const fromVariable = environment.get('COMPOSE_FILE');
    if (fromVariable !== undefined) {
      const separator = environment.get('COMPOSE_PATH_SEPARATOR') || ':';
      configFiles = fromVariable.split(separator).map((file) => resolve(cwd, file));
      for (const file of configFiles) {
        if (!isFile(file)) throw new ComposeError(COMPOSE_ERROR_CODES.FILE_NOT_FOUND, `stat ${file}: no such file or directory (from COMPOSE_FILE)`, { file });
      }
    }
  }
  if (configFiles.length === 0) configFiles = discoverComposeFiles(projectDirectory ?? cwd, warnings);
  if (configFiles.length === 0) {
    throw new ComposeError(
      COMPOSE_ERROR_CODES.NO_COMPOSE_FILE,
      `no configuration file provided: not found (looked for ${DEFAULT_FILE_NAMES.join(', ')} in ${projectDirectory ?? cwd} and its parents)`,
    );
  }
  const workingDir = workingDirFor(configFiles);
  const secondFiles = envFilesFor(workingDir, environment);
  if (secondFiles.join('\n') !== firstFiles.join('\n')) {
    for (const [key, value] of parseDotenvFiles(secondFiles, environment)) if (!environment.has(key)) environment.set(key, value);
  }

  // As compose-go's WithDefaultProfiles: without --profile, COMPOSE_PROFILES split on commas,
  // so an unset or empty variable (or `a,,b`) activates the profile "" that a service may list
  // (`profiles: ["", postgres]`: on by default and with --profile postgres).
  let profiles = (source.profiles ?? []).filter((profile) => profile !== '');
  if (profiles.length === 0) profiles = (environment.get('COMPOSE_PROFILES') ?? '').split(',').map((profile) => profile.trim());

  let imperativeName: string | undefined;
  if (source.projectName) {
    assertValidProjectName(source.projectName);
    imperativeName = source.projectName;
  } else {
    const fromVariable = environment.get('COMPOSE_PROJECT_NAME');
    if (fromVariable) {
      assertValidProjectName(fromVariable);
      imperativeName = fromVariable;
    }
  }
  return { cwd, environment, configFiles, workingDir, profiles: profiles.filter((p) => p !== ''), emptyProfileActive: profiles.includes(''), imperativeName, warnings };
}

function splitList(value: string | undefined): string[] {
  return (value ?? '').split(',').filter((item) => item !== '');
}

/** Finds compose.yaml (or its variants) and an override file, from `start` up to the root. */
export function discoverComposeFiles(start: string, warnings: string[]): string[] {
  let directory = start;
  for (;;) {
    const candidates = DEFAULT_FILE_NAMES.map((name) => join(directory, name)).filter(isFile);
    const [winner] = candidates;
    if (winner) {
      if (candidates.length > 1) warnings.push(`Found multiple config files with supported names: ${candidates.join(', ')}; using ${winner}`);
      const files = [winner];
      const overrides = DEFAULT_OVERRIDE_FILE_NAMES.map((name) => join(directory, name)).filter(isFile);
      if (overrides.length > 1) warnings.push(`Found multiple override files with supported names: ${overrides.join(', ')}; using ${overrides[0] ?? ''}`);
      if (overrides[0]) files.push(overrides[0]);
      return files;
    }
    const parent = dirname(directory);
    if (parent === directory) return [];
    directory = parent;
  }
}

/** The default project name: the working directory's name, normalized. */
export function directoryProjectName(workingDir: string): string {
  return normalizeProjectName(basename(workingDir));
}
