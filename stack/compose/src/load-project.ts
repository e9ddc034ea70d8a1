import { COMPOSE_ERROR_CODES, ComposeError } from './errors.js';
import { interpolateModel } from './interpolation/interpolate.js';
import { locate, type LoadSession } from './loader/context.js';
import { loadYamlModel, readComposeText } from './loader/load-model.js';
import { normalizeModel } from './loader/normalize.js';
import { directoryProjectName, normalizeProjectName, resolveProjectSource, type ProjectSource } from './loader/project-options.js';
import { modelToProject } from './loader/to-project.js';
import { selectServices, withoutUnusedResources } from './model/selection.js';
import type { Project } from './model/project.js';
import { isPlainObject, parseComposeYaml } from './yaml/parse-yaml.js';

/** Options of {@link loadProject}: Compose's global options plus what `config` can switch off. */
export interface LoadProjectOptions extends ProjectSource {
  /** Services named on the command line: enables their profiles, keeps them and their dependencies. */
  services?: string[];
  /** Keep networks/volumes/secrets/configs no service uses (`--all-resources`). Default false. */
  allResources?: boolean;
  /** Skip `${VAR}` interpolation (`--no-interpolate`). */
  noInterpolate?: boolean;
  /** Skip consistency checks. */
  noConsistency?: boolean;
  /** Receives each warning as it happens (they are also collected in `project.warnings`). */
  onWarning?: (message: string) => void;
  /**
   * Reads a compose file (included and extended ones too) by absolute path; default: from disk,
   * `-` from standard input. For editors and tools that hold files in memory. Env files and
   * other referenced files are still read from disk.
   */
  readFile?: (file: string) => string;
}

/** A loaded project together with the raw normalized model (what `--no-interpolate` prints). */
export interface LoadedProject {
  project: Project;
  model: Record<string, unknown>;
}

/**
 * Loads a Compose project exactly like `docker compose config` (v2.40): variables and env files,
 * file discovery, include, extends, multi-file merge, profiles, normalization, schema and
 * consistency validation. Throws a {@link ComposeError} on any problem.
 */
export async function loadProject(options: LoadProjectOptions = {}): Promise<Project> {
  return Promise.resolve(loadProjectSync(options).project);
}

/** Synchronous form of {@link loadProject}, also returning the normalized model. */
export function loadProjectSync(options: LoadProjectOptions = {}): LoadedProject {
  const { model, name, source, session, warnings } = loadNormalizedModel(options);
  let project: Project;
  try {
    project = modelToProject(model, {
      name,
      workingDir: source.workingDir,
      composeFiles: source.configFiles,
      environment: source.environment,
      profiles: source.profiles,
      emptyProfileActive: source.emptyProfileActive,
      warnings,
      skipConsistency: options.noConsistency === true,
    });
    project = selectServices(project, options.services ?? []);
  } catch (error) {
    throw locate(error, session);
  }
  if (!options.allResources) project = withoutUnusedResources(project);
  return { project, model };
}

/**
 * The normalized model only, as `docker compose config --no-interpolate` prints it: Compose does
 * not build its typed project for that output, so a `${VAR}` left in a port, a size or a
 * duration is printed as written instead of refused.
 */
export function loadModelSync(options: LoadProjectOptions = {}): Record<string, unknown> {
  return loadNormalizedModel(options).model;
}

function loadNormalizedModel(options: LoadProjectOptions) {
  const warnings: string[] = [];
  const warn = (message: string): void => {
    warnings.push(message);
    options.onWarning?.(message);
  };
  const source = resolveProjectSource(options);
  for (const warning of source.warnings) warn(warning);
  const readText = options.readFile ?? readComposeText;
  const home = (options.env ?? process.env).HOME;
  const session: LoadSession = { warn, sources: [], warnedVariables: new Set(), readText, extended: [], home, cwd: source.cwd };

  session.parsedAhead = new Map();
  const name = projectName(source.configFiles, source.imperativeName, source.workingDir, source.environment, options.noInterpolate === true, readText, session.parsedAhead);
  source.environment.set('COMPOSE_PROJECT_NAME', name);

  // `config --no-interpolate` loads through compose-go's LoadModel, whose ConfigDetails carry no
  // environment: entries without a value (`environment: [NAME]`, build args) stay unresolved or
  // are dropped, and only an include's own env files fill its services.
  const environment = options.noInterpolate === true ? new Map<string, string>() : source.environment;
  let model = loadYamlModel(
    { workingDir: source.workingDir, files: source.configFiles, environment },
    session,
    { skipInterpolation: options.noInterpolate === true },
  );
  if (Object.keys(model).length === 0) {
    throw new ComposeError(COMPOSE_ERROR_CODES.INVALID_DOCUMENT, 'empty compose file', { file: source.configFiles[0] });
  }
  if (name === '') {
    throw new ComposeError(COMPOSE_ERROR_CODES.PROJECT_NAME, 'project name must not be empty: set `name:` or use --project-name');
  }
  model.name = name;
  model = normalizeModel(model, environment);
  return { model, name, source, session, warnings };
}

/**
 * Compose's project name precedence: `-p`, then COMPOSE_PROJECT_NAME, then the last `name:` of
 * the files (interpolated), then the working directory's name.
 */
function projectName(
  files: readonly string[],
  imperative: string | undefined,
  workingDir: string,
  environment: Map<string, string>,
  noInterpolate: boolean,
  readText: (file: string) => string,
  parsed: Map<string, ReturnType<typeof parseComposeYaml>>,
): string {
  if (imperative) return imperative;
  let fromFiles = '';
  let where: { file: string; line?: number; column?: number } | undefined;
  for (const file of files) {
    let documents: ReturnType<typeof parseComposeYaml>;
    try {
      documents = parseComposeYaml(readText(file), file);
      parsed.set(file, documents); // the load takes these over instead of parsing the file again
    } catch {
      // Reported with its location by the full load.
      continue;
    }
    for (const document of documents) {
      const value = isPlainObject(document.value) ? document.value.name : undefined;
      if (typeof value === 'string' && value !== '') {
        fromFiles = value;
        where = { file, ...document.positions.get('name') };
      }
    }
  }
  if (fromFiles === '') return directoryProjectName(workingDir);
  if (!noInterpolate) {
    try {
      const interpolated = interpolateModel({ name: fromFiles }, { lookup: (key) => environment.get(key) });
      fromFiles = String(interpolated.name);
    } catch (error) {
      // `${NAME:?message}` in `name:`: said at the line that holds it, as for any other key.
      if (error instanceof ComposeError && error.file === undefined && where) Object.assign(error, where);
      throw error;
    }
  }
  return normalizeProjectName(fromFiles);
}
