import { existsSync } from 'node:fs';
import { join } from 'node:path';
import type { Project } from '@codiesvibe/compose';
import type { GlobalOptions } from '../cli/global-options.js';
import type { ComposeTarget } from '../docker/compose-invocation.js';

/**
 * What `docker compose` must be told to resolve the same model stack resolved: the files, the
 * project name and directory, the env files (an environment's `.env.NAME` first) and profiles.
 */
export function composeTargetOf(project: Pick<Project, 'name' | 'workingDir' | 'composeFiles' | 'profiles'>, globals: GlobalOptions, envFileDirectory: string): ComposeTarget {
  const envFiles = [...globals.envFiles];
  if (globals.environment) {
    const file = join(envFileDirectory, `.env.${globals.environment}`);
    if (existsSync(file)) envFiles.unshift(file);
  }
  return {
    projectName: project.name,
    projectDirectory: project.workingDir,
    files: project.composeFiles,
    envFiles,
    profiles: project.profiles,
  };
}
