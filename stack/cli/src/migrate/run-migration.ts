import { existsSync, readFileSync } from 'node:fs';
import { dirname, join, relative } from 'node:path';
import { loadProjectSync, type Project } from '@codiesvibe/compose';
import type { CommandIo } from '../cli/command.js';
import type { GlobalOptions } from '../cli/global-options.js';
import { STACK_ERROR_CODES, StackError } from '../errors.js';
import { readStackSettings } from '../settings/stack-settings.js';
import { formatReportText } from '../validate/format-findings.js';
import { environmentLoader } from '../validate/load-environment.js';
import { runValidation, type ValidationReport } from '../validate/run-validation.js';
import { chooseSelector, envFilesProjectName, planEnvFiles, sourceEnvFiles, type PlannedEnvFile } from './env-files.js';
import type { MigrateRequest } from './migrate-options.js';
import { entryFiles, findFilesInTheWay, pathAfterSetAside, readSetAsideOriginals, type FilesInTheWay, type SetAsideFile } from './set-aside-files.js';
import { proveMigration, ScratchTree, type ProofRow, type RenderedFile } from './migration-proof.js';
import { planTree, selectorVariable, type TreePlan } from './plan-tree.js';
import { loadRawModel, type RawModel } from './raw-compose.js';
import { renderComposeYaml } from './render-yaml.js';
import { variableKeyExplanations } from './variable-keys.js';
import { writeAllOrNothing } from '../files/write-transaction.js';

/** What a file of the plan does to the disk. */
export type FileAction = 'create' | 'unchanged' | 'append' | 'overwrite';

export interface PlannedWrite extends RenderedFile {
  action: FileAction;
  /** One line for the plan's listing. */
  describe: string;
}

export interface MigrationResult {
  plan: TreePlan;
  files: PlannedWrite[];
  envFiles: PlannedEnvFile[];
  proof: ProofRow[];
  /** `stack validate` on the new tree, as text with paths from the output folder. */
  validation: { report: ValidationReport; text: string } | { error: string };
  /** Overrides between files accepted with --accept-overrides. */
  overrides: string[];
  /** Files that exist with other content and would need --force. */
  blocked: string[];
  /** Host paths holding a variable, rebased on the assumption that the variable stays relative. */
  variablePaths: string[];
  /** Why the proof cannot pass as planned, when migrate knows (one line each). */
  explanations: string[];
  /** Migrated files in the new compose.yaml's way (set aside by --write), and a foreign override file. */
  inTheWay: FilesInTheWay;
  /** Migrated files an earlier --write set aside, read where they are now (`from` → `to`). */
  readFromSetAside: SetAsideFile[];
  written: boolean;
}

/**
 * Migrates the monolithic files of `request`: loads every environment as it is used today (the
 * engine says which file does not load and why), plans the modular tree, renders it, proves it in a
 * scratch copy of the project, runs `stack validate` there, and writes it when asked, everything
 * equal, and nothing overwritten without --force: all of it or, when a file cannot be written,
 * nothing.
 */
export function runMigration(given: MigrateRequest, globals: GlobalOptions, io: CommandIo, progress: (step: string) => void = () => undefined): MigrationResult {
  const { request, readFromSetAside } = readSetAsideOriginals(given);
  const env = Object.fromEntries(Object.entries(io.env).filter(([key]) => !key.startsWith('COMPOSE_')));
  // The shell's other COMPOSE_* variables would steer both sides alike (which files, which
  // profiles), but its project name is part of what the originals are: Compose takes it before
  // the files' `name:` and the folder's, and the tree must keep it, or its containers and volumes
  // would change names. The new tree holds it itself and is proven without it.
  const shellProjectName = request.projectName === undefined ? io.env.COMPOSE_PROJECT_NAME || undefined : undefined;
  const originalName = request.projectName ?? shellProjectName;
  const count = request.environments.length;
  const originals = request.environments.map((environment, index) => {
    progress(`loading ${environment.name} (${index + 1}/${count})`);
    return { environment, project: loadOriginal(request, environment.name, env, originalName) };
  });
  const [first] = originals;
  if (!first) throw new StackError(STACK_ERROR_CODES.MIGRATE_INPUT, 'no environment to migrate');
  const projectName = request.projectName ?? first.project.name;
  if (request.groups.length > 0) loadOriginal(request, first.environment.name, env, originalName, true);

  const groupNames = new Set(request.groups.map((group) => group.name));
  const profiles = [...new Set(originals.flatMap(({ project }) => usedProfiles(project)))].filter((name) => !groupNames.has(name)).sort();
  const lookupOf = (project: Project) => (name: string) => project.environment[name];

  const overrides: string[] = [];
  const rawOf = (files: readonly string[], project: Project, projectDir: string, label: string): RawModel => {
    const raw = loadRawModel(files, { projectDir, lookup: lookupOf(project), acceptOverrides: request.acceptOverrides, label, displayRoot: request.projectDir, cwd: request.cwd });
    overrides.push(...raw.overrides);
    return raw;
  };
  const environments = new Map(originals.map(({ environment, project }) => [environment.name, rawOf(environment.files, project, environment.projectDir, environment.name)]));
  const groups = new Map(request.groups.map((group) => [group.name, rawOf(group.files, first.project, first.environment.projectDir, `optional ${group.name}`)]));

  progress('planning the tree');
  const selector = chooseSelector(request.environments, selectorVariable(projectName));
  // The headers name the files as the command gave them, so a second run writes the same bytes.
  const plan = planTree({ request: given, projectName, selector, environments, groups, envFileShared: envFilesServicesRead(request, [...environments.values()]) });
  // Environments whose files name another project than the first one's keep their own name.
  const projectNames = new Map(request.projectName ? [] : originals.filter(({ project }) => project.name !== projectName).map(({ environment, project }) => [environment.name, project.name]));
  // A name taken from the shell beat the env file's COMPOSE_PROJECT_NAME, which the tree's copy of
  // that file would otherwise bring back.
  if (shellProjectName !== undefined) {
    for (const environment of request.environments) {
      const named = envFilesProjectName(environment);
      if (named !== undefined && named !== shellProjectName) projectNames.set(environment.name, shellProjectName);
    }
  }
  const envFiles = planEnvFiles(request.environments, request.outDir, plan.selector, projectNames, plan.extensionFiles);
  const inputs = new Set([...request.environments.flatMap((environment) => environment.files), ...request.groups.flatMap((group) => group.files)]);
  const inTheWay = findFilesInTheWay(request.outDir, inputs);
  const movedAway = new Set(inTheWay.setAside.map((file) => file.from));
  const staying = new Set([...inputs].filter((path) => !movedAway.has(path)));
  const files: PlannedWrite[] = [
    ...plan.composeFiles.map((file) => planWrite({ path: file.path, content: renderComposeYaml(file.document, file.header, file.path) }, describeCompose(plan, file, shellProjectName !== undefined), staying, movedAway)),
    ...envFiles.map((file) => planWrite({ path: file.path, content: file.content, mode: file.mode }, describeEnvFile(file, request.projectDir, plan.selector), staying, movedAway, file.appendsToSource)),
  ];
  const blocked = files.filter((file) => file.action === 'overwrite').map((file) => file.path);

  const layoutDir = join(request.outDir, 'docker-compose');
  // The scratch tree is the project as it will be: the files set aside are not in it.
  const scratch = ScratchTree.create(request.projectDir, files, [layoutDir, ...movedAway]);
  let proof: ProofRow[];
  let validation: MigrationResult['validation'];
  try {
    const scratchOut = scratch.toScratch(request.outDir);
    const scratchEntry = (environment: string) => treeEntryFiles(plan, environment, inTheWay).map((path) => scratch.toScratch(path));
    const proving = (name: string, index: number) => progress(`proving ${name} (${index + 1}/${count})`);
    proof = proveMigration({ request, originalName, profiles, outDir: scratchOut, entryFiles: scratchEntry, toReal: (value) => scratch.toReal(value), env, selector: plan.selector, groupServices: plan.groupServices, droppedExtensions: plan.droppedExtensions, onEnvironment: proving });
    // A tree that does not load is reported with the engine's line: name the project's files in it.
    proof = proof.map((row) => (row.error === undefined ? row : { ...row, error: scratch.realText(row.error) }));
    progress('running stack validate on the new tree');
    validation = validateTree(scratchOut, request, globals, io, env);
    if (!('error' in validation)) validation.text = scratch.realText(validation.text);
  } finally {
    scratch.remove();
  }

  const equal = proof.every((row) => !row.error && row.differences.length === 0);
  let written = false;
  if (request.write && equal && (blocked.length === 0 || request.force)) {
    // All or nothing: a failure midway puts back every file as it was, and says so in one line.
    writeAllOrNothing({ moves: inTheWay.setAside, files: files.filter((file) => file.action !== 'unchanged') }, (path) => relative(request.projectDir, path));
    written = true;
    // The same proof on the files as written, so what is on disk is what was proven; the
    // originals set aside are read under their new names.
    proof = proveMigration({
      request,
      originalName,
      profiles,
      outDir: request.outDir,
      entryFiles: (environment) => treeEntryFiles(plan, environment, inTheWay),
      originalPath: pathAfterSetAside(inTheWay),
      toReal: (value) => value,
      env,
      selector: plan.selector,
      groupServices: plan.groupServices,
      droppedExtensions: plan.droppedExtensions,
      onEnvironment: (name, index) => progress(`proving ${name} as written (${index + 1}/${count})`),
    });
  }
  const explanations = [...selectorLeaks(request, envFiles, [...environments.values()], plan.selector), ...variableKeyExplanations(plan.composeFiles, request.projectDir)];
  if (inTheWay.foreignOverride && proof.some((row) => row.differences.length > 0)) {
    explanations.push(
      `plain \`docker compose\` also loads ${relative(request.projectDir, inTheWay.foreignOverride)} on top of compose.yaml here, and so does the proof: migrate it with the other files of the environment (add it to --env), or move it away`,
    );
  }
  const variablePaths = [...new Set(files.flatMap((file) => [...file.content.matchAll(/(?:\.\.\/)+\$\{[^}]+\}[^\s:"']*/g)].map((match) => match[0])))];
  return { plan, files, envFiles, proof, validation, overrides, blocked, written, variablePaths, explanations, inTheWay, readFromSetAside };
}

/**
 * Environments whose `.env.<env>` is the very file their services read through `env_file` (migrate
 * appends to it): a line added there reaches the containers too.
 */
function envFilesServicesRead(request: MigrateRequest, models: readonly RawModel[]): Set<string> {
  const shared = new Set<string>();
  for (const environment of request.environments) {
    const [source] = sourceEnvFiles(environment);
    if (source !== join(request.outDir, `.env.${environment.name}`)) continue;
    const quoted = JSON.stringify(source).slice(1, -1);
    if (models.some((model) => Object.values(model.services).some((service) => JSON.stringify(service.env_file ?? []).includes(quoted)))) shared.add(environment.name);
  }
  return shared;
}

/**
 * An env file of the new tree that services also read through `env_file`: one that gets the
 * selector line (they would see the selector too), or one that takes the place of theirs. Either
 * way the models cannot be equal; said in words, with the way out.
 */
function selectorLeaks(request: MigrateRequest, envFiles: readonly PlannedEnvFile[], models: readonly RawModel[], selector: string): string[] {
  const lines: string[] = [];
  const readersOf = (path: string) =>
    models.flatMap((model) =>
      Object.entries(model.services)
        .filter(([, service]) => JSON.stringify(service.env_file ?? []).includes(path.replaceAll('\\', '\\\\')))
        .map(([name]) => name),
    );
  for (const file of envFiles) {
    // A service's own env_file named like the tree's env file (mastodon's .env.production): the
    // tree would replace what the containers read, which no flag of migrate can make equal.
    const clashing = file.appendsToSource ? [] : readersOf(file.path);
    if (clashing.length > 0) {
      lines.push(
        `${[...new Set(clashing)].join(', ')} read ${relative(request.projectDir, file.path)} through env_file, and the new tree selects ${file.environment} with a file of that name: give the tree a folder of its own (--out deploy), or rename their env_file`,
      );
      continue;
    }
    if (!file.appendsToSource || file.content === readFileSync(file.path, 'utf8')) continue;
    const readers = readersOf(file.path);
    if (readers.length > 0) {
      lines.push(
        `${[...new Set(readers)].join(', ')} read ${relative(dirname(file.path), file.path)} through env_file, so the ${selector}=${file.environment} line migrate adds would reach them: set a variable to the environment's name in every env file (e.g. APP_ENV=${file.environment}) and migrate selects environments with it`,
      );
    }
  }
  return lines;
}

/** The files `docker compose --env-file .env.<environment>` loads from the new tree (real paths). */
function treeEntryFiles(plan: TreePlan, environment: string, inTheWay: FilesInTheWay): string[] {
  const extensions = plan.extensionFiles.get(environment);
  const [entry] = plan.composeFiles.filter((file) => file.kind === 'entry').map((file) => file.path);
  return extensions && entry ? [entry, extensions] : entryFiles(dirname(entry ?? ''), inTheWay);
}

/**
 * Loads one environment's original files with the engine, which names a file that does not load
 * and why. `projectName` is -p's, or the shell's COMPOSE_PROJECT_NAME.
 */
function loadOriginal(request: MigrateRequest, name: string, env: Record<string, string | undefined>, projectName: string | undefined, withGroups = false): Project {
  const environment = request.environments.find((candidate) => candidate.name === name)!;
  const load = (profiles: string[], noConsistency = false) =>
    loadProjectSync({
      // Where the command runs, as for Compose: a nested include's env_file is found from there.
      cwd: request.cwd,
      projectDirectory: environment.projectDir,
      files: [...environment.files, ...(withGroups ? request.groups.flatMap((group) => group.files) : [])],
      envFiles: environment.envFiles.length > 0 ? environment.envFiles : undefined,
      projectName,
      profiles,
      env,
      noConsistency,
      onWarning: () => undefined,
    }).project;
  try {
    try {
      return load(['*']);
    } catch (allProfiles) {
      // Profiles that are alternatives (a model server on the CPU or a GPU, both named `model`)
      // cannot all be on at once, in Compose either. The files are sound when they load as
      // Compose loads them by default; every service is then read with the check left out.
      try {
        load([]);
      } catch {
        throw allProfiles;
      }
      return load(['*'], true);
    }
  } catch (error) {
    const text = ((error as { format?: () => string }).format?.() ?? (error as Error).message).split(`${request.projectDir}/`).join('');
    const label = withGroups ? `${name} with the optional groups` : name;
    // The engine's line already ends with its code: keep it rather than adding ours.
    const coded = /\[(STACK_ERR_[A-Z_]+)\]$/.exec(text);
    throw Object.assign(new StackError(STACK_ERROR_CODES.MIGRATE_INPUT, `${label}: ${coded ? text.slice(0, coded.index).trimEnd() : text}`), coded ? { code: coded[1] } : {});
  }
}

function usedProfiles(project: Project): string[] {
  return [...Object.values(project.services), ...Object.values(project.disabledServices)].flatMap((service) => service.profiles ?? []);
}

/**
 * What writing `file` does. `staying` are the migrated files that keep their place (never
 * overwritten); `movedAway` those set aside first, so a file of the tree takes their place.
 */
function planWrite(file: RenderedFile, describe: string, staying: ReadonlySet<string>, movedAway: ReadonlySet<string>, appends = false): PlannedWrite {
  if (staying.has(file.path)) {
    throw new StackError(STACK_ERROR_CODES.MIGRATE_EXISTS, `${file.path} is one of the files being migrated: choose another --out folder inside the project`);
  }
  let action: FileAction = 'create';
  if (!movedAway.has(file.path) && existsSync(file.path)) {
    const current = readFileSync(file.path, 'utf8');
    if (current === file.content) action = 'unchanged';
    else if (appends && file.content.startsWith(current)) action = 'append';
    else action = 'overwrite';
  }
  return { ...file, action, describe };
}

function describeCompose(plan: TreePlan, file: TreePlan['composeFiles'][number], nameFromShell: boolean): string {
  switch (file.kind) {
    case 'entry':
      return `entry point: name ${plan.projectName}${nameFromShell ? " (the shell's COMPOSE_PROJECT_NAME)" : ''}, includes docker-compose/docker-compose.yml`;
    case 'root':
      return `selects the environment with ${plan.selector} (default ${plan.defaultEnvironment})`;
    case 'base':
      return `base of ${file.services.join(', ')}`;
    case 'extensions':
      return 'x- fields the other environments do not share (named in COMPOSE_FILE of its env file)';
    case 'group':
      return `${file.services.join(', ')} (profile ${relative(dirname(file.path), file.path).replace(/^docker-compose\.|\.yml$/g, '')})`;
    case 'infrastructure': {
      const resources = Object.entries(file.document)
        .filter(([section]) => section !== 'services')
        .map(([section, value]) => `${section}: ${Object.keys(value as object).join(', ')}`);
      return [...(file.services.length > 0 ? [file.services.join(', ')] : []), ...resources].join('; ');
    }
    default:
      return file.services.length > 0 ? file.services.join(', ') : '(no services)';
  }
}

function describeEnvFile(file: PlannedEnvFile, projectDir: string, selector: string): string {
  const selects = `selects ${file.environment} (${selector}=${file.environment})`;
  if (file.sources.length === 0) return selects;
  const source = file.sources.map((path) => relative(projectDir, path) || path).join(', ');
  const disabled = file.disabledComposeFile ? '; COMPOSE_FILE turned into a comment' : '';
  if (file.appendsToSource) {
    // The tree's env file is the first of several: the others' lines are added to it.
    const added = file.sources.slice(1).map((path) => relative(projectDir, path) || path);
    const appended = added.length > 0 ? `, with the variables of ${added.join(', ')} appended` : '';
    return file.content.startsWith(readFileSync(file.path, 'utf8')) ? `${selects}${appended}${disabled ? ` (${disabled.slice(2)})` : ''}` : `${selects}${appended}${disabled}`;
  }
  return `${selects}, with the variables of ${source}${disabled}`;
}

/** The project folder that holds `outDir` (the scratch copy's, when `outDir` is in it). */
function projectDirOf(outDir: string, request: MigrateRequest): string {
  return join(outDir, relative(request.outDir, request.projectDir));
}

/** `stack validate` on the new tree: its findings are the next steps (migrate itself changes no meaning). */
function validateTree(outDir: string, request: MigrateRequest, globals: GlobalOptions, io: CommandIo, env: Record<string, string | undefined>): MigrationResult['validation'] {
  try {
    const treeGlobals: GlobalOptions = { ...globals, files: [], envFiles: [], profiles: [], environment: undefined, projectDirectory: outDir, projectName: undefined };
    const settings = readStackSettings(outDir);
    const report = runValidation({
      projectDir: outDir,
      settings,
      environments: request.environments.map((environment) => environment.name),
      load: environmentLoader(treeGlobals, { ...io, cwd: outDir, env, stderr: () => undefined }, settings.environmentVariable),
    });
    return { report, text: formatReportText(report, projectDirOf(outDir, request)) };
  } catch (error) {
    return { error: (error as Error).message };
  }
}
