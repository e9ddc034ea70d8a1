import { existsSync, statSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { discoverComposeFiles, projectIdentity, type ProjectIdentity, type ProjectSource } from '@codiesvibe/compose/identity';
import type { CommandIo } from './command.js';
import type { GlobalOptions } from './global-options.js';
import { UsageError } from './arg-parser.js';

/**
 * The project source the global options describe: -f/--env-file/-p/--project-directory/--profile
 * as Compose reads them, plus `--env NAME` (CODIESVIBE_ENV=NAME and `.env.NAME`, or its
 * `.example` unless `refuseExampleEnvFile`). Imports no YAML code, so commands that only need to
 * know which project they act on stay light.
 */
export function projectSourceOf(globals: GlobalOptions, io: CommandIo, refuseExampleEnvFile = false): ProjectSource {
  // Told as what it is: discovery then said no compose file was found "in /x and its parents".
  if (globals.projectDirectory !== undefined && !isDirectory(resolve(io.cwd, globals.projectDirectory)))
    throw new UsageError(`--project-directory ${globals.projectDirectory}: no such folder`);
  const env = { ...io.env };
  const envFiles = [...globals.envFiles];
  if (globals.environment) {
    const name = globals.environment;
    if (!/^[a-z0-9][a-z0-9_-]*$/.test(name)) throw new UsageError(`invalid environment name ${JSON.stringify(name)}: use lower case letters, digits, - and _`);
    env.CODIESVIBE_ENV = name;
    const directory = environmentDirectory(globals, io);
    const file = join(directory, `.env.${name}`);
    const example = `${file}.example`;
    if (existsSync(file)) envFiles.unshift(file);
    else if (existsSync(example) && !refuseExampleEnvFile) {
      io.stderr(`stack: .env.${name} not found, using .env.${name}.example (copy it to .env.${name} and set real values)\n`);
      envFiles.unshift(example);
    } else if (existsSync(example)) {
      throw new UsageError(`.env.${name} not found in ${directory}: create it from .env.${name}.example first`);
    } else {
      throw new UsageError(`environment ${JSON.stringify(name)} has no .env.${name} in ${directory}`);
    }
  }
  return {
    files: globals.files,
    envFiles,
    projectName: globals.projectName,
    projectDirectory: globals.projectDirectory,
    profiles: globals.profiles,
    cwd: io.cwd,
    env,
  };
}

/**
 * Which project the global options name (name, directory, files, profiles) without loading its
 * model: for commands such as `stack ps` that act on a running project.
 */
export function resolveProjectIdentity(globals: GlobalOptions, io: CommandIo): Promise<ProjectIdentity> {
  return projectIdentity(projectSourceOf(globals, io));
}

/** Where `.env.NAME` lives: the project directory, else the first compose file's folder. */
function environmentDirectory(globals: GlobalOptions, io: CommandIo): string {
  if (globals.projectDirectory) return resolve(io.cwd, globals.projectDirectory);
  const [first] = globals.files;
  if (first) return dirname(resolve(io.cwd, first));
  const [discovered] = discoverComposeFiles(io.cwd, []);
  return discovered ? dirname(discovered) : io.cwd;
}

function isDirectory(path: string): boolean {
  try {
    return statSync(path).isDirectory();
  } catch {
    return false;
  }
}
