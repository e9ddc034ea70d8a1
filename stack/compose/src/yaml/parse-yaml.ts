import type { Document, LineCounter } from 'yaml';
import { COMPOSE_ERROR_CODES, ComposeError } from '../errors.js';
import { isPlainObject, setEntry } from '../plain-object.js';
import { nextPath, type TreePath } from '../tree-path.js';
import { readComposeYaml } from './fast-yaml.js';
import { nestingTooDeep } from './nesting-limit.js';
import type { YamlNode } from './yaml-node.js';
import { yamlPackage } from './yaml-package.js';
import { goYamlLayout, type RewrittenText } from './yaml-layout.js';
import { fromYamlPackage, type BlockScalarSource } from './yaml-package-nodes.js';

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
 * go-yaml v3's limits on aliasing (decode.go): once a document has decoded more than 1,000 nodes
 * and more than 100 of them through aliases, the share decoded through aliases may not pass 99 %
 * up to 400,000 nodes, falling evenly to 10 % at 4,000,000. A large file without aliases loads;
 * an alias bomb ("billion laughs") is refused long before it exhausts memory.
 */
const ALIAS_RATIO_RANGE_LOW = 400_000;
const ALIAS_RATIO_RANGE_HIGH = 4_000_000;

/** The share of decoded nodes go-yaml lets come from alias expansion, `allowedAliasRatio` in decode.go. */
export function allowedAliasRatio(decodeCount: number): number {
  if (decodeCount <= ALIAS_RATIO_RANGE_LOW) return 0.99;
  if (decodeCount >= ALIAS_RATIO_RANGE_HIGH) return 0.1;
  return (
    0.99 - 0.89 * ((decodeCount - ALIAS_RATIO_RANGE_LOW) / (ALIAS_RATIO_RANGE_HIGH - ALIAS_RATIO_RANGE_LOW))
  );
}

/** go-yaml's test, made at every node it decodes. */
function excessiveAliasing(decodeCount: number, aliasCount: number): boolean {
  return aliasCount > 100 && decodeCount > 1000 && aliasCount / decodeCount > allowedAliasRatio(decodeCount);
}

/** Expansion sizes stop growing here, so a deep bomb's size stays a finite number. */
const SIZE_CAP = 1e15;

const NEL = '\u0085';

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
  // go-yaml reads YAML 1.1, where NEL (U+0085) is a line break like LF, and a scalar's line
  // broken by one holds LF there; YAML 1.2 and the `yaml` package read it as a character.
  if (text.includes(NEL)) text = text.replaceAll(NEL, '\n');
  const fast = readComposeYaml(text);
  if (fast !== undefined) {
    try {
      return fast.map((document) => new DocumentConverter(document, file).convert());
    } catch (error) {
      // Excessive aliasing is a count over nodes the fast reader placed as the package would
      // place them; reading the bomb again would only cost time.
      if (error instanceof ComposeError && error.code === COMPOSE_ERROR_CODES.YAML_ALIAS_BOMB) throw error;
      // Anything else is reported with the yaml package's positions and wording below.
    }
  }
  return parseWithYamlPackage(text, file);
}

/** `parseComposeYaml` with the `yaml` package only (the reference the fast reader is tested against). */
export function parseWithYamlPackage(text: string, file: string): ParsedYamlDocument[] {
  const layout = goYamlLayout(text);
  // Nesting the readers below would run out of call stack on is refused before they read it.
  if (layout?.tooDeep) throw nestingTooDeep(file, layout.tooDeep.line, layout.tooDeep.column);
  // What go-yaml refuses and the package takes (a tab where no token may start, `?` in a flow
  // plain scalar) is reported as go-yaml's scanner meets it, before anything a document's values
  // hold, unless the package finds the text broken on an earlier line.
  const refusal = layout?.refusal;
  let parsed: ParsedYamlDocument[];
  try {
    parsed = readAsGoYaml(text, file, layout?.rewrite);
  } catch (error) {
    // A text the layout scan could not follow to its end, nested as deep: no line to name.
    if (error instanceof RangeError && error.message.includes('call stack')) throw nestingTooDeep(file);
    const earlier =
      error instanceof ComposeError &&
      error.code === COMPOSE_ERROR_CODES.YAML_SYNTAX &&
      (error.line ?? 0) < (refusal?.line ?? 0);
    if (!refusal || earlier) throw error;
    parsed = [];
  }
  if (refusal) {
    throw new ComposeError(COMPOSE_ERROR_CODES.YAML_SYNTAX, `yaml: line ${refusal.line}: ${refusal.reason}`, {
      file,
      line: refusal.line,
      column: refusal.column,
    });
  }
  return parsed;
}

/**
 * The documents as go-yaml reads them. `rewrite` is the text in words the package reads as go-yaml
 * reads the original (yaml-layout.ts): read first when the package would read the original
 * otherwise, else only when the package refuses the original. Positions are mapped back to the
 * text as written. When the package refuses the rewrite too, its complaint about the text as
 * written is reported if it has one; if it has none, the rewrite's (go-yaml refuses the text).
 */
function readAsGoYaml(text: string, file: string, rewrite: RewrittenText | undefined): ParsedYamlDocument[] {
  const readRewrite = () => convertDocuments(readWithYamlPackage(rewrite!.text, { text, originalOffset: rewrite!.originalOffset }), file);
  let refused: PackageSyntaxError | undefined;
  if (rewrite?.changesReading) {
    try {
      return readRewrite();
    } catch (error) {
      if (!(error instanceof PackageSyntaxError)) throw error;
      refused = error;
    }
  }
  let asWritten: ParsedYamlDocument[];
  try {
    asWritten = convertDocuments(readWithYamlPackage(text), file);
  } catch (error) {
    if (!(error instanceof PackageSyntaxError)) throw error;
    if (!rewrite || refused) throw error.reported;
    try {
      return readRewrite();
    } catch (again) {
      if (again instanceof PackageSyntaxError) throw error.reported;
      throw again;
    }
  }
  if (refused) throw refused.reported;
  return asWritten;
}

/** A syntax error the `yaml` package found, as it is reported. */
class PackageSyntaxError extends Error {
  constructor(readonly reported: ComposeError) {
    super(reported.message);
  }
}

/** What the `yaml` package made of a text. */
interface PackageRead {
  text: string;
  documents: Document.Parsed[];
  lineCounter: LineCounter;
  /** The text as written, and where an offset of `text` is in it (the same text unless rewritten). */
  source: BlockScalarSource;
}

/**
 * Parses `text` with the `yaml` package. When it is a rewrite of the text as written (`original`),
 * every position reported is mapped back to that text.
 */
function readWithYamlPackage(
  text: string,
  original?: { text: string; originalOffset: RewrittenText['originalOffset'] },
): PackageRead {
  const { LineCounter, parseAllDocuments } = yamlPackage();
  const counter = new LineCounter();
  // The parser builds an Error for every problem it meets (a broken file can have hundreds) and
  // only the first one's message and offset are used: capturing their stacks was most of the time
  // a broken file took.
  const stackTraceLimit = Error.stackTraceLimit;
  Error.stackTraceLimit = 0;
  let documents: ReturnType<typeof parseAllDocuments>;
  try {
    documents = parseAllDocuments(text, {
      lineCounter: counter,
      customTags: CUSTOM_TAGS,
      merge: false,
      uniqueKeys: false,
      prettyErrors: false,
      strict: false,
    });
  } finally {
    Error.stackTraceLimit = stackTraceLimit;
  }
  return {
    text,
    documents: (Array.isArray(documents) ? documents : [documents]) as Document.Parsed[],
    lineCounter: original ? positionsIn(original.text, original.originalOffset) : counter,
    source: original ?? { text, originalOffset: (offset) => offset },
  };
}

/** A line counter of `original` for offsets of its rewrite, mapped back by `originalOffset`. */
function positionsIn(original: string, originalOffset: (offset: number) => number): LineCounter {
  const { LineCounter } = yamlPackage();
  const counter = new LineCounter();
  counter.addNewLine(0);
  for (let at = original.indexOf('\n'); at !== -1; at = original.indexOf('\n', at + 1))
    counter.addNewLine(at + 1);
  return Object.assign(Object.create(counter) as LineCounter, {
    linePos: (offset: number) => counter.linePos(originalOffset(offset)),
  });
}

/** The documents of `read` as plain values, in order; the first syntax error met is thrown as a `PackageSyntaxError`. */
function convertDocuments({ text, documents, lineCounter, source }: PackageRead, file: string): ParsedYamlDocument[] {
  const parsed: ParsedYamlDocument[] = [];
  const anchors = new Map<string, YamlNode>();
  for (const document of documents) {
    // go-yaml keeps anchors across the documents of a file: an alias to an earlier document's
    // anchor is no error there.
    const [firstError] = document.errors.filter(
      (error) => !(error.code === 'BAD_ALIAS' && anchors.has(aliasName(text, error.pos[0]))),
    );
    if (firstError) {
      const position = lineCounter.linePos(firstError.pos[0]);
      const summary = firstError.message.split('\n')[0] ?? firstError.message;
      throw new PackageSyntaxError(
        new ComposeError(COMPOSE_ERROR_CODES.YAML_SYNTAX, `yaml: invalid YAML in ${file}: ${summary}`, {
          file,
          line: position.line,
          column: position.col,
        }),
      );
    }
    checkYamlVersion(document, text, file);
    let contents: YamlNode | null;
    try {
      contents = fromYamlPackage(document, lineCounter, text, anchors, source);
    } catch (error) {
      if (!(error instanceof ComposeError)) throw error;
      throw new ComposeError(error.code, error.message, { file, line: error.line, column: error.column });
    }
    parsed.push(new DocumentConverter(contents, file).convert());
  }
  return parsed;
}

/** The name of the alias written at `offset` (`*name`). */
function aliasName(text: string, offset: number): string {
  return /^\*([^\s,[\]{}]+)/.exec(text.slice(offset))?.[1] ?? '';
}

/** go-yaml reads YAML 1.1 documents only: a `%YAML` directive of another version is refused. */
function checkYamlVersion(
  document: { directives?: { yaml: { explicit?: boolean; version: string } } },
  text: string,
  file: string,
): void {
  const yaml = document.directives?.yaml;
  if (!yaml?.explicit) return;
  const directive = /^%YAML[ \t]+(\S+)/m.exec(text);
  const version = directive?.[1] ?? yaml.version;
  if (version === '1.1') return;
  const line = directive ? text.slice(0, directive.index).split('\n').length : undefined;
  throw new ComposeError(
    COMPOSE_ERROR_CODES.YAML_SYNTAX,
    `yaml: found incompatible YAML document (%YAML ${version}: Compose's YAML reader takes YAML 1.1 only)`,
    { file, line, column: 1 },
  );
}

class DocumentConverter {
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
   * Counts what go-yaml's decoder would (one per node, an alias's target again at every alias)
   * without expanding anything, and refuses the document where go-yaml's aliasing rule would
   * (see `excessiveAliasing`). Only a node an alias points at can be reached twice (or from inside
   * itself), so only those sizes are memoized and watched for cycles. Within an alias's expansion
   * both counts grow by one per node, so the aliased share only rises and the allowance only
   * falls: testing once the whole expansion is counted decides as go-yaml's test at each node.
   */
  private checkExpandedSize(): void {
    const sizes = new Map<YamlNode, number>();
    const active = new Set<YamlNode>();
    const aliased = (target: YamlNode): number => {
      const known = sizes.get(target);
      if (known !== undefined) return known;
      if (active.has(target))
        throw this.error(COMPOSE_ERROR_CODES.YAML_ALIAS_BOMB, 'yaml: an anchor refers to itself', target);
      active.add(target);
      const total = size(target);
      active.delete(target);
      sizes.set(target, total);
      return total;
    };
    const size = (node: YamlNode | null | undefined): number => {
      if (!node) return 1;
      if (node.kind === 'alias') return node.target ? Math.min(SIZE_CAP, 1 + aliased(node.target)) : 1;
      let total = 1;
      if (node.kind === 'map') for (const [key, value] of node.items) total += size(key) + size(value);
      else if (node.kind === 'seq') for (const item of node.items) total += size(item);
      return Math.min(SIZE_CAP, total);
    };
    const count = (n: number): string => (n >= SIZE_CAP ? 'more than 10^15' : String(n));
    const tooMuch = (node: YamlNode, expansion: string): ComposeError =>
      this.error(
        COMPOSE_ERROR_CODES.YAML_ALIAS_BOMB,
        `failed to parse ${this.file}: yaml: document contains excessive aliasing (${expansion}${count(aliasCount)} of ${count(decodeCount)} decoded nodes through aliases: an alias bomb?)`,
        node,
      );
    let decodeCount = 1; // the document node
    let aliasCount = 0;
    const walk = (node: YamlNode | null | undefined): void => {
      decodeCount++;
      if (node?.kind === 'alias') {
        const expanded = node.target ? aliased(node.target) : 0;
        decodeCount += expanded;
        aliasCount += expanded;
        if (excessiveAliasing(decodeCount, aliasCount))
          throw tooMuch(node, `*${node.name} expands to ${count(expanded)} nodes, `);
        return;
      }
      if (aliasCount > 100 && node && excessiveAliasing(decodeCount, aliasCount)) throw tooMuch(node, '');
      if (node?.kind === 'map') {
        for (const [key, value] of node.items) {
          walk(key);
          walk(value);
        }
      } else if (node?.kind === 'seq') {
        for (const item of node.items) walk(item);
      }
    };
    walk(this.contents);
  }

  private error(
    code: (typeof COMPOSE_ERROR_CODES)[keyof typeof COMPOSE_ERROR_CODES],
    message: string,
    node?: YamlNode | null,
  ): ComposeError {
    return new ComposeError(code, message, {
      file: this.file,
      line: node?.line || undefined,
      column: node?.column || undefined,
    });
  }

  private node(node: YamlNode | null | undefined, path: TreePath): unknown {
    if (node === null || node === undefined) return null;
    if (node.kind === 'alias') {
      const target = node.target;
      if (!target)
        throw this.error(
          COMPOSE_ERROR_CODES.YAML_SYNTAX,
          `yaml: unknown anchor '${node.name}' referenced`,
          node,
        );
      if (this.expanding.has(target))
        throw this.error(
          COMPOSE_ERROR_CODES.YAML_ALIAS_BOMB,
          `yaml: anchor '${node.name}' refers to itself`,
          node,
        );
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
      // Compose's reset pass refuses a key written twice before go-yaml merges anything, so two
      // `<<` keys in one mapping are refused too.
      const line = keyNode.line;
      const previous = keyLines.get(key);
      if (previous !== undefined) {
        throw this.error(
          COMPOSE_ERROR_CODES.YAML_DUPLICATE_KEY,
          `yaml: line ${line}: mapping key "${key}" already defined at line ${previous}`,
          keyNode,
        );
      }
      keyLines.set(key, line);
      if (key === '<<' && keyNode.kind === 'scalar' && keyNode.plain) {
        merged.push(...this.mergeSources(valueNode, path));
        continue;
      }
      const childPath = nextPath(path, key);
      if (line > 0) this.positions.set(childPath, { line, column: keyNode.column });
      const value = this.node(valueNode, childPath);
      if (value !== RESET) explicit.set(key, value);
    }
    const out: Record<string, unknown> = {};
    // Merge keys: the first source wins over later ones, explicit keys win over all of them.
    for (let i = merged.length - 1; i >= 0; i--)
      for (const [key, value] of Object.entries(merged[i] ?? {})) setEntry(out, key, value);
    for (const [key, value] of explicit) setEntry(out, key, value);
    return out;
  }

  private mergeSources(node: YamlNode | null, path: TreePath): Record<string, unknown>[] {
    // go-yaml takes a sequence written there (`<<: [*a, *b]`), but an alias must name a map:
    // `<<: *list` is refused even when the list holds maps.
    if (node?.kind === 'seq') return node.items.map((item) => this.mergeSource(item, path));
    return [this.mergeSource(node, path)];
  }

  private mergeSource(node: YamlNode | null, path: TreePath): Record<string, unknown> {
    const value = this.node(node, path);
    if (!isPlainObject(value))
      throw this.error(
        COMPOSE_ERROR_CODES.YAML_SYNTAX,
        'yaml: map merge requires map or sequence of maps as the value',
        node,
      );
    return value;
  }

  private key(node: YamlNode, path: TreePath): string {
    const value = this.node(node, path);
    if (typeof value === 'string') return value;
    const where = path === '' ? 'at top level' : `in ${path.split('\u0000').join('.')}`;
    throw this.error(
      COMPOSE_ERROR_CODES.YAML_NON_STRING_KEY,
      `non-string key ${where}: ${JSON.stringify(value)}`,
      node,
    );
  }
}

const RESET = Symbol('reset');

export { isPlainObject };
