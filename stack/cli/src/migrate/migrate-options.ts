import { existsSync } from 'node:fs';
import { dirname, isAbsolute, relative, resolve, sep } from 'node:path';
import { UsageError } from '../errors.js';

/** One environment as its files are used today: `docker compose -f A -f B [--env-file E ...]`. */
export interface SourceEnvironment {
  name: string;
  /** Absolute, in `-f` order. */
  files: string[];
  /** Compose's project directory for these files: `--project-directory`, else the first file's folder. */
  projectDir: string;
  /**
   * Each `--env-file NAME=PATH`, absolute, in command-line order (Compose reads them into one map,
   * a later file winning); none: Compose reads `<projectDir>/.env` when it exists.
   */
  envFiles: string[];
}

/** An optional group (`--optional monitoring=FILES`): services started with a profile of that name. */
export interface OptionalGroup {
  name: string;
  files: string[];
}

export interface MigrateRequest {
  environments: SourceEnvironment[];
  groups: OptionalGroup[];
  /** Where compose.yaml and docker-compose/ go (absolute); inside the project directory. */
  outDir: string;
  /**
   * The folder holding the new tree and every environment's project directory (the first one's,
   * unless the environments sit in sibling folders or --out is above them): messages name paths
   * from here, and the proof mirrors it.
   */
  projectDir: string;
  /** Where the command runs: the plan's heading names the output folder from here. */
  cwd: string;
  projectName?: string;
  write: boolean;
  force: boolean;
  acceptOverrides: boolean;
}

/** Environment and group names become file names: `docker-compose.<name>.yml`. */
const NAME_PATTERN = /^[a-z0-9]+(?:-[a-z0-9]+)*$/;

export interface MigrateArguments {
  env: string[];
  envFile: string[];
  /** `--dotenv NAME=FILE`, the spelling of `--env-file NAME=FILE` that Node 20 lets through. */
  dotenv?: string[];
  optional: string[];
  out?: string;
  write: boolean;
  force: boolean;
  acceptOverrides: boolean;
  projectDirectory?: string;
  projectName?: string;
}

/** Reads and checks migrate's command line; every mistake is a one-line UsageError. */
export function parseMigrateRequest(args: MigrateArguments, cwd: string): MigrateRequest {
  if (args.env.length === 0) {
    throw new UsageError('migrate needs at least one --env NAME=FILE[,FILE...] (each environment as its files are used today)');
  }
  const absolute = (path: string) => (isAbsolute(path) ? path : resolve(cwd, path));
  const projectDirectory = args.projectDirectory === undefined ? undefined : absolute(args.projectDirectory);
  const environments: SourceEnvironment[] = args.env.map((value) => {
    const { name, files } = nameAndFiles(value, '--env');
    return { name, files: files.map(absolute), projectDir: projectDirectory ?? dirname(absolute(files[0] ?? '.')), envFiles: [] };
  });
  const seen = new Set<string>();
  for (const environment of environments) {
    if (seen.has(environment.name)) throw new UsageError(`--env ${environment.name} is given twice`);
    seen.add(environment.name);
  }
  const spelledBy = new Map<string, string>();
  for (const [flag, values] of [
    ['--env-file', args.envFile],
    ['--dotenv', args.dotenv ?? []],
  ] as const) {
    for (const value of values) {
      const { name, file } = envFileArgument(value);
      const environment = environments.find((candidate) => candidate.name === name);
      if (!environment) throw new UsageError(`${flag} ${value}: no --env defines an environment ${name}`);
      // The order of an environment's env files is Compose's order (a later one wins), and the
      // command line reaches migrate as one list per flag: the two spellings cannot be interleaved.
      const other = spelledBy.get(name);
      if (other !== undefined && other !== flag) {
        throw new UsageError(`${name} is given env files with both --env-file and --dotenv: give them all with one of the two, in the order Compose reads them`);
      }
      spelledBy.set(name, flag);
      const path = absolute(file);
      if (!existsSync(path)) throw new UsageError(`${flag} ${value}: ${path} does not exist`);
      environment.envFiles.push(path);
    }
  }
  const groups = args.optional.map((value) => {
    const { name, files } = nameAndFiles(value, '--optional');
    if (seen.has(name)) throw new UsageError(`--optional ${name}: the name is already an environment or a group`);
    if (name === 'infra') throw new UsageError('--optional infra: the name is taken by docker-compose/infrastructure/docker-compose.infra.yml');
    seen.add(name);
    return { name, files: files.map(absolute) };
  });
  const firstProject = environments[0]?.projectDir ?? cwd;
  // Run from above the project (`--env prod=docker/docker-compose.yml` at the repository root),
  // the tree goes beside the files it comes from; environments in sibling folders
  // (single-node/, multi-node/) share the folder that holds them both.
  const shared = commonFolder(environments.map((environment) => environment.projectDir));
  const outDir = absolute(args.out ?? (isInside(cwd, firstProject) ? '.' : isInside(shared, cwd) ? shared : firstProject));
  // Paths are carried as absolute paths and rebased for their new file, so the tree may sit above
  // the project folders too; only a folder sharing nothing with them makes no project.
  const projectDir = commonFolder([outDir, ...environments.map((environment) => environment.projectDir)]);
  if (dirname(projectDir) === projectDir) {
    throw new UsageError(`--out ${outDir} shares no folder with the project directory ${firstProject}: put the new tree in it or in a folder above it`);
  }
  return {
    environments,
    groups,
    outDir,
    projectDir,
    cwd,
    projectName: args.projectName,
    write: args.write,
    force: args.force,
    acceptOverrides: args.acceptOverrides,
  };
}

/** The deepest folder holding every one of `dirs` (absolute). */
function commonFolder(dirs: readonly string[]): string {
  let common = dirs[0] ?? sep;
  for (const dir of dirs.slice(1)) while (!isInside(dir, common)) common = dirname(common);
  return common;
}

function isInside(path: string, dir: string): boolean {
  const fromDir = relative(dir, path);
  return !fromDir.startsWith('..') && !isAbsolute(fromDir);
}

/**
 * `NAME=FILE`, or a file named `.env.NAME` (or `NAME.env`) alone. The second form exists because
 * Node 20 itself reads every `--env-file` on the command line and stops when its value is not a
 * file, so `--env-file production=.env.production` never reaches stack there.
 */
function envFileArgument(value: string): { name: string; file: string } {
  const equals = value.indexOf('=');
  if (equals > 0 && equals < value.length - 1) return { name: value.slice(0, equals), file: value.slice(equals + 1) };
  const named = /(?:^|[\\/])(?:\.env\.([a-z0-9-]+)|([a-z0-9-]+)\.env)$/.exec(value);
  const name = named?.[1] ?? named?.[2];
  if (!name) throw new UsageError(`--env-file takes NAME=FILE, or a file named .env.NAME (got ${JSON.stringify(value)})`);
  return { name, file: value };
}

function nameAndFiles(value: string, flag: string): { name: string; files: string[] } {
  const equals = value.indexOf('=');
  if (equals < 0) throw new UsageError(`${flag} takes NAME=FILE[,FILE...] (got ${JSON.stringify(value)}: no =)`);
  const name = value.slice(0, equals);
  const files = value
    .slice(equals + 1)
    .split(',')
    .map((file) => file.trim())
    .filter((file) => file !== '');
  if (!NAME_PATTERN.test(name)) throw new UsageError(`${flag} ${JSON.stringify(name)}: use lower case letters, digits and - (it names a file)`);
  if (files.length === 0) throw new UsageError(`${flag} ${name}= names no file`);
  return { name, files };
}
