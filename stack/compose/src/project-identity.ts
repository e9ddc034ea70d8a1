import { readYamlText } from './compose-file-text.js';
import { substitute } from './interpolation/template.js';
import { directoryProjectName, normalizeProjectName, resolveProjectSource, STDIN_FILE, type ProjectSource } from './loader/project-options.js';

export { discoverComposeFiles, type ProjectSource } from './loader/project-options.js';

/** Which project a set of options names, without loading its model. */
export interface ProjectIdentity {
  /** The project name, as {@link loadProject} would give it. */
  name: string;
  /** Absolute project directory. */
  workingDir: string;
  /** Absolute paths of the compose files, in merge order. */
  composeFiles: string[];
  /** Active profiles. */
  profiles: string[];
}

/**
 * Names the project the options describe (name, directory, files, profiles) with Compose's rules,
 * for commands that only need to know which project they act on (`stack ps`, `logs`, `down`):
 * the top-level `name:` is read with a line scan instead of a YAML parse and no model is built.
 * Files the scan cannot read with certainty (anchors, flow or multi-document YAML, escapes) are
 * loaded by the full loader, so the answer is always the one {@link loadProject} gives.
 */
export async function projectIdentity(options: ProjectSource = {}): Promise<ProjectIdentity> {
  const source = resolveProjectSource(options);
  const identity = (name: string): ProjectIdentity => ({
    name,
    workingDir: source.workingDir,
    composeFiles: source.configFiles,
    profiles: source.profiles,
  });
  if (source.imperativeName) return identity(source.imperativeName);
  let fromFiles = '';
  for (const file of source.configFiles) {
    const scanned = file === STDIN_FILE ? undefined : scanTopLevelName(readText(file));
    if (scanned === undefined) {
      const { loadProjectSync } = await import('./load-project.js');
      return identity(loadProjectSync({ ...options, noConsistency: true }).project.name);
    }
    if (scanned !== '') fromFiles = scanned;
  }
  if (fromFiles === '') return identity(directoryProjectName(source.workingDir));
  const interpolated = substitute(fromFiles, (key) => source.environment.get(key));
  return identity(normalizeProjectName(interpolated));
}

function readText(file: string): string {
  try {
    return readYamlText(file);
  } catch {
    // Unreadable, or bytes Compose refuses: the load that follows reports it.
    return '';
  }
}

/**
 * The value of a file's top-level `name:` key, '' when there is none, or undefined when a line
 * scan cannot be sure (then the caller parses the YAML).
 */
export function scanTopLevelName(text: string): string | undefined {
  let found: string | undefined;
  for (const rawLine of text.split('\n')) {
    const line = rawLine.replace(/\r$/, '');
    if (/^(---|\.\.\.)(\s|$)/.test(line) || /^[{[&*!%]/.test(line) || line.startsWith('<<') || line.startsWith('"name"') || line.startsWith("'name'")) {
      return undefined;
    }
    if (!/^name\s*:/.test(line)) continue;
    if (found !== undefined) return undefined; // a duplicate key: the parser reports it
    const value = line.replace(/^name\s*:/, '');
    if (value !== '' && !/^\s/.test(value)) return undefined;
    found = scalarValue(value.trim());
    if (found === undefined) return undefined;
  }
  return found ?? '';
}

function scalarValue(text: string): string | undefined {
  if (text === '' || text.startsWith('#')) return undefined; // a block value on the next lines
  const quote = text[0];
  if (quote === '"' || quote === "'") {
    const close = text.indexOf(quote, 1);
    if (close < 0 || text.slice(1, close).includes('\\')) return undefined;
    const rest = text.slice(close + 1).trim();
    if (rest !== '' && !rest.startsWith('#')) return undefined;
    if (quote === "'" && text[close + 1] === "'") return undefined; // an escaped quote
    return text.slice(1, close);
  }
  if (/^[&*!|>{[@`%]/.test(text)) return undefined;
  const comment = text.search(/\s#/);
  const value = (comment < 0 ? text : text.slice(0, comment)).trim();
  // Plain scalars that YAML would type (null, booleans, numbers) are left to the parser.
  if (/^(~|null|Null|NULL|true|True|TRUE|false|False|FALSE)$/.test(value) || /^[-+.0-9]/.test(value) || value.includes(': ')) return undefined;
  return value;
}
