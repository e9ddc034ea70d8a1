import { existsSync, readdirSync, statSync } from 'node:fs';
import { basename, join } from 'node:path';
import { DEFAULT_FILE_NAMES, DEFAULT_OVERRIDE_FILE_NAMES } from '@codiesvibe/compose';
import { LAYOUT_FOLDER } from '../settings/stack-settings.js';

/** Folder of the modular compose tree, relative to the project directory. */
export const LAYOUT_ROOT = LAYOUT_FOLDER;

/** The files of a modular compose tree (docker-compose/{services,environments,infrastructure}). */
export interface ComposeLayout {
  projectDir: string;
  /** `<projectDir>/docker-compose`. */
  root: string;
  /** The root compose file (compose.yaml ...) and docker-compose/docker-compose.yml, when present. */
  entryFiles: string[];
  /** docker-compose/services/*.yml: one base definition per service. */
  baseFiles: string[];
  /** Environment name → docker-compose/environments/docker-compose.<env>.yml. */
  environmentFiles: Map<string, string>;
  /** docker-compose/infrastructure/*.yml. */
  infrastructureFiles: string[];
  /** YAML files of the three folders whose names break the convention (reported by file-naming). */
  misnamedFiles: string[];
  /**
   * The override file Compose loads on top of the root file in every environment
   * (compose.override.yml ...), when there is one: what it sets is reported where it is written.
   */
  overrideFiles: string[];
}

const COMPOSE_FILE_PATTERN = /^docker-compose\.([a-z0-9]+(?:-[a-z0-9]+)*)\.ya?ml$/;
const YAML_PATTERN = /\.ya?ml$/;

/** Finds the files of the modular tree under `projectDir`. Missing folders give empty lists. */
export function discoverLayout(projectDir: string): ComposeLayout {
  const root = join(projectDir, LAYOUT_ROOT);
  const layout: ComposeLayout = {
    projectDir,
    root,
    entryFiles: [DEFAULT_FILE_NAMES.map((name) => join(projectDir, name)).find((file) => existsSync(file)), join(root, 'docker-compose.yml')].filter(
      (file): file is string => file !== undefined && existsSync(file),
    ),
    baseFiles: [],
    environmentFiles: new Map(),
    infrastructureFiles: [],
    misnamedFiles: [],
    // The first one only, as Compose loads it (it warns about the others).
    overrideFiles: DEFAULT_OVERRIDE_FILE_NAMES.map((name) => join(projectDir, name)).filter(isFile).slice(0, 1),
  };
  for (const file of yamlFilesIn(join(root, 'services'))) {
    if (COMPOSE_FILE_PATTERN.test(basename(file))) layout.baseFiles.push(file);
    else layout.misnamedFiles.push(file);
  }
  for (const file of yamlFilesIn(join(root, 'environments'))) {
    const match = COMPOSE_FILE_PATTERN.exec(basename(file));
    if (match?.[1]) layout.environmentFiles.set(match[1], file);
    else layout.misnamedFiles.push(file);
  }
  for (const file of yamlFilesIn(join(root, 'infrastructure'))) {
    if (COMPOSE_FILE_PATTERN.test(basename(file))) layout.infrastructureFiles.push(file);
    else layout.misnamedFiles.push(file);
  }
  return layout;
}

/** The `<name>` of `docker-compose.<name>.yml`, or undefined when the file breaks the convention. */
export function composeFileToken(file: string): string | undefined {
  return COMPOSE_FILE_PATTERN.exec(basename(file))?.[1];
}

/** Every YAML file of the tree, entry files first. */
export function allLayoutFiles(layout: ComposeLayout): string[] {
  return [
    ...layout.entryFiles,
    ...layout.baseFiles,
    ...layout.environmentFiles.values(),
    ...layout.infrastructureFiles,
    ...layout.misnamedFiles,
    ...layout.overrideFiles,
  ];
}

function isFile(path: string): boolean {
  try {
    return statSync(path).isFile();
  } catch {
    return false;
  }
}

function yamlFilesIn(folder: string): string[] {
  if (!existsSync(folder)) return [];
  return readdirSync(folder)
    .filter((name) => YAML_PATTERN.test(name))
    .sort()
    .map((name) => join(folder, name));
}
