import type { Document, LineCounter, Node } from 'yaml';
import { yamlPackage } from './yaml-package.js';
import { COMPOSE_ERROR_CODES, ComposeError } from '../errors.js';
import { resolvePlainScalar, resolveTaggedScalar } from './plain-scalar.js';
import { decodeBlockScalar } from './block-scalar.js';
import { decodeQuotedScalar } from './quoted-scalar.js';
import type { YamlNode } from './yaml-node.js';

const OVERRIDE_TAG = '!override';

/**
 * The text as written and where an offset of the parsed text is in it: block scalars are read
 * from the text as written, which a rewrite for the package may have changed (yaml-layout.ts
 * empties their leading lines of spaces when the package refuses those).
 */
export interface BlockScalarSource {
  text: string;
  originalOffset: (offset: number) => number;
}

/** go-yaml's limit on an implicit key, from its first character to its `:`. */
const MAX_IMPLICIT_KEY = 1024;

/**
 * The contents of a document parsed by the `yaml` package, as the loader's nodes. Aliases point at
 * the last node before them anchored with their name, as the package's `Alias.resolve` finds it
 * (that method walks the whole document for every alias, so the walk is done once here).
 * What go-yaml refuses and the package takes (a tagged scalar that is not of its tag, an implicit
 * key longer than 1,024 characters) is thrown as a ComposeError without a file.
 */
export function fromYamlPackage(
  document: Document,
  lineCounter: LineCounter,
  text: string,
  earlierAnchors: Map<string, YamlNode> = new Map(),
  written: BlockScalarSource = { text, originalOffset: (offset) => offset },
): YamlNode | null {
  const { isAlias, isMap, isPair, isScalar, isSeq, visit } = yamlPackage();
  const converted = new Map<Node, YamlNode>();
  let anchorsInOrder: Node[] | undefined;
  const aliasTarget = (alias: Node & { source: string }): Node | undefined => {
    if (!anchorsInOrder) {
      const nodes: Node[] = [];
      visit(document, {
        Node: (_key, node) => {
          if (isAlias(node) || typeof (node as { anchor?: unknown }).anchor === 'string') nodes.push(node);
        },
      });
      anchorsInOrder = nodes;
    }
    let found: Node | undefined;
    for (const node of anchorsInOrder) {
      if (node === alias) break;
      if ((node as { anchor?: string }).anchor === alias.source) found = node;
    }
    return found;
  };

  // `parentIndent`: the column (0-based) of the block collection a node is in, -1 at the top; a
  // block scalar's indentation is counted from it.
  const convert = (node: unknown, parentIndent = -1): YamlNode | null => {
    if (node === null || node === undefined || typeof node !== 'object') return null;
    const known = converted.get(node as Node);
    if (known) return known;
    const offset = (node as Node).range?.[0];
    const position = offset === undefined ? { line: 0, col: 0 } : lineCounter.linePos(offset);
    const tag = (node as { tag?: string }).tag;
    const base = { line: position.line, column: position.col, ...(tag === undefined ? {} : { tag }) };
    if (isAlias(node)) {
      const target = aliasTarget(node);
      const alias: YamlNode = { ...base, kind: 'alias', name: node.source, target: undefined };
      converted.set(node, alias);
      // An anchored node holding an alias to itself is still being converted: its entry exists.
      // go-yaml keeps the anchors of earlier documents of the stream.
      alias.target = target === undefined ? earlierAnchors.get(node.source) : (converted.get(target) ?? convert(target) ?? undefined);
      return alias;
    }
    if (isMap(node)) {
      const map: YamlNode = { ...base, kind: 'map', items: [] };
      const indent = node.flow ? parentIndent : position.col - 1;
      converted.set(node, map);
      for (const item of node.items) {
        if (!isPair(item)) continue;
        checkKeyLength(item.key as Node | null, text, lineCounter);
        const key = convert(item.key, indent) ?? { line: 0, column: 0, kind: 'scalar', value: null, plain: true, source: '' };
        map.items.push([key, convert(item.value, indent)]);
      }
      return map;
    }
    if (isSeq(node)) {
      const seq: YamlNode = { ...base, kind: 'seq', items: [] };
      const indent = node.flow ? parentIndent : position.col - 1;
      converted.set(node, seq);
      for (const item of node.items) {
        if (!node.flow) checkEntrySeparator(item as Node | null, text, lineCounter);
        seq.items.push(convert(item, indent));
      }
      return seq;
    }
    if (isScalar(node)) {
      if (node.type === 'QUOTE_DOUBLE') checkEscapes(node, text, lineCounter);
      const plain = node.type === 'PLAIN';
      const source = typeof node.source === 'string' ? node.source : '';
      // A quoted scalar over several lines, and a block scalar, as go-yaml reads them
      // (quoted-scalar.ts, block-scalar.ts); a `!!binary` one is bytes the package has decoded.
      const quoted = node.type === 'QUOTE_DOUBLE' || node.type === 'QUOTE_SINGLE' ? text.slice(node.range?.[0], node.range?.[1]) : '';
      const block = node.type === 'BLOCK_LITERAL' || node.type === 'BLOCK_FOLDED';
      const folded =
        typeof node.value !== 'string' ? node
        : block && node.range ? { value: decodeBlockScalar(written.text, written.originalOffset(node.range[0]), parentIndent) }
        : /[\r\n\u2028\u2029]/.test(quoted) ? { value: decodeQuotedScalar(quoted) }
        : node;
      let value: unknown;
      try {
        value = scalarValue(folded, tag, plain, source);
      } catch (error) {
        throw new ComposeError(COMPOSE_ERROR_CODES.YAML_SYNTAX, `yaml: ${(error as Error).message}`, { line: position.line, column: position.col });
      }
      const scalar: YamlNode = { ...base, kind: 'scalar', value, plain, source };
      converted.set(node, scalar);
      return scalar;
    }
    return null;
  };
  const contents = convert(document.contents);
  visit(document, {
    Node: (_key, node) => {
      const anchor = (node as { anchor?: unknown }).anchor;
      const target = converted.get(node);
      if (typeof anchor === 'string' && target) earlierAnchors.set(anchor, target);
    },
  });
  return contents;
}

/** Untagged (or `!override`) plain scalars typed like go-yaml v3; quoted and block ones are strings. */
function scalarValue(node: { value: unknown }, tag: string | undefined, plain: boolean, source: string): unknown {
  if (tag === OVERRIDE_TAG || tag === undefined || tag === '!') {
    if (plain && tag !== '!') return resolvePlainScalar(source);
    return typeof node.value === 'string' ? node.value : node.value === null || node.value === undefined ? '' : JSON.stringify(node.value);
  }
  // go-yaml decodes `!!binary` to a string of its bytes.
  if (node.value instanceof Uint8Array) return new TextDecoder().decode(node.value);
  const typed = resolveTaggedScalar(tag, plain ? source : typeof node.value === 'string' ? node.value : source, plain);
  return typed === undefined ? node.value : typed.value;
}

/** Refuses an implicit key whose `:` is more than 1,024 characters from its start, as go-yaml's scanner does. */
function checkKeyLength(key: Node | null, text: string, lineCounter: LineCounter): void {
  const start = key?.range?.[0];
  const end = key?.range?.[1];
  if (start === undefined || end === undefined || end - start < MAX_IMPLICIT_KEY - 1) return;
  let colon = end;
  while (text[colon] === ' ' || text[colon] === '\t') colon++;
  if (text[colon] !== ':' || /\?\s*$/.test(text.slice(Math.max(0, start - 8), start))) return;
  if ([...text.slice(start, colon)].length <= MAX_IMPLICIT_KEY) return;
  const position = lineCounter.linePos(colon);
  throw new ComposeError(COMPOSE_ERROR_CODES.YAML_SYNTAX, `yaml: line ${position.line}: mapping values are not allowed in this context (an implicit key is at most 1024 characters long)`, {
    line: position.line,
    column: position.col,
  });
}

/**
 * go-yaml's scanner takes no tab right after a block sequence's `-` (where a key could start),
 * which YAML 1.2 and the `yaml` package allow: "found character that cannot start any token".
 */
function checkEntrySeparator(item: Node | null, text: string, lineCounter: LineCounter): void {
  const start = item?.range?.[0];
  if (start === undefined) return;
  let at = start - 1;
  let tab = -1;
  while (at >= 0 && (text[at] === ' ' || text[at] === '\t')) {
    if (text[at] === '\t') tab = at;
    at--;
  }
  if (tab < 0 || text[at] !== '-') return;
  const position = lineCounter.linePos(tab);
  throw new ComposeError(COMPOSE_ERROR_CODES.YAML_SYNTAX, `yaml: line ${position.line}: found character that cannot start any token (a tab after a list's -)`, {
    line: position.line,
    column: position.col,
  });
}

/**
 * go-yaml's double-quoted escapes lack YAML 1.2's `\/` ("found unknown escape character") and
 * take no surrogate (`\ud83c`, as JSON writes characters beyond U+FFFF) nor a code beyond U+10FFFF.
 */
function checkEscapes(node: Node, text: string, lineCounter: LineCounter): void {
  const [start, end] = node.range ?? [0, 0];
  for (let at = start; at < end; at++) {
    if (text[at] !== '\\') continue;
    const escape = text[at + 1];
    if (escape === '/') {
      const position = lineCounter.linePos(at);
      throw new ComposeError(COMPOSE_ERROR_CODES.YAML_SYNTAX, `yaml: line ${position.line}: found unknown escape character (\\/)`, { line: position.line, column: position.col });
    }
    const digits = escape === 'u' ? 4 : escape === 'U' ? 8 : 0;
    const point = digits > 0 ? Number.parseInt(text.slice(at + 2, at + 2 + digits), 16) : Number.NaN;
    if ((point >= 0xd800 && point <= 0xdfff) || point > 0x10ffff) {
      const position = lineCounter.linePos(at);
      throw new ComposeError(COMPOSE_ERROR_CODES.YAML_SYNTAX, `yaml: line ${position.line}: found invalid Unicode character escape code (${text.slice(at, at + 2 + digits)})`, {
        line: position.line,
        column: position.col,
      });
    }
    at++;
  }
}