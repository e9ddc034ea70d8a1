import { statSync } from 'node:fs';
import { dirname, isAbsolute, join, relative } from 'node:path';

/** The two folders of the model an `include` entry loads, as compose-go's `ApplyInclude` sets them. */
export interface IncludeFolders {
  /**
   * The include's project directory: its default `.env` is read there, and the included files'
   * own references (a nested include's path, an `extends` file) are found from it. Relative
   * inside an included file, and then found from the current directory.
   */
  projectDirectory: string;
  /**
   * What the included model's relative paths are resolved against (compose-go's
   * `relworkingdir`): the included folder relative to the including model's loader folder, or
   * the project directory as written when that is absolute. A relative `project_directory` that
   * names no folder counts as the folder holding it, as compose-go's `localResourceLoader.Dir`
   * reads it: `sub/missing` resolves the included paths from `sub`.
   */
  pathsBase: string;
}

/** The folders of the including model: its working directory and the folder its references are found from. */
export interface IncludingFolders {
  workingDir: string;
  loaderDir: string;
}

/**
 * The folders of an include whose first file is `main` (absolute), with `project_directory` as
 * written (undefined or empty when not).
 */
export function includeFolders(
  main: string,
  projectDirectory: string | undefined,
  { workingDir, loaderDir }: IncludingFolders,
): IncludeFolders {
  if (projectDirectory === undefined || projectDirectory === '')
    return { projectDirectory: dirname(main), pathsBase: loaderRelative(loaderDir, main) };
  if (isAbsolute(projectDirectory)) return { projectDirectory, pathsBase: projectDirectory };
  return {
    projectDirectory: join(workingDir, projectDirectory),
    pathsBase: loaderRelative(loaderDir, projectDirectory),
  };
}

/**
 * compose-go's `localResourceLoader.Dir`: the folder `path` names (or, when it is no folder, the
 * one holding it), relative to the loader's folder. An included model's paths are resolved
 * against it, so they stay relative to the including model, and an imported resource is compared
 * with the including file's own as Compose compares them: `../s.txt` from `sub/` equals `s.txt`.
 */
function loaderRelative(loaderDir: string, path: string): string {
  let folder = isAbsolute(path) ? path : join(loaderDir, path);
  if (!isDirectory(folder)) folder = isAbsolute(path) ? dirname(path) : join(loaderDir, dirname(path));
  return relative(loaderDir, folder) || '.';
}

function isDirectory(path: string): boolean {
  try {
    return statSync(path).isDirectory();
  } catch {
    return false;
  }
}
