import { dirname, isAbsolute, relative, resolve } from 'node:path';
import { isDeepStrictEqual } from 'node:util';
import {
  applyResets,
  bindVariables,
  enforceUnicity,
  includeEnvFiles,
  includeFolders,
  isComposeError,
  mergeExtendedService,
  mergeModels,
  parseComposeYaml,
  parseDotenvFiles,
  readYamlText,
  substitute,
  type ParsedYamlDocument,
  type VariableLookup,
} from '@codiesvibe/compose';
import { STACK_ERROR_CODES, StackError } from '../errors.js';
import { treePath } from '../validate/source-set.js';
import { markContext, markPath, markVolumeSpec, withoutMarks } from './host-paths.js';
import { toNormalForm } from './normal-form.js';

type Mapping = Record<string, unknown>;

const isMapping = (value: unknown): value is Mapping => typeof value === 'object' && value !== null && !Array.isArray(value);

/** Top-level sections holding named resources, as Compose imports them through `include`. */
export const RESOURCE_SECTIONS = ['networks', 'volumes', 'secrets', 'configs', 'models'] as const;
export type ResourceSection = (typeof RESOURCE_SECTIONS)[number];

/**
 * One environment's files merged as Compose merges them, before interpolation: anchors and merge
 * keys expanded, `extends` and `include` resolved, `!reset`/`!override` applied, host paths marked
 * (see host-paths.ts), services in normal form. Values keep their `${VAR}` as written.
 */
export interface RawModel {
  services: Record<string, Mapping>;
  /** The files that define each service, in merge order. */
  definedIn: Record<string, string[]>;
  resources: Record<ResourceSection, Mapping>;
  /** Top-level `x-*` fields. */
  extensions: Mapping;
  /** The last top-level `name:` of the files, as written. */
  name?: string;
  /** Overrides between files that --accept-overrides let through, one line each. */
  overrides: string[];
}

export interface RawLoadOptions {
  /**
   * Compose's project directory: the files' own references (include paths, extends files) are
   * found from here, and their relative host paths (not those of extends bases) start here
   * unless `pathsDir` says otherwise.
   */
  projectDir: string;
  /**
   * Where the relative host paths of the files start, when not in `projectDir`: an included
   * model's folder as Compose reads it (see `includeFolders` of the engine).
   */
  pathsDir?: string;
  /** This environment's variables, to tell whether a `${VAR}` path is relative. */
  lookup: VariableLookup;
  /** Let a later file override what an earlier one set for the same service. */
  acceptOverrides: boolean;
  /** Names the environment in messages. */
  label: string;
  /** Shown paths are relative to this folder. */
  displayRoot: string;
  /** The folder the command runs in: a nested include's env_file is found from it, as Compose finds it. */
  cwd: string;
  /**
   * The files' working directory as Compose holds it, when not `pathsDir`: inside an included file
   * it is relative (compose-go's `relworkingdir`), so an include's env_file joined to it is found
   * from `cwd`.
   */
  composeWorkingDir?: string;
  /**
   * Variables an `include`'s env files set for the files it includes (and the project does not
   * set): written into the values, since the files move out of that include.
   */
  bound?: ReadonlyMap<string, string>;
}

/** Loads `files` (in -f order) as one raw model. */
export function loadRawModel(files: readonly string[], options: RawLoadOptions): RawModel {
  const model: RawModel = {
    services: {},
    definedIn: {},
    resources: { networks: {}, volumes: {}, secrets: {}, configs: {}, models: {} },
    extensions: {},
    overrides: [],
  };
  let merged: Mapping = {};
  for (const file of files) {
    for (const document of parseFile(file, options)) {
      if (document.value === null) continue;
      if (!isMapping(document.value)) throw inputError(options, file, 'the top level must be a mapping');
      const folders = { loaderDir: options.projectDir, pathsDir: options.pathsDir ?? options.projectDir };
      const config = prepareDocument(structuredClone(document.value), file, document, folders, options);
      const services = isMapping(config.services) ? config.services : {};
      for (const [name, service] of Object.entries(services)) {
        const earlier = isMapping(merged.services) ? merged.services[name] : undefined;
        if (isMapping(earlier) && isMapping(service)) checkOverride(name, earlier, service, { file, positions: document.positions }, model, options);
        model.definedIn[name] = [...(model.definedIn[name] ?? []), file];
      }
      applyResets(merged, document.resetPaths);
      merged = enforceUnicity(mergeModels(merged, config));
    }
  }
  for (const [key, value] of Object.entries(merged)) {
    if (key === 'services' && isMapping(value)) {
      for (const [name, service] of Object.entries(value)) if (isMapping(service)) model.services[name] = toNormalForm(withBuildContext(service, options));
    } else if ((RESOURCE_SECTIONS as readonly string[]).includes(key) && isMapping(value)) {
      // `pgdata:` with nothing after it is an empty definition: written `{}`.
      model.resources[key as ResourceSection] = Object.fromEntries(Object.entries(value).map(([name, resource]) => [name, resource ?? {}]));
    } else if (key.startsWith('x-')) model.extensions[key] = value;
    else if (key === 'name' && typeof value === 'string') model.name = value;
  }
  return model;
}

/**
 * A build without a context builds the project folder (`dockerfile_inline` alone, or only
 * `dockerfile`): Compose reads the missing context as `.` of the file's project, which moves with
 * the definition. Written out, so the new file builds the folder the original did.
 */
function withBuildContext(service: Mapping, options: RawLoadOptions): Mapping {
  if (!isMapping(service.build) || service.build.context !== undefined) return service;
  return { ...service, build: { context: markPath(options.pathsDir ?? options.projectDir, '.', options.lookup), ...service.build } };
}

function parseFile(file: string, options: RawLoadOptions): ParsedYamlDocument[] {
  let text: string;
  try {
    text = readYamlText(file);
  } catch (error) {
    // Bytes Compose refuses (not UTF-8, a control character) are the engine's located error.
    if (isComposeError(error)) throw error;
    throw inputError(options, file, `cannot read it (${(error as NodeJS.ErrnoException).code ?? String(error)})`);
  }
  const documents = parseComposeYaml(text, file);
  const bound = options.bound;
  if (!bound || bound.size === 0) return documents;
  return documents.map((document) => ({ ...document, value: mapStrings(document.value, (value) => bindVariables(value, bound)) }));
}

/** `value` with every string value (not mapping keys, which Compose does not interpolate) mapped. */
function mapStrings(value: unknown, map: (text: string) => string): unknown {
  if (typeof value === 'string') return map(value);
  if (Array.isArray(value)) return value.map((item) => mapStrings(item, map));
  if (isMapping(value)) return Object.fromEntries(Object.entries(value).map(([key, item]) => [key, mapStrings(item, map)]));
  return value;
}

/** The two folders of a model: where its references are found, and where its host paths start. */
interface ModelFolders {
  loaderDir: string;
  pathsDir: string;
}

/**
 * One document of a file as Compose sees it before merging: its includes imported, its services'
 * `extends` resolved and every host path marked relative to `pathsDir`.
 */
function prepareDocument(config: Mapping, file: string, document: ParsedYamlDocument, folders: ModelFolders, options: RawLoadOptions): Mapping {
  delete config.version;
  if (config.include !== undefined) importIncludes(config, folders, options);
  if (isMapping(config.services)) {
    const services = config.services;
    for (const name of Object.keys(services)) {
      services[name] = resolveExtends(name, services, file, folders.loaderDir, document.resetPaths, [], options);
    }
    for (const [name, service] of Object.entries(services)) if (isMapping(service)) services[name] = markServicePaths(service, folders.pathsDir, options.lookup);
  }
  for (const section of RESOURCE_SECTIONS) {
    const resources = config[section];
    if (!isMapping(resources)) continue;
    for (const [name, resource] of Object.entries(resources)) {
      if (isMapping(resource)) resources[name] = markResourcePaths(section, resource, folders.pathsDir, options.lookup);
    }
  }
  return config;
}

/**
 * `extends` resolved the way Compose does it: the base (from this file, or from another whose own
 * relative paths start at its folder) merged under the service with Compose's merge rules.
 */
function resolveExtends(
  name: string,
  services: Mapping,
  file: string,
  workingDir: string,
  resetPaths: readonly string[],
  chain: readonly string[],
  options: RawLoadOptions,
): unknown {
  const service = services[name];
  if (!isMapping(service) || service.extends === undefined) return service;
  const link = `${file}#${name}`;
  if (chain.includes(link)) throw inputError(options, file, `services extend each other in a cycle through ${name}`);
  const reference = service.extends;
  const baseName = typeof reference === 'string' ? reference : isMapping(reference) ? String(reference.service) : '';
  const otherFile = isMapping(reference) && typeof reference.file === 'string' ? interpolate(reference.file, options) : undefined;
  let base: unknown;
  if (otherFile === undefined) {
    if (!(baseName in services)) throw inputError(options, file, `service ${name} extends ${baseName}, which this file does not define`);
    base = resolveExtends(baseName, services, file, workingDir, resetPaths, [...chain, link], options);
  } else {
    const baseFile = isAbsolute(otherFile) ? otherFile : resolve(workingDir, otherFile);
    const baseDir = dirname(baseFile);
    const [baseDocument] = parseFile(baseFile, options);
    const baseServices = baseDocument && isMapping(baseDocument.value) && isMapping(baseDocument.value.services) ? structuredClone(baseDocument.value.services) : {};
    if (!(baseName in baseServices)) throw inputError(options, file, `service ${name} extends ${baseName}, which ${display(options, baseFile)} does not define`);
    base = resolveExtends(baseName, baseServices, baseFile, baseDir, baseDocument?.resetPaths ?? [], [...chain, link], options);
    if (isMapping(base)) base = markServicePaths(base, baseDir, options.lookup);
  }
  const own = { ...service };
  delete own.extends;
  if (!isMapping(base)) return own;
  const scoped = { services: { [name]: structuredClone(base) } };
  applyResets(scoped, resetPaths.filter((path) => path.startsWith(`services.${name}.`)));
  return mergeExtendedService(scoped.services[name] ?? {}, own);
}

/**
 * `include:` entries: their files loaded on their own and their resources added to this document,
 * as Compose imports them. The included files' references are found from the include's project
 * directory and their host paths start in the folder Compose resolves them from, both as the
 * engine decides them (`includeFolders`): a `project_directory` that names no folder counts as
 * the folder holding it.
 *
 * A resource this document defines too stays this document's own, as Compose keeps it. Whether the
 * two may both be there is Compose's rule, applied once, by the engine: it compares them as
 * compose-go does (interpolated, the included one's paths relative to this file), and its load of
 * these same files, which runs before this one (runMigration's loadOriginal), refuses the files
 * at this document's line when they differ. Here the values are still as written (`${VAR}`,
 * paths marked), so a second comparison could only disagree with it.
 */
function importIncludes(config: Mapping, { loaderDir, pathsDir }: ModelFolders, options: RawLoadOptions): void {
  const entries = Array.isArray(config.include) ? config.include : [config.include];
  delete config.include;
  for (const entry of entries) {
    const spec = typeof entry === 'string' ? { path: entry } : isMapping(entry) ? entry : {};
    // Compose interpolates include paths (the modular layout selects its environment that way).
    const paths = (Array.isArray(spec.path) ? spec.path : [spec.path]).filter((path): path is string => typeof path === 'string').map((path) => interpolate(path, options));
    const files = paths.map((path) => (isAbsolute(path) ? path : resolve(loaderDir, path)));
    const [main] = files;
    if (main === undefined) continue;
    const written = typeof spec.project_directory === 'string' ? interpolate(spec.project_directory, options) : undefined;
    const folders = includeFolders(main, written, { workingDir: pathsDir, loaderDir });
    const projectDir = resolve(loaderDir, folders.projectDirectory);
    // The env files are found as the engine finds them (from Compose's working directory and the
    // command's folder), so the values written in are the ones the originals were loaded with.
    const composeDir = options.composeWorkingDir ?? pathsDir;
    const composeFolders = includeFolders(main, written, { workingDir: composeDir, loaderDir });
    // A relative base is relative to this model's own paths (compose-go resolves the imported
    // paths again with each including model's working directory), even when it was taken from
    // the loader's folder: they differ below an include whose project_directory names no folder.
    const included = loadRawModel(files, {
      ...options,
      projectDir,
      pathsDir: resolve(pathsDir, folders.pathsBase),
      composeWorkingDir: composeFolders.pathsBase,
      ...includeVariables(spec, composeDir, composeFolders.projectDirectory, options),
    });
    const add = (section: string, resources: Mapping) => {
      const into = isMapping(config[section]) ? config[section] : {};
      for (const [name, value] of Object.entries(resources)) if (!Object.hasOwn(into, name)) into[name] = value;
      config[section] = into;
    };
    add('services', included.services);
    for (const section of RESOURCE_SECTIONS) add(section, included.resources[section]);
  }
}

/**
 * What an include's env files (`env_file`, or the included folder's `.env`) add to the variables
 * of the files it includes: Compose reads them there only, under the project's own variables.
 */
function includeVariables(spec: Mapping, workingDir: string, projectDir: string, options: RawLoadOptions): Pick<RawLoadOptions, 'lookup' | 'bound'> {
  const listed = (Array.isArray(spec.env_file) ? spec.env_file : [spec.env_file]).filter((path): path is string => typeof path === 'string').map((path) => interpolate(path, options));
  let envFiles: string[];
  try {
    envFiles = includeEnvFiles(listed, workingDir, projectDir, options.cwd);
  } catch (error) {
    throw inputError(options, workingDir, (error as Error).message);
  }
  const outer = options.lookup;
  const added = new Map([...parseDotenvFiles(envFiles, { get: outer })].filter(([name]) => outer(name) === undefined));
  if (added.size === 0) return { lookup: outer, bound: options.bound };
  const bound = new Map([...(options.bound ?? []), ...added]);
  return { lookup: (name) => outer(name) ?? added.get(name), bound };
}

/** Every host path of a service marked relative to `dir`. */
export function markServicePaths(service: Mapping, dir: string, lookup: VariableLookup): Mapping {
  const out = { ...service };
  const path = (value: unknown) => (typeof value === 'string' ? markPath(dir, value, lookup) : value);
  const context = (value: unknown) => (typeof value === 'string' ? markContext(dir, value, lookup) : value);
  if (typeof out.build === 'string') out.build = context(out.build);
  else if (isMapping(out.build)) {
    const build = { ...out.build };
    if (build.context !== undefined) build.context = context(build.context);
    if (isMapping(build.additional_contexts)) {
      build.additional_contexts = Object.fromEntries(Object.entries(build.additional_contexts).map(([key, value]) => [key, context(value)]));
    } else if (Array.isArray(build.additional_contexts)) {
      build.additional_contexts = build.additional_contexts.map((entry: unknown) => {
        const text = String(entry);
        const equals = text.indexOf('=');
        return equals < 0 ? text : `${text.slice(0, equals + 1)}${context(text.slice(equals + 1)) as string}`;
      });
    }
    out.build = build;
  }
  for (const key of ['env_file', 'label_file']) {
    const value = out[key];
    if (typeof value === 'string') out[key] = path(value);
    else if (Array.isArray(value)) out[key] = value.map((entry: unknown) => (isMapping(entry) ? { ...entry, path: path(entry.path) } : path(entry)));
  }
  if (Array.isArray(out.volumes)) {
    out.volumes = out.volumes.map((volume: unknown) => {
      if (typeof volume === 'string') return markVolumeSpec(dir, volume, lookup);
      if (isMapping(volume) && volume.type === 'bind' && typeof volume.source === 'string') return { ...volume, source: path(volume.source) };
      return volume;
    });
  }
  if (isMapping(out.develop) && Array.isArray(out.develop.watch)) {
    out.develop = {
      ...out.develop,
      watch: out.develop.watch.map((rule: unknown) => (isMapping(rule) && typeof rule.path === 'string' ? { ...rule, path: path(rule.path) } : rule)),
    };
  }
  return out;
}

/** The host paths of a top-level resource (a secret's or config's file, a local bind volume's device). */
function markResourcePaths(section: ResourceSection, resource: Mapping, dir: string, lookup: VariableLookup): Mapping {
  const out = { ...resource };
  if ((section === 'secrets' || section === 'configs') && typeof out.file === 'string') out.file = markPath(dir, out.file, lookup);
  if (section === 'volumes' && out.driver === 'local' && isMapping(out.driver_opts) && out.driver_opts.o === 'bind') {
    const device = out.driver_opts.device;
    if (typeof device === 'string') out.driver_opts = { ...out.driver_opts, device: markPath(dir, device, lookup) };
  }
  return out;
}

/**
 * A service defined again by a later file of the same environment. What the later file only adds
 * (a key, a variable, a mount) is layering; what it changes (something the earlier file set is not
 * in the merged result) is an override. Compose merges it silently; migrate says how Compose
 * merges it and stops, unless told the overrides are meant.
 */
/** A file of an environment, with where each of its keys is written. */
interface LaterFile {
  file: string;
  positions: ReadonlyMap<string, { line: number; column: number }>;
}

function checkOverride(name: string, earlier: Mapping, later: Mapping, { file, positions }: LaterFile, model: RawModel, options: RawLoadOptions): void {
  const before = toNormalForm(earlier);
  const after = toNormalForm(later);
  const merged = toNormalForm(mergeExtendedService(structuredClone(earlier), structuredClone(later)));
  const changed = Object.keys(after).filter((key) => key in before && !contained(before[key], merged[key]));
  if (changed.length === 0) return;
  const previous = model.definedIn[name]?.at(-1) ?? '';
  // Named down to what changed (`environment.SMTP_USER`, the one mount replaced), not the whole
  // section: the line has to fit a terminal when the section is fifty variables long.
  const [first, ...others] = changed.flatMap((key) => changedParts([key], before[key], after[key], merged[key]));
  // Where the later file sets it: the deepest key of the path written there (a list form of
  // `environment` has no key per variable, so the section's line).
  const keys = ['services', name, ...(first?.keys ?? [changed[0] ?? ''])];
  const at = keys.map((_key, index) => positions.get(treePath(keys.slice(0, keys.length - index)))).find((position) => position !== undefined);
  const line =
    `${options.label}: ${display(options, file)}${at ? `:${at.line}:${at.column}` : ''}: service ${name} is defined in ${display(options, previous)} and ${display(options, file)} with a different ${first?.text ?? changed[0]}` +
    (others.length > 0 ? ` (also ${others.map((part) => part.path).join(', ')})` : '');
  if (!options.acceptOverrides) {
    throw new StackError(STACK_ERROR_CODES.MIGRATE_CONFLICT, `${line}; make the files agree, or pass --accept-overrides if the later file is meant to override`);
  }
  model.overrides.push(line);
}

interface ChangedPart {
  /** `environment.SMTP_USER`, `volumes` ... */
  path: string;
  /** The same path as keys (`['environment', 'SMTP_USER']`). */
  keys: string[];
  /** The path, the earlier value, the later one and what Compose makes of them. */
  text: string;
}

/** Where under `path` the later file changed what the earlier one set, descending into mappings. */
function changedParts(keys: string[], before: unknown, after: unknown, merged: unknown): ChangedPart[] {
  if (isMapping(before) && isMapping(merged)) {
    return Object.keys(before)
      .filter((key) => !contained(before[key], merged[key]))
      .flatMap((key) => changedParts([...keys, key], before[key], isMapping(after) ? after[key] : undefined, merged[key]));
  }
  const path = keys.join('.');
  if (Array.isArray(before) && Array.isArray(merged)) {
    // Compose merges lists item by item (mounts by target, ports ...): name the items replaced.
    const lost = before.filter((item) => !merged.some((other) => isDeepStrictEqual(item, other)));
    const gained = merged.filter((item) => !before.some((other) => isDeepStrictEqual(item, other)));
    return [{ path, keys, text: `${path} (Compose merges them, replacing ${lost.map(show).join(', ')} by ${gained.length > 0 ? gained.map(show).join(', ') : 'nothing'})` }];
  }
  const how = isDeepStrictEqual(merged, after) ? 'the later file wins' : 'Compose merges them';
  return [{ path, keys, text: `${path} (${show(before)} and ${show(after)}); ${how}: ${path} ${show(merged)}` }];
}

/** True when everything `earlier` sets is still in `merged` (the later file only added to it). */
function contained(earlier: unknown, merged: unknown): boolean {
  if (isDeepStrictEqual(earlier, merged)) return true;
  // The merge turns `PORT: 9999` into the string Compose passes on: the same value.
  if (isScalar(earlier) && isScalar(merged)) return String(earlier) === String(merged);
  if (isMapping(earlier) && isMapping(merged)) return Object.keys(earlier).every((key) => key in merged && contained(earlier[key], merged[key]));
  if (Array.isArray(earlier) && Array.isArray(merged)) return earlier.every((item) => merged.some((other) => isDeepStrictEqual(item, other)));
  return false;
}

const isScalar = (value: unknown): boolean => ['string', 'number', 'boolean'].includes(typeof value);

/** A path Compose interpolates before using it (include, extends.file). */
function interpolate(text: string, options: RawLoadOptions): string {
  try {
    return substitute(text, options.lookup);
  } catch {
    return text;
  }
}

/** A value for a one-line message: JSON, cut short when long (a whole script, a fifty-line mapping). */
function show(value: unknown): string {
  const text = JSON.stringify(value, (_key, item: unknown) => (typeof item === 'string' ? withoutMarks(item) : item)) ?? 'nothing';
  return text.length > 120 ? `${text.slice(0, 117)}...` : text;
}

function display(options: RawLoadOptions, file: string): string {
  const path = relative(options.displayRoot, file);
  return path.startsWith('..') ? file : path;
}

function inputError(options: RawLoadOptions, file: string, reason: string): StackError {
  return new StackError(STACK_ERROR_CODES.MIGRATE_INPUT, `${options.label}: ${display(options, file)}: ${reason}`);
}
