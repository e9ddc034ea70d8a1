import { loadModelSync, loadProjectSync, type LoadedProject, type LoadProjectOptions } from '@codiesvibe/compose';
import type { CommandIo } from './command.js';
import type { GlobalOptions } from './global-options.js';
import { assertEnvFileSelects } from './environment-selector.js';
import { projectSourceOf } from './project-source.js';
import { unknownProfilesWarning } from './unknown-profiles.js';

/** How a command wants the project loaded, beyond the global options. */
export type ProjectLoadExtras = Pick<LoadProjectOptions, 'services' | 'allResources' | 'noInterpolate' | 'noConsistency'> & {
  /** Commands that run the stack refuse a `.env.NAME.example` fallback. */
  refuseExampleEnvFile?: boolean;
};

/**
 * Loads the project the global options describe: -f/--env-file/-p/--project-directory/--profile
 * as Compose reads them, plus `--env NAME` (CODIESVIBE_ENV=NAME and `.env.NAME`). Warnings go to
 * stderr. Any command calls this to get the resolved project.
 */
export function resolveProject(globals: GlobalOptions, io: CommandIo, extras: ProjectLoadExtras = {}): LoadedProject {
  const { refuseExampleEnvFile, ...loadExtras } = extras;
  const source = projectSourceOf(globals, io, refuseExampleEnvFile === true);
  checkEnvironmentFile(globals, source.envFiles);
  const loaded = loadProjectSync({
    ...source,
    onWarning: (message) => io.stderr(`warning: ${message}\n`),
    ...loadExtras,
  });
  const warning = unknownProfilesWarning(globals.profiles, loaded.project, globals.environment);
  if (warning) io.stderr(warning);
  return loaded;
}

/** The normalized model only (`config --no-interpolate`), loaded from the same options. */
export function resolveModel(globals: GlobalOptions, io: CommandIo, extras: ProjectLoadExtras = {}): Record<string, unknown> {
  const { refuseExampleEnvFile, ...loadExtras } = extras;
  const source = projectSourceOf(globals, io, refuseExampleEnvFile === true);
  checkEnvironmentFile(globals, source.envFiles);
  return loadModelSync({
    ...source,
    onWarning: (message) => io.stderr(`warning: ${message}\n`),
    ...loadExtras,
  });
}

/** With `--env NAME`, the first env file is `.env.NAME` (or its `.example`): it must not select another environment. */
function checkEnvironmentFile(globals: GlobalOptions, envFiles: readonly string[] | undefined): void {
  const [first] = envFiles ?? [];
  if (globals.environment && first) assertEnvFileSelects(first, globals.environment);
}
