import { isAbsolute, relative, resolve } from 'node:path';
import { substitute, type VariableLookup } from '@codiesvibe/compose';

/**
 * Host paths move: a definition written in the project folder ends up in
 * docker-compose/services/, so `./src` must become `../../src` there. While the files are merged
 * and compared, each relative host path is carried as a mark: the absolute path it means (or, when
 * it holds a `${VAR}`, the folder it is relative to and the text as written), so the same path
 * compares equal whichever file wrote it. Marks are turned back into paths relative to the file
 * they are finally written in.
 */
const OPEN = '\u0001';
const CLOSE = '\u0002';
const MARK = new RegExp(`${OPEN}([^${CLOSE}]*)${CLOSE}`, 'g');

const REMOTE_PREFIXES = ['https://', 'http://', 'git://', 'ssh://', 'github.com/', 'git@'];

/** True when `text` uses a variable (`$$` is a literal dollar). */
function hasVariable(text: string): boolean {
  return text.replaceAll('$$', '').includes('$');
}

/** What `text` becomes once interpolated, or undefined when it cannot be told (required variable). */
function interpolated(text: string, lookup: VariableLookup): string | undefined {
  try {
    return substitute(text, lookup);
  } catch {
    return undefined;
  }
}

/**
 * Marks a host path written relative to `dir`. Absolute and `~` paths stay as written; a path with
 * a variable is marked when it is relative once interpolated with this environment's variables.
 */
export function markPath(dir: string, text: string, lookup: VariableLookup): string {
  if (text.startsWith(OPEN) || text === '') return text;
  if (hasVariable(text)) {
    const value = interpolated(text, lookup);
    if (value === undefined || value === '' || isAbsolute(value) || value.startsWith('~')) return text;
    return `${OPEN}${dir}${CLOSE}${text}`;
  }
  if (isAbsolute(text) || text.startsWith('~')) return text;
  // A trailing slash is kept as written (`context: ../` stays `../../../`): the new path then
  // resolves exactly as the original did, even in an engine that keeps the slash it is given.
  const slash = /[\\/]$/.test(text) ? '/' : '';
  return `${OPEN}${resolve(dir, text)}${CLOSE}${slash}`;
}

/** A build context: remote contexts and `service:` references are not paths. */
export function markContext(dir: string, text: string, lookup: VariableLookup): string {
  const value = hasVariable(text) ? (interpolated(text, lookup) ?? text) : text;
  if (value.includes('://') || value.startsWith('service:') || REMOTE_PREFIXES.some((prefix) => value.startsWith(prefix))) return text;
  return markPath(dir, text, lookup);
}

/**
 * The source of a short volume spec (`./src:/app:ro`) is a host path when it starts with `.`, `/`
 * or `~`; otherwise it names a volume. Colons inside `${...}` do not split.
 */
export function markVolumeSpec(dir: string, spec: string, lookup: VariableLookup): string {
  if (spec.startsWith(OPEN)) return spec;
  const end = sourceEnd(spec);
  if (end < 0) return spec;
  const source = spec.slice(0, end);
  const value = hasVariable(source) ? interpolated(source, lookup) : source;
  if (value === undefined || !value.startsWith('.')) return spec;
  return `${markPath(dir, source, lookup)}${spec.slice(end)}`;
}

function sourceEnd(spec: string): number {
  let depth = 0;
  for (let i = 0; i < spec.length; i++) {
    const char = spec[i];
    if (char === '$' && spec[i + 1] === '{') depth++;
    else if (char === '}' && depth > 0) depth--;
    else if (char === ':' && depth === 0 && !(i === 1 && /[A-Za-z]/.test(spec[0] ?? ''))) return i;
  }
  return -1;
}

/** Replaces every mark in `value` (deeply) by a path relative to `fromDir`, the folder of the file written. */
export function unmarkPaths<T>(value: T, fromDir: string): T {
  if (typeof value === 'string') return unmarkText(value, fromDir) as T;
  if (Array.isArray(value)) return value.map((item: unknown) => unmarkPaths(item, fromDir)) as T;
  if (typeof value === 'object' && value !== null) {
    return Object.fromEntries(Object.entries(value).map(([key, item]) => [key, unmarkPaths(item, fromDir)])) as T;
  }
  return value;
}

function unmarkText(text: string, fromDir: string): string {
  if (!text.includes(OPEN)) return text;
  return text.replace(MARK, (_match, target: string, offset: number, whole: string) => {
    const end = whole.indexOf(CLOSE, offset) + 1;
    const written = whole.slice(end);
    // A marked literal path carries its absolute target and nothing after the mark's end up to a
    // separator; a marked variable path carries its folder, followed by the text as written.
    if (written === '' || written.startsWith(':') || !hasVariableStart(written)) return dotted(relative(fromDir, target));
    const prefix = relative(fromDir, target);
    return prefix === '' ? '' : `${dotted(prefix)}/`;
  });
}

/** True when the text after a mark is the variable path it belongs to (not `:target` of a volume). */
function hasVariableStart(text: string): boolean {
  const head = text.split(':')[0] ?? '';
  return hasVariable(head);
}

/** `./x` for a relative path inside the folder (Compose reads `x` alone as a volume name). */
function dotted(path: string): string {
  if (path === '') return '.';
  return path.startsWith('.') ? path : `./${path}`;
}

/** `text` with each mark replaced by the path it carries, for messages. */
export function withoutMarks(text: string): string {
  return text.replace(MARK, '$1');
}

/** True when `value` still holds a mark anywhere (a bug if it reaches a written file). */
export function hasMarks(value: unknown): boolean {
  return JSON.stringify(value).includes(OPEN);
}
