import { isAlias, isMap, isPair, isScalar, isSeq, LineCounter, parseAllDocuments, visit, type Alias, type Document, type Node } from 'yaml';
import { COMPOSE_ERROR_CODES, ComposeError } from '../errors.js';
import { isPlainObject } from '../plain-object.js';
import { nextPath, type TreePath } from '../tree-path.js';
import { resolvePlainScalar } from './plain-scalar.js';

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
const CORE_TAG_PREFIX = 'tag:yaml.org,2002:';

/**
 * Parses every document of a compose file. Aliases, anchors and `<<` merge keys are expanded,
 * `!reset`/`!override` are recorded, plain scalars are typed like go-yaml v3 does.
 */
export function parseComposeYaml(text: string, file: string): ParsedYamlDocument[] {
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
    parsed.push(new DocumentConverter(document, file, lineCounter).convert());
  }
  return parsed;
}

class DocumentConverter {
  private expandedNodes = 0;
  private readonly expanding = new Set<Node>();
  private readonly resetPaths: TreePath[] = [];
  private readonly positions = new Map<TreePath, YamlPosition>();
  /** The aliases and anchored nodes of the document in document order (see `resolveAlias`). */
  private anchorsInOrder: Node[] | undefined;

  constructor(
    private readonly document: Document,
    private readonly file: string,
    private readonly lineCounter: LineCounter,
  ) {}

  convert(): ParsedYamlDocument {
    this.checkExpandedSize();
    const value = this.node(this.document.contents, '');
    return { value: value === RESET ? null : value, resetPaths: this.resetPaths, positions: this.positions };
  }

  /**
   * Measures how many nodes the document expands to without expanding it (sizes of anchored
   * nodes are memoized), so an alias bomb is refused before any work is spent on it.
   */
  private checkExpandedSize(): void {
    const sizes = new Map<Node, number>();
    const active = new Set<Node>();
    const size = (node: unknown): number => {
      if (node === null || node === undefined || typeof node !== 'object') return 0;
      const known = sizes.get(node as Node);
      if (known !== undefined) return known;
      if (active.has(node as Node)) {
        throw this.error(COMPOSE_ERROR_CODES.YAML_ALIAS_BOMB, 'yaml: an anchor refers to itself', node as Node);
      }
      active.add(node as Node);
      let total = 1;
      if (isAlias(node)) total = size(this.resolveAlias(node));
      else if (isMap(node) || isSeq(node)) {
        for (const item of node.items) {
          total += isPair(item) ? size(item.key) + size(item.value) : size(item);
          if (total > MAX_EXPANDED_NODES) break;
        }
      }
      active.delete(node as Node);
      sizes.set(node as Node, total);
      if (total > MAX_EXPANDED_NODES) {
        throw this.error(
          COMPOSE_ERROR_CODES.YAML_ALIAS_BOMB,
          `yaml: document expands to more than ${MAX_EXPANDED_NODES} nodes through aliases (alias bomb?)`,
          node as Node,
        );
      }
      return total;
    };
    size(this.document.contents);
  }

  /**
   * The node an alias refers to: the last node before it anchored with its name, as the `yaml`
   * package's `Alias.resolve` finds it; that method walks the whole document for every alias,
   * which was most of the load time of files with many `<<: *defaults`, so the walk is done once.
   */
  private resolveAlias(alias: Alias): Node | undefined {
    if (!this.anchorsInOrder) {
      const nodes: Node[] = [];
      visit(this.document, {
        Node: (_key, node) => {
          if (isAlias(node) || typeof (node as { anchor?: unknown }).anchor === 'string') nodes.push(node);
        },
      });
      this.anchorsInOrder = nodes;
    }
    let found: Node | undefined;
    for (const node of this.anchorsInOrder) {
      if (node === alias) break;
      if ((node as { anchor?: string }).anchor === alias.source) found = node;
    }
    return found;
  }

  private error(code: (typeof COMPOSE_ERROR_CODES)[keyof typeof COMPOSE_ERROR_CODES], message: string, node?: Node | null): ComposeError {
    const offset = node?.range?.[0];
    const position = offset === undefined ? undefined : this.lineCounter.linePos(offset);
    return new ComposeError(code, message, { file: this.file, line: position?.line, column: position?.col });
  }

  private count(node: Node): void {
    this.expandedNodes++;
    if (this.expandedNodes > MAX_EXPANDED_NODES) {
      throw this.error(
        COMPOSE_ERROR_CODES.YAML_ALIAS_BOMB,
        `yaml: document expands to more than ${MAX_EXPANDED_NODES} nodes through aliases (alias bomb?)`,
        node,
      );
    }
  }

  private node(node: Node | null | undefined, path: TreePath): unknown {
    if (node === null || node === undefined) return null;
    this.count(node);
    if (isAlias(node)) {
      const target = this.resolveAlias(node);
      if (!target) throw this.error(COMPOSE_ERROR_CODES.YAML_SYNTAX, `yaml: unknown anchor '${node.source}' referenced`, node);
      if (this.expanding.has(target)) {
        throw this.error(COMPOSE_ERROR_CODES.YAML_ALIAS_BOMB, `yaml: anchor '${node.source}' refers to itself`, node);
      }
      return this.node(target, path);
    }
    const tag = (node as { tag?: string }).tag;
    if (tag === RESET_TAG) {
      this.resetPaths.push(path);
      return RESET;
    }
    if (tag === OVERRIDE_TAG) this.resetPaths.push(path);
    this.expanding.add(node);
    try {
      if (isMap(node)) return this.mapping(node.items, path);
      if (isSeq(node)) {
        const out: unknown[] = [];
        node.items.forEach((item, index) => {
          const value = this.node(item as Node, nextPath(path, String(index)));
          if (value !== RESET) out.push(value);
        });
        return out;
      }
      if (isScalar(node)) return this.scalar(node, tag);
      return null;
    } finally {
      this.expanding.delete(node);
    }
  }

  private scalar(node: Node & { value: unknown; type?: string; source?: string }, tag: string | undefined): unknown {
    if (tag === OVERRIDE_TAG || tag === undefined || tag === '!') {
      if (node.type === 'PLAIN' && tag !== '!') return resolvePlainScalar(typeof node.source === 'string' ? node.source : '');
      return typeof node.value === 'string' ? node.value : node.value === null || node.value === undefined ? '' : JSON.stringify(node.value);
    }
    if (tag.startsWith(CORE_TAG_PREFIX)) return node.value;
    return node.value;
  }

  private mapping(items: readonly unknown[], path: TreePath): Record<string, unknown> {
    const explicit = new Map<string, unknown>();
    const keyLines = new Map<string, number>();
    const merged: Record<string, unknown>[] = [];
    for (const item of items) {
      if (!isPair(item)) continue;
      const keyNode = item.key as Node | null;
      const key = this.key(keyNode, path);
      if (key === '<<' && isPlainMergeKey(keyNode)) {
        merged.push(...this.mergeSources(item.value as Node | null, path));
        continue;
      }
      const position = keyNode?.range ? this.lineCounter.linePos(keyNode.range[0]) : undefined;
      const line = position?.line ?? 0;
      const previous = keyLines.get(key);
      if (previous !== undefined) {
        throw this.error(
          COMPOSE_ERROR_CODES.YAML_DUPLICATE_KEY,
          `yaml: line ${line}: mapping key "${key}" already defined at line ${previous}`,
          keyNode,
        );
      }
      keyLines.set(key, line);
      const childPath = nextPath(path, key);
      if (position) this.positions.set(childPath, { line: position.line, column: position.col });
      const value = this.node(item.value as Node | null, childPath);
      if (value !== RESET) explicit.set(key, value);
    }
    const out: Record<string, unknown> = {};
    // Merge keys: the first source wins over later ones, explicit keys win over all of them.
    for (let i = merged.length - 1; i >= 0; i--) Object.assign(out, merged[i]);
    for (const [key, value] of explicit) out[key] = value;
    return out;
  }

  private mergeSources(node: Node | null, path: TreePath): Record<string, unknown>[] {
    const resolved = node && isAlias(node) ? this.resolveAlias(node) : node;
    if (resolved && isSeq(resolved)) {
      return resolved.items.map((item) => this.mergeSource(item as Node, path));
    }
    return [this.mergeSource(node, path)];
  }

  private mergeSource(node: Node | null, path: TreePath): Record<string, unknown> {
    const value = this.node(node, path);
    if (!isPlainObject(value)) {
      throw this.error(COMPOSE_ERROR_CODES.YAML_SYNTAX, 'yaml: map merge requires map or sequence of maps as the value', node);
    }
    return value;
  }

  private key(node: Node | null, path: TreePath): string {
    const value = this.node(node, path);
    if (typeof value === 'string') return value;
    const where = path === '' ? 'at top level' : `in ${path.split('\u0000').join('.')}`;
    throw this.error(COMPOSE_ERROR_CODES.YAML_NON_STRING_KEY, `non-string key ${where}: ${JSON.stringify(value)}`, node);
  }
}

const RESET = Symbol('reset');

function isPlainMergeKey(node: Node | null): boolean {
  return node !== null && isScalar(node) && node.type === 'PLAIN';
}

export { isPlainObject };
