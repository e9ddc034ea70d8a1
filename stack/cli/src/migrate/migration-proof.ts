import { existsSync, mkdirSync, mkdtempSync, readdirSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, parse, relative, sep } from 'node:path';
import { loadProjectSync, toComposeJson } from '@codiesvibe/compose';
import { diffModels, type ModelDifference } from '../diff/model-diff.js';
import type { MigrateRequest, SourceEnvironment } from './migrate-options.js';
import type { DroppedExtension } from './plan-tree.js';

/** A file of the new tree, rendered. */
export interface RenderedFile {
  path: string;
  content: string;
  mode?: number;
}

/** One line of the proof: an environment (with optional groups on or off) and how its models compare. */
export interface ProofRow {
  environment: string;
  /** The profiles enabled on both sides. */
  profiles: string[];
  /** Services in the original model. */
  services: number;
  differences: ModelDifference[];
  /** The new tree does not load (a bug of migrate, or something it cannot express). */
  error?: string;
}

/**
 * The new tree in a scratch folder that looks like the project: every other entry of the project,
 * and of every folder above it up to the file system's root, is a symbolic link to the real one, so
 * env files, extends bases and paths that climb out of the project any number of levels
 * (`../../docs`) read the real files while nothing is written in the project. The scratch copy of
 * a folder is the scratch root joined with its absolute path, so paths the engine prints from there
 * map back by dropping that prefix.
 */
export class ScratchTree {
  readonly root: string;
  readonly projectDir: string;
  /** The scratch copy of the file system's root. */
  private readonly mirrorRoot: string;
  private readonly fsRoot: string;

  private constructor(
    private readonly realProjectDir: string,
    private readonly scratch: string,
  ) {
    this.root = scratch;
    this.fsRoot = parse(realProjectDir).root;
    this.mirrorRoot = join(scratch, 'root');
    this.projectDir = this.toScratch(realProjectDir);
  }

  /**
   * Lays out `files` over a mirror of `projectDir`. `ownedDirs` are generated whole: a real one (a
   * previous run's docker-compose/) must not show through.
   */
  static create(projectDir: string, files: readonly RenderedFile[], ownedDirs: readonly string[]): ScratchTree {
    const tree = new ScratchTree(projectDir, mkdtempSync(join(tmpdir(), 'stack-migrate-')));
    const owned = [...files.map((file) => file.path), ...ownedDirs];
    mkdirSync(tree.projectDir, { recursive: true });
    for (let inner = projectDir, dir = dirname(projectDir); dir !== inner; inner = dir, dir = dirname(dir)) {
      mirror(dir, tree.toScratch(dir), [inner]);
    }
    mirror(projectDir, tree.projectDir, owned);
    for (const file of files) {
      const target = tree.toScratch(file.path);
      mkdirSync(dirname(target), { recursive: true });
      writeFileSync(target, file.content);
    }
    return tree;
  }

  /** Where `path` (absolute, anywhere) is in the scratch tree. */
  toScratch(path: string): string {
    return join(this.mirrorRoot, relative(this.fsRoot, path));
  }

  /** `text` with every scratch path in it named by its real path (for messages). */
  realText(text: string): string {
    return text.split(`${this.mirrorRoot}${sep}`).join(this.fsRoot).split(this.mirrorRoot).join(this.fsRoot);
  }

  /** Every string of `value` naming a scratch path, named by its real path instead. */
  toReal<T>(value: T): T {
    const map = (text: string): string => (text === this.mirrorRoot || text.startsWith(`${this.mirrorRoot}${sep}`) ? this.realText(text) : text);
    const walk = (item: unknown): unknown => {
      if (typeof item === 'string') return map(item);
      if (Array.isArray(item)) return item.map(walk);
      if (typeof item === 'object' && item !== null) return Object.fromEntries(Object.entries(item).map(([key, inner]) => [key, walk(inner)]));
      return item;
    };
    return walk(value) as T;
  }

  remove(): void {
    rmSync(this.scratch, { recursive: true, force: true });
  }
}

/** Links every entry of `real` into `copy`, except `owned` paths; folders holding one are mirrored. */
function mirror(real: string, copy: string, owned: readonly string[]): void {
  let entries: string[];
  try {
    entries = readdirSync(real);
  } catch {
    return;
  }
  for (const entry of entries) {
    const path = join(real, entry);
    if (owned.includes(path)) continue;
    if (owned.some((inner) => inner.startsWith(`${path}${sep}`))) {
      mkdirSync(join(copy, entry), { recursive: true });
      mirror(path, join(copy, entry), owned);
    } else if (!existsSync(join(copy, entry))) symlinkSync(path, join(copy, entry));
  }
}

export interface ProofInput {
  request: MigrateRequest;
  /**
   * The project name the originals are loaded with: -p's, or the shell's COMPOSE_PROJECT_NAME. The
   * new tree is loaded with -p's only, so a name it must hold itself is proven there.
   */
  originalName?: string;
  /** Profiles the originals use (optional groups aside): enabled on both sides so every service is compared. */
  profiles: string[];
  /** Where the new tree's compose.yaml and env files are (the scratch copy, or the written tree). */
  outDir: string;
  /**
   * The files plain `docker compose --env-file .env.<env>` loads in `outDir`: compose.yaml and an
   * override file beside it, or the COMPOSE_FILE list of that env file.
   */
  entryFiles: (environment: string) => string[];
  /** Where an original file is now (migrate sets some aside on --write); the same path by default. */
  originalPath?: (path: string) => string;
  /** Maps paths printed from `outDir`'s tree to the project's. */
  toReal: <T>(value: T) => T;
  /** The shell's variables, without those that would steer either side (COMPOSE_*, the selector). */
  env: Record<string, string | undefined>;
  selector: string;
  /** Service → optional group: their `profiles` is the one intended change. */
  groupServices: ReadonlyMap<string, string>;
  /** Top-level x- fields left out of the new tree on purpose. */
  droppedExtensions: readonly DroppedExtension[];
  /** Called as each environment's proof starts (for progress on a terminal). */
  onEnvironment?: (name: string, index: number) => void;
}

/**
 * For every environment, the engine's resolved model of the new tree against the original files'
 * model with the same variables; again with the optional groups' files and profiles when there are
 * groups. The project name is each side's own (unless -p names it), so an environment that would
 * change names (and with it its containers' and volumes') is a difference.
 */
export function proveMigration(input: ProofInput): ProofRow[] {
  const groups = input.request.groups;
  const rows: ProofRow[] = [];
  const groupFiles = groups.flatMap((group) => group.files);
  const groupProfiles = groups.map((group) => group.name);
  for (const [index, environment] of input.request.environments.entries()) {
    input.onEnvironment?.(environment.name, index);
    const together = proveOne(input, environment, [], input.profiles);
    // Profiles that exclude each other (the same container_name behind `cpu` and `gpu`) do not
    // load together, in Compose either: then each is proven on its own, and none at all.
    const alone = 'unloadable' in together && input.profiles.length > 1 ? [[], ...input.profiles.map((profile) => [profile])] : undefined;
    rows.push(...(alone ? alone.map((profiles) => rowOf(proveOne(input, environment, [], profiles))) : [rowOf(together)]));
    if (groups.length > 0) {
      const sets = alone ? [groupProfiles, ...input.profiles.map((profile) => [profile, ...groupProfiles])] : [[...input.profiles, ...groupProfiles]];
      rows.push(...sets.map((profiles) => rowOf(proveOne(input, environment, groupFiles, profiles))));
    }
  }
  return rows;
}

/** The originals themselves do not load with these profiles: the engine's line, as a row. */
interface Unloadable {
  unloadable: ProofRow;
}

function rowOf(result: ProofRow | Unloadable): ProofRow {
  return 'unloadable' in result ? result.unloadable : result;
}

function proveOne(input: ProofInput, environment: SourceEnvironment, groupFiles: string[], profiles: string[]): ProofRow | Unloadable {
  const env = Object.fromEntries(Object.entries(input.env).filter(([key]) => !key.startsWith('COMPOSE_') && key !== input.selector));
  const quiet = () => undefined;
  let original;
  try {
    original = loadProjectSync({
      cwd: input.request.cwd,
      projectDirectory: environment.projectDir,
      files: [...environment.files, ...groupFiles].map(input.originalPath ?? ((path) => path)),
      envFiles: environment.envFiles.length > 0 ? environment.envFiles : undefined,
      projectName: input.originalName ?? input.request.projectName,
      profiles,
      env,
      onWarning: quiet,
    }).project;
  } catch (error) {
    const message = (error as { format?: () => string }).format?.() ?? (error as Error).message;
    return { unloadable: { environment: environment.name, profiles, services: 0, differences: [], error: `the original files do not load with these profiles: ${message}` } };
  }
  const row: ProofRow = { environment: environment.name, profiles, services: Object.keys(original.services).length, differences: [] };
  let migrated;
  try {
    migrated = loadProjectSync({
      cwd: input.outDir,
      files: input.entryFiles(environment.name),
      envFiles: [join(input.outDir, `.env.${environment.name}`)],
      projectName: input.request.projectName,
      profiles,
      env,
      onWarning: quiet,
    }).project;
  } catch (error) {
    row.error = (error as { format?: () => string }).format?.() ?? (error as Error).message;
    return row;
  }
  const left = JSON.parse(toComposeJson(original)) as Record<string, unknown>;
  const right = input.toReal(JSON.parse(toComposeJson(migrated)) as Record<string, unknown>);
  row.differences = diffModels(left, right).filter((difference) => !intended(difference, input, groupFiles.length > 0));
  return row;
}

/** The differences migrate makes on purpose: a group's profile, and a group's x- fields Compose ignores. */
function intended(difference: ModelDifference, input: ProofInput, withGroups: boolean): boolean {
  const [section, name, key] = difference.path;
  if (section !== undefined && difference.path.length === 1 && input.droppedExtensions.some((dropped) => dropped.name === section)) return true;
  return withGroups && section === 'services' && key === 'profiles' && difference.path.length === 3 && input.groupServices.has(name ?? '');
}
