import { dirname, resolve } from 'node:path';
import { discoverComposeFiles, type Project } from '@codiesvibe/compose';
import type { CommandIo } from '../cli/command.js';
import type { GlobalOptions } from '../cli/global-options.js';
import { resolveProject } from '../cli/resolve-project.js';
import type { ComposeModel } from './compose-model.js';
import type { EnvironmentLoader } from './run-validation.js';

/** The project directory the global options point at, before anything is loaded. */
export function projectDirectoryOf(globals: GlobalOptions, io: CommandIo): string {
  if (globals.projectDirectory) return resolve(io.cwd, globals.projectDirectory);
  const [first] = globals.files;
  if (first) return dirname(resolve(io.cwd, first));
  const [discovered] = discoverComposeFiles(io.cwd, []);
  return discovered ? dirname(discovered) : io.cwd;
}

/** The resolved model of a project as validation and the matrix read it (services, networks ...). */
export function projectModel(project: Project): ComposeModel {
  return {
    name: project.name,
    services: { ...project.disabledServices, ...project.services },
    networks: project.networks,
    volumes: project.volumes,
    secrets: project.secrets,
    configs: project.configs,
  };
}

/**
 * Loads environments like `stack --env NAME config` does, with every profile enabled so optional
 * services (monitoring, ai, testing) are checked too (or with the profiles asked for). `selector` is the variable the project's
 * root file selects environments with (x-stack.environmentVariable), set to the environment's name.
 */
export function environmentLoader(globals: GlobalOptions, io: CommandIo, selector?: string): EnvironmentLoader {
  return (environment, options = {}) => {
    const env = selector ? { ...io.env, [selector]: environment } : io.env;
    const profiles = [...globals.profiles, ...(options.profiles ?? ['*'])];
    const { project } = resolveProject({ ...globals, environment, profiles }, { ...io, env }, {
      noConsistency: options.noConsistency === true,
    });
    return projectModel(project);
  };
}

/**
 * Loads the environment as `stack --env NAME config` and `stack up` do, with only the profiles the
 * user enabled, and throws the engine's error where they would refuse it. The loaders above enable
 * every profile, so a service that always starts but needs one behind a profile passes there.
 */
export function assertEnvironmentLoads(globals: GlobalOptions, io: CommandIo, environment: string, selector?: string): void {
  const env = selector ? { ...io.env, [selector]: environment } : io.env;
  resolveProject({ ...globals, environment }, { ...io, env, stderr: () => undefined });
}
