import { lstatSync, readdirSync, readFileSync, readlinkSync } from 'node:fs';
import { join, relative } from 'node:path';

/**
 * Every file, folder and symbolic link under `dir`, with its mode and content: two snapshots are
 * equal only when the tree is the same byte for byte, down to a file's mode or an empty folder.
 */
export function fileTree(dir: string): Record<string, string> {
  const out: Record<string, string> = {};
  const walk = (folder: string) => {
    for (const entry of readdirSync(folder).sort()) {
      const path = join(folder, entry);
      const stats = lstatSync(path);
      const mode = (stats.mode & 0o7777).toString(8);
      if (stats.isSymbolicLink()) out[relative(dir, path)] = `link → ${readlinkSync(path)}`;
      else if (stats.isDirectory()) {
        out[`${relative(dir, path)}/`] = mode;
        walk(path);
      } else out[relative(dir, path)] = `${mode} ${readFileSync(path, 'utf8')}`;
    }
  };
  walk(dir);
  return out;
}
