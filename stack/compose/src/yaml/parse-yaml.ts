import { COMPOSE_ERROR_CODES, ComposeError } from '../errors.js';
import { isPlainObject, setEntry } from '../plain-object.js';
import { nextPath, type TreePath } from '../tree-path.js';
import { readComposeYaml } from './fast-yaml.js';
import type { YamlNode } from './yaml-node.js';
import { yamlPackage } from './yaml-package.js';
import { fromYamlPackage } from './yaml-package-nodes.js';

/** A position in a YAML file, 1-based. */
export interface YamlPosition {
  line: number;
  column: number;
}

/** One YAML document of a compose file, converted to plain values. */
export interface ParsedYamlDocument {
  /** The document as plain JavaScript values (objects, arrays, strings, numbers, booleans, null). */
  value: unknown;
  /** Paths tagged `!reset` or `!override`: an earlier file's value there is dropped before merging. */
  resetPaths: TreePath[];
  /** Where each mapping key starts, by model path, for error messages. */
  positions: Map<TreePath, YamlPosition>;
}

/**
 * Largest number of nodes one document may expand to. Real compose files have a few thousand;
 * the limit stops alias bombs ("billion laughs") long before they exhaust memory.
 */
export const MAX_EXPANDED_NODES = 100_000;

const RESET_TAG = '!reset';
const OVERRIDE_TAG = '!override';
const CUSTOM_TAGS = [RESET_TAG, OVERRIDE_TAG].map((tag) => ({ tag, resolve: (value: string) => value }));

/**
 * Parses every document of a compose file. Aliases, anchors and `<<` merge keys are expanded,
 * `!reset`/`!override` are recorded, plain scalars are typed like go-yaml v3 does.
 *
 * Most compose files are read by a small reader of the block YAML they are written in
 * (fast-yaml.ts), several times faster than the `yaml` package on a cold start, which is most of
 * what `stack config` spends. A file it does not take (it answers only when sure), or that it or
 * the conversion finds wrong, is read again by the `yaml` package, whose messages are the ones
 * reported; a test holds the two to the same results.
 */
export function parseComposeYaml(text: string, file: string): ParsedYamlDocument[] {
  const fast = readComposeYaml(text);
  if (fast !== undefined) {
    try {
      return fast.map((document) => new DocumentConverter(document, file).convert());
    } catch {
      // Reported with the yaml package's positions and wording below.
    }
  }
  return parseWithYamlPackage(text, file);
}

/** `parseComposeYaml` with the `yaml` package only (the reference the fast reader is tested against). */
export function parseWithYamlPackage(text: string, file: string): ParsedYamlDocument[] {
  const { LineCounter, parseAllDocuments } = yamlPackage();
  const lineCounter = new LineCounter();
  // The parser builds an Error for every problem it meets (a broken file can have hundreds) and
  // only the first one's message and offset are used: capturing their stacks was most of the time
  // a broken file took.
  const stackTraceLimit = Error.stackTraceLimit;
  Error.stackTraceLimit = 0;
  let documents: ReturnType<typeof parseAllDocuments>;
  try {
    documents = parseAllDocuments(text, {
      lineCounter,
      customTags: CUSTOM_TAGS,
      merge: false,
      uniqueKeys: false,
      prettyErrors: false,
      strict: false,
    });
  } finally {
    Error.stackTraceLimit = stackTraceLimit;
  }
  const list = Array.isArray(documents) ? documents : [documents];
  const parsed: ParsedYamlDocument[] = [];
  for (const document of list) {
    const [firstError] = document.errors;
    if (firstError) {
      const offset = firstError.pos[0];
      const position = lineCounter.linePos(offset);
      const summary = firstError.message.split('\n')[0] ?? firstError.message;
      throw new ComposeError(COMPOSE_ERROR_CODES.YAML_SYNTAX, `yaml: invalid YAML in ${file}: ${summary}`, {
        file,
        line: position.line,
        column: position.col,
      });
    }
    parsed.push(new DocumentConverter(fromYamlPackage(document, lineCounter), file).convert());
  }
  return parsed;
}

class DocumentConverter {
  private expandedNodes = 0;
  private readonly expanding = new Set<YamlNode>();
  private readonly resetPaths: TreePath[] = [];
  private readonly positions = new Map<TreePath, YamlPosition>();

  constructor(
    private readonly contents: YamlNode | null,
    private readonly file: string,
  ) {}

  convert(): ParsedYamlDocument {
    this.checkExpandedSize();
    const value = this.node(this.contents, '');
    return { value: value === RESET ? null : value, resetPaths: this.resetPaths, positions: this.positions };
  }

  /**
   * Measures how many nodes the document expands to without expanding it, so an alias bomb is
   * refused before any work is spent on it. Only a node an alias points at can be reached twice
   * (or from inside itself), so only those sizes are memoized and only they are watched for
   * cycles: the rest of the tree is counted once, without a map entry per node.
   */
  private checkExpandedSize(): void {
    const sizes = new Map<YamlNode, number>();
    const active = new Set<YamlNode>();
    const tooMany = (node: YamlNode): ComposeError =>
      this.error(COMPOSE_ERROR_CODES.YAML_ALIAS_BOMB, `yaml: document expands to more than ${MAX_EXPANDED_NODES} nodes through aliases (alias bomb?)`, node);
    const aliased = (target: YamlNode): number => {
      const known = sizes.get(target);
      if (known !== undefined) return known;
      if (active.has(target)) throw this.error(COMPOSE_ERROR_CODES.YAML_ALIAS_BOMB, 'yaml: an anchor refers to itself', target);
      active.add(target);
      const total = size(target);
      active.delete(target);
      sizes.set(target, total);
      return total;
    };
    const size = (node: YamlNode | null | undefined): number => {
      if (!node) return 0;
      if (node.kind === 'alias') {
        const total = node.target ? aliased(node.target) : 0;
        if (total > MAX_EXPANDED_NODES) throw tooMany(node);
        return total;
      }
      let total = 1;
      if (node.kind === 'map') {
        for (const [key, value] of node.items) {
          total += size(key) + size(value);
          if (total > MAX_EXPANDED_NODES) break;
        }
      } else if (node.kind === 'seq') {
        for (const item of node.items) {
          total += size(item);
          if (total > MAX_EXPANDED_NODES) break;
        }
      }
      if (total > MAX_EXPANDED_NODES) throw tooMany(node);
      return total;
    };
    size(this.contents);
  }

  private error(code: (typeof COMPOSE_ERROR_CODES)[keyof typeof COMPOSE_ERROR_CODES], message: string, node?: YamlNode | null): ComposeError {
    return new ComposeError(code, message, { file: this.file, line: node?.line || undefined, column: node?.column || undefined });
  }

  private count(node: YamlNode): void {
    this.expandedNodes++;
    if (this.expandedNodes > MAX_EXPANDED_NODES) {
      throw this.error(COMPOSE_ERROR_CODES.YAML_ALIAS_BOMB, `yaml: document expands to more than ${MAX_EXPANDED_NODES} nodes through aliases (alias bomb?)`, node);
    }
  }

  private node(node: YamlNode | null | undefined, path: TreePath): unknown {
    if (node === null || node === undefined) return null;
    this.count(node);
    if (node.kind === 'alias') {
      const target = node.target;
      if (!target) throw this.error(COMPOSE_ERROR_CODES.YAML_SYNTAX, `yaml: unknown anchor '${node.name}' referenced`, node);
      if (this.expanding.has(target)) throw this.error(COMPOSE_ERROR_CODES.YAML_ALIAS_BOMB, `yaml: anchor '${node.name}' refers to itself`, node);
      return this.node(target, path);
    }
    if (node.tag === RESET_TAG) {
      this.resetPaths.push(path);
      return RESET;
    }
    if (node.tag === OVERRIDE_TAG) this.resetPaths.push(path);
    if (node.kind === 'scalar') return node.value;
    this.expanding.add(node);
    try {
      if (node.kind === 'map') return this.mapping(node.items, path);
      const out: unknown[] = [];
      node.items.forEach((item, index) => {
        const value = this.node(item, nextPath(path, String(index)));
        if (value !== RESET) out.push(value);
      });
      return out;
    } finally {
      this.expanding.delete(node);
    }
  }

  private mapping(items: readonly [YamlNode, YamlNode | null][], path: TreePath): Record<string, unknown> {
    const explicit = new Map<string, unknown>();
    const keyLines = new Map<string, number>();
    const merged: Record<string, unknown>[] = [];
    for (const [keyNode, valueNode] of items) {
      const key = this.key(keyNode, path);
      if (key === '<<' && keyNode.kind === 'scalar' && keyNode.plain) {
        merged.push(...this.mergeSources(valueNode, path));
        continue;
      }
      const line = keyNode.line;
      const previous = keyLines.get(key);
      if (previous !== undefined) {
        throw this.error(COMPOSE_ERROR_CODES.YAML_DUPLICATE_KEY, `yaml: line ${line}: mapping key "${key}" already defined at line ${previous}`, keyNode);
      }
      keyLines.set(key, line);
      const childPath = nextPath(path, key);
      if (line > 0) this.positions.set(childPath, { line, column: keyNode.column });
      const value = this.node(valueNode, childPath);
      if (value !== RESET) explicit.set(key, value);
    }
    const out: Record<string, unknown> = {};
    // Merge keys: the first source wins over later ones, explicit keys win over all of them.
    for (let i = merged.length - 1; i >= 0; i--) for (const [key, value] of Object.entries(merged[i] ?? {})) setEntry(out, key, value);
    for (const [key, value] of explicit) setEntry(out, key, value);
    return out;
  }

  private mergeSources(node: YamlNode | null, path: TreePath): Record<string, unknown>[] {
    const resolved = node?.kind === 'alias' ? node.target : node;
    if (resolved?.kind === 'seq') return resolved.items.map((item) => this.mergeSource(item, path));
    return [this.mergeSource(node, path)];
  }

  private mergeSource(node: YamlNode | null, path: TreePath): Record<string, unknown> {
    const value = this.node(node, path);
    if (!isPlainObject(value)) throw this.error(COMPOSE_ERROR_CODES.YAML_SYNTAX, 'yaml: map merge requires map or sequence of maps as the value', node);
    return value;
  }

  private key(node: YamlNode, path: TreePath): string {
    const value = this.node(node, path);
    if (typeof value === 'string') return value;
    const where = path === '' ? 'at top level' : `in ${path.split('\u0000').join('.')}`;
    throw this.error(COMPOSE_ERROR_CODES.YAML_NON_STRING_KEY, `non-string key ${where}: ${JSON.stringify(value)}`, node);
  }
}

const RESET = Symbol('reset');

export { isPlainObject };
