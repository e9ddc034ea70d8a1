import { MAX_YAML_NESTING } from './nesting-limit.js';
import { resolvePlainScalar } from './plain-scalar.js';
import { DOUBLE_QUOTED_ESCAPES, HEX_ESCAPE_LENGTHS } from './quoted-scalar.js';
import type { YamlMap, YamlNode, YamlSeq } from './yaml-node.js';

/**
 * A reader of the block YAML compose files are written in: block mappings and sequences, plain,
 * quoted and block scalars, one-line flow collections, comments, anchors, aliases, `<<` and the
 * `!reset`/`!override` tags, several documents. It answers only when it is sure to read the text
 * as the `yaml` package does (a test holds the two together): for anything else (tabs, multi-line
 * plain, quoted or flow scalars, complex keys, other tags, directives, odd indentation, errors)
 * it returns undefined and the caller uses the `yaml` package, whose messages are reported.
 */
export function readComposeYaml(text: string): Array<YamlNode | null> | undefined {
  if (text.includes('\t') || text.includes('\r') || text.charCodeAt(0) === 0xfeff) return undefined;
  try {
    return new BlockReader(text).documents();
  } catch (error) {
    if (error === NOT_TAKEN) return undefined;
    throw error;
  }
}

/** Thrown when the text is not one the reader takes: one instance, so no stack is captured each time. */
class NotTaken extends Error {}
const NOT_TAKEN = new NotTaken('not a text the fast reader takes');

const TAGS = new Set(['!reset', '!override']);
/**
 * go-yaml's anchor and alias names: letters, digits, `_` and `-` only (`&app.env` is refused
 * there, and `&a:b` is the anchor `a`). Others go to the package's path, which reports them as
 * go-yaml does (yaml-layout.ts).
 */
const ANCHOR_NAME = /^[0-9A-Za-z_-]+$/;
/**
 * go-yaml gives up on an implicit key whose `:` comes more than 1,024 characters after its start
 * ("mapping values are not allowed in this context"); such a line goes to the `yaml` package
 * path, which reports it (counted in UTF-16 units here, so a longer line of wide characters
 * only takes the slower path).
 */
const MAX_IMPLICIT_KEY = 1024;
/** Characters a plain scalar cannot start with (`-`, `?` and `:` only when a space follows). */
const PLAIN_START_INDICATORS = new Set([',', '[', ']', '{', '}', '#', '&', '*', '!', '|', '>', "'", '"', '%', '@', '`']);
const FLOW_INDICATORS = new Set([',', '[', ']', '{', '}']);

interface Properties {
  anchor?: string;
  tag?: string;
}

class BlockReader {
  private readonly lines: string[];
  private row = 0;
  private anchors = new Map<string, YamlNode>();
  /** Collections open around the current node (a node that throws is never returned: no reset needed). */
  private depth = 0;

  constructor(text: string) {
    this.lines = text.split('\n');
    if (this.lines.at(-1) === '') this.lines.pop();
  }

  documents(): Array<YamlNode | null> {
    const documents: Array<YamlNode | null> = [];
    this.skipBlank();
    if (this.row < this.lines.length && !this.atMarker()) documents.push(this.document());
    while (this.row < this.lines.length) {
      if (!this.atMarker()) throw NOT_TAKEN;
      this.row++;
      this.skipBlank();
      documents.push(this.row >= this.lines.length || this.atMarker() ? null : this.document());
    }
    return documents;
  }

  /** Anchors stay defined for the documents after theirs, as go-yaml's decoder keeps them. */
  private document(): YamlNode {
    const node = this.block(-1, {});
    this.skipBlank();
    if (this.row < this.lines.length && !this.atMarker()) throw NOT_TAKEN;
    return node;
  }

  /** True on a `---` line; `...` and directives are not taken. */
  private atMarker(): boolean {
    const line = this.lines[this.row] ?? '';
    if (line.startsWith('...') || line.startsWith('%')) throw NOT_TAKEN;
    if (!line.startsWith('---')) return false;
    const rest = line.slice(3);
    if (rest.trim() === '') return true;
    if (rest[0] === ' ' || rest[0] === '#') throw NOT_TAKEN;
    return false;
  }

  /** Moves past empty and comment-only lines. */
  private skipBlank(): void {
    while (this.row < this.lines.length) {
      const line = this.lines[this.row] ?? '';
      const content = line.trimStart();
      if (content !== '' && !content.startsWith('#')) return;
      this.row++;
    }
  }

  /** The indentation of the current content line; -1 at the end of the document. */
  private indent(): number {
    this.skipBlank();
    if (this.row >= this.lines.length || this.atMarker()) return -1;
    const line = this.lines[this.row] ?? '';
    return line.length - line.trimStart().length;
  }

  /**
   * Counts the collections open around the node being read: deeper than the engine reads
   * (nesting-limit.ts), the text goes to the package's path, which refuses it with its line.
   */
  private nest(): void {
    if (++this.depth > MAX_YAML_NESTING) throw NOT_TAKEN;
  }

  /** The node starting on the current line, indented more than `parent`. */
  private block(parent: number, properties: Properties): YamlNode {
    this.nest();
    const node = this.blockNode(parent, properties);
    this.depth--;
    return node;
  }

  private blockNode(parent: number, properties: Properties): YamlNode {
    const indent = this.indent();
    if (indent <= parent) throw NOT_TAKEN;
    const content = (this.lines[this.row] ?? '').slice(indent);
    if (content === '-' || content.startsWith('- ')) return this.sequence(indent, properties);
    if (this.entryKey(content, indent) !== undefined) return this.mapping(indent, content, properties);
    // A scalar on a line of its own, such as a document that is one value.
    const node = this.inline(content, indent, parent, properties);
    if (this.indent() > parent) throw NOT_TAKEN;
    return node;
  }

  private withProperties<T extends YamlNode>(node: T, properties: Properties): T {
    if (properties.tag !== undefined) node.tag = properties.tag;
    if (properties.anchor !== undefined) this.anchors.set(properties.anchor, node);
    return node;
  }

  /** A block mapping whose keys start at column `indent`; `first` is the current line from there. */
  private mapping(indent: number, first: string, properties: Properties): YamlMap {
    const map = this.withProperties<YamlMap>({ kind: 'map', items: [], line: this.row + 1, column: indent + 1 }, properties);
    let content = first;
    for (;;) {
      const key = this.entryKey(content, indent);
      if (key === undefined) throw NOT_TAKEN;
      const rest = content.slice(key.end);
      const value = rest.trimStart();
      map.items.push([key.node, this.entryValue(value, indent + key.end + rest.length - value.length, indent)]);
      const next = this.indent();
      if (next < indent) return map;
      if (next > indent) throw NOT_TAKEN;
      content = (this.lines[this.row] ?? '').slice(indent);
    }
  }

  /** A block sequence whose dashes are at column `indent`. */
  private sequence(indent: number, properties: Properties): YamlSeq {
    const seq = this.withProperties<YamlSeq>({ kind: 'seq', items: [], line: this.row + 1, column: indent + 1 }, properties);
    for (;;) {
      const content = (this.lines[this.row] ?? '').slice(indent);
      if (content !== '-' && !content.startsWith('- ')) return seq;
      const after = content.slice(1);
      let text = after.trimStart();
      let column = indent + 1 + after.length - text.length;
      const itemProperties = this.properties(text);
      if (itemProperties.length > 0) {
        const rest = text.slice(itemProperties.length);
        column += itemProperties.length + rest.length - rest.trimStart().length;
        text = rest.trimStart();
      }
      if (text === '' || text.startsWith('#')) {
        this.row++;
        seq.items.push(this.indent() > indent ? this.block(indent, itemProperties.value) : this.empty(itemProperties.value, column));
      } else if (text === '-' || text.startsWith('- ')) {
        throw NOT_TAKEN;
      } else if (this.entryKey(text, column) !== undefined) {
        if (itemProperties.length > 0) throw NOT_TAKEN;
        seq.items.push(this.mapping(column, text, {}));
      } else {
        seq.items.push(this.inline(text, column, indent, itemProperties.value));
        if (this.indent() > indent) throw NOT_TAKEN;
      }
      const next = this.indent();
      if (next < indent) return seq;
      if (next > indent) throw NOT_TAKEN;
    }
  }

  /** The value after `key:` (text from `column`) of a mapping at `indent`, and the lines it takes. */
  private entryValue(text: string, column: number, indent: number): YamlNode | null {
    const properties = this.properties(text);
    let rest = text;
    if (properties.length > 0) {
      const after = text.slice(properties.length);
      rest = after.trimStart();
      column += properties.length + after.length - rest.length;
    }
    if (rest === '' || rest.startsWith('#')) {
      this.row++;
      const next = this.indent();
      if (next > indent) return this.block(indent, properties.value);
      if (next === indent) {
        const content = (this.lines[this.row] ?? '').slice(indent);
        if (content === '-' || content.startsWith('- ')) return this.sequence(indent, properties.value);
      }
      return this.empty(properties.value, column);
    }
    const node = this.inline(rest, column, indent, properties.value);
    if (this.indent() > indent) throw NOT_TAKEN;
    return node;
  }

  private empty(properties: Properties, column: number): YamlNode | null {
    if (properties.tag === undefined && properties.anchor === undefined) return null;
    return this.withProperties<YamlNode>({ kind: 'scalar', value: null, plain: true, source: '', line: this.row, column: column + 1 }, properties);
  }

  /** `&anchor` and `!tag` before a value: what they set and how many characters they take. */
  private properties(text: string): { value: Properties; length: number } {
    const value: Properties = {};
    let at = 0;
    while (text[at] === '&' || text[at] === '!') {
      let end = at + 1;
      while (end < text.length && text[end] !== ' ') end++;
      const word = text.slice(at, end);
      if (word[0] === '&') {
        if (value.anchor !== undefined || !ANCHOR_NAME.test(word.slice(1))) throw NOT_TAKEN;
        value.anchor = word.slice(1);
      } else {
        if (value.tag !== undefined || !TAGS.has(word)) throw NOT_TAKEN;
        value.tag = word;
      }
      at = end;
      while (text[at] === ' ') at++;
    }
    return { value, length: at };
  }

  /**
   * The key of a `key: value` line (text starting at `column`): its node and where the text after
   * the colon starts; undefined when the line is not a mapping entry.
   */
  private entryKey(text: string, column: number): { node: YamlNode; end: number } | undefined {
    const first = text[0];
    if (first === '"' || first === "'") {
      const quoted = this.quoted(text, 0);
      let at = quoted.end;
      while (text[at] === ' ') at++;
      if (text[at] !== ':' || (at + 1 < text.length && text[at + 1] !== ' ')) return undefined;
      if (at > MAX_IMPLICIT_KEY) throw NOT_TAKEN;
      return { node: { kind: 'scalar', value: quoted.value, plain: false, source: text.slice(0, quoted.end), line: this.row + 1, column: column + 1 }, end: at + 1 };
    }
    for (let at = 0; at < text.length; at++) {
      const char = text[at];
      if (char === '#' && at > 0 && text[at - 1] === ' ') return undefined;
      if (char === ':' && (at + 1 === text.length || text[at + 1] === ' ')) {
        const source = text.slice(0, at).trimEnd();
        if (source === '' || !this.plainStart(source) || at > MAX_IMPLICIT_KEY) throw NOT_TAKEN;
        return { node: { kind: 'scalar', value: resolvePlainScalar(source), plain: true, source, line: this.row + 1, column: column + 1 }, end: at + 1 };
      }
    }
    return undefined;
  }

  private plainStart(text: string): boolean {
    const first = text[0] ?? '';
    if (PLAIN_START_INDICATORS.has(first)) return false;
    if ((first === '-' || first === '?' || first === ':') && (text.length === 1 || text[1] === ' ')) return false;
    return true;
  }

  /**
   * A value written on the current line from `column` (alias, block scalar, quoted, flow or plain
   * scalar), in a collection at `parent`; moves past the lines it takes.
   */
  private inline(text: string, column: number, parent: number, properties: Properties): YamlNode {
    const line = this.row + 1;
    const first = text[0];
    if (first === '*') {
      if (properties.tag !== undefined || properties.anchor !== undefined) throw NOT_TAKEN;
      const name = text.slice(1).split(' ', 1)[0] ?? '';
      this.endOfLine(text, 1 + name.length);
      this.row++;
      if (!ANCHOR_NAME.test(name)) throw NOT_TAKEN;
      return { kind: 'alias', name, target: this.anchors.get(name), line, column: column + 1 };
    }
    if (first === '|' || first === '>') return this.blockScalar(text, column, parent, properties);
    let node: YamlNode;
    let end: number;
    if (first === '"' || first === "'") {
      const quoted = this.quoted(text, 0);
      node = { kind: 'scalar', value: quoted.value, plain: false, source: text.slice(0, quoted.end), line, column: column + 1 };
      end = quoted.end;
    } else if (first === '[' || first === '{') {
      [node, end] = this.flow(text, 0, column);
    } else {
      end = text.length;
      const comment = text.indexOf(' #');
      if (comment >= 0) end = comment;
      const source = text.slice(0, end).trimEnd();
      if (!this.plainStart(source) || source.includes(': ') || source.endsWith(':')) throw NOT_TAKEN;
      node = { kind: 'scalar', value: resolvePlainScalar(source), plain: true, source, line, column: column + 1 };
    }
    this.endOfLine(text, end);
    this.row++;
    return this.withProperties(node, properties);
  }

  /** Only spaces and a comment may follow a value on its line. */
  private endOfLine(text: string, end: number): void {
    const rest = text.slice(end);
    const trimmed = rest.trimStart();
    if (trimmed === '') return;
    if (trimmed[0] !== '#' || trimmed.length === rest.length) throw NOT_TAKEN;
  }

  /** A quoted scalar that closes on its line: its value and the index after the closing quote. */
  private quoted(text: string, start: number): { value: string; end: number } {
    const quote = text[start];
    let value = '';
    let at = start + 1;
    while (at < text.length) {
      const char = text[at] ?? '';
      if (char === quote) {
        if (quote === "'" && text[at + 1] === "'") {
          value += "'";
          at += 2;
          continue;
        }
        return { value, end: at + 1 };
      }
      if (char === '\\' && quote === '"') {
        const code = text[at + 1] ?? '';
        const escaped = DOUBLE_QUOTED_ESCAPES[code];
        if (escaped !== undefined) {
          value += escaped;
          at += 2;
          continue;
        }
        const length = HEX_ESCAPE_LENGTHS[code];
        const hex = length === undefined ? '' : text.slice(at + 2, at + 2 + length);
        if (length === undefined || !new RegExp(`^[0-9a-fA-F]{${length}}$`).test(hex)) throw NOT_TAKEN;
        const point = Number.parseInt(hex, 16);
        // go-yaml refuses a surrogate or a code beyond U+10FFFF (reported by the yaml package path).
        if ((point >= 0xd800 && point <= 0xdfff) || point > 0x10ffff) throw NOT_TAKEN;
        value += String.fromCodePoint(point);
        at += 2 + length;
        continue;
      }
      value += char;
      at++;
    }
    throw NOT_TAKEN;
  }

  /** A flow collection that closes on its line: the node and the index after it. */
  private flow(text: string, start: number, column: number): [YamlNode, number] {
    this.nest();
    const read = this.flowCollection(text, start, column);
    this.depth--;
    return read;
  }

  private flowCollection(text: string, start: number, column: number): [YamlNode, number] {
    const line = this.row + 1;
    const isMap = text[start] === '{';
    const close = isMap ? '}' : ']';
    const node: YamlNode = isMap ? { kind: 'map', items: [], line, column: column + start + 1 } : { kind: 'seq', items: [], line, column: column + start + 1 };
    let at = this.skipSpaces(text, start + 1);
    while (text[at] !== close) {
      if (isMap) {
        const keyStart = at;
        const [key, afterKey] = this.flowItem(text, at, column, true);
        at = this.skipSpaces(text, afterKey);
        if (text[at] !== ':' || text[at + 1] !== ' ' || at - keyStart > MAX_IMPLICIT_KEY) throw NOT_TAKEN;
        const [value, afterValue] = this.flowItem(text, this.skipSpaces(text, at + 1), column, false);
        (node as YamlMap).items.push([key, value]);
        at = afterValue;
      } else {
        const [item, afterItem] = this.flowItem(text, at, column, false);
        (node as YamlSeq).items.push(item);
        at = afterItem;
      }
      at = this.skipSpaces(text, at);
      if (text[at] === ',') at = this.skipSpaces(text, at + 1);
      else if (text[at] !== close) throw NOT_TAKEN;
    }
    return [node, at + 1];
  }

  private skipSpaces(text: string, at: number): number {
    while (text[at] === ' ') at++;
    return at;
  }

  /** One entry of a flow collection (a key when `key`): the node and the index after it. */
  private flowItem(text: string, start: number, column: number, key: boolean): [YamlNode, number] {
    const first = text[start];
    if (first === '[' || first === '{') {
      if (key) throw NOT_TAKEN;
      return this.flow(text, start, column);
    }
    const line = this.row + 1;
    if (first === '*' && !key) {
      let end = start + 1;
      while (end < text.length && text[end] !== ' ' && !FLOW_INDICATORS.has(text[end] ?? '')) end++;
      const name = text.slice(start + 1, end);
      if (!ANCHOR_NAME.test(name)) throw NOT_TAKEN;
      return [{ kind: 'alias', name, target: this.anchors.get(name), line, column: column + start + 1 }, end];
    }
    if (first === '"' || first === "'") {
      const quoted = this.quoted(text, start);
      return [{ kind: 'scalar', value: quoted.value, plain: false, source: text.slice(start, quoted.end), line, column: column + start + 1 }, quoted.end];
    }
    // go-yaml reads a `:` opening an entry as an indicator, and ends a plain scalar at `?`, where
    // YAML 1.2 reads text: the package's path reports what go-yaml makes of them (yaml-layout.ts).
    if (first === ':') throw NOT_TAKEN;
    let end = start;
    while (end < text.length) {
      const char = text[end] ?? '';
      if (char === '?') throw NOT_TAKEN;
      if (FLOW_INDICATORS.has(char)) break;
      if (char === ':' && (end + 1 === text.length || text[end + 1] === ' ' || FLOW_INDICATORS.has(text[end + 1] ?? ''))) {
        if (!key) throw NOT_TAKEN;
        break;
      }
      if (char === '#' && text[end - 1] === ' ') throw NOT_TAKEN;
      end++;
    }
    const source = text.slice(start, end).trimEnd();
    if (source === '' || !this.plainStart(source)) throw NOT_TAKEN;
    return [{ kind: 'scalar', value: resolvePlainScalar(source), plain: true, source, line, column: column + start + 1 }, end];
  }

  /** A `|` or `>` scalar whose header is `text`, with its lines (more indented than `parent`). */
  private blockScalar(text: string, column: number, parent: number, properties: Properties): YamlNode {
    const line = this.row + 1;
    const header = /^([|>])([-+]?)(?: +#.*)?\s*$/.exec(text);
    if (!header) throw NOT_TAKEN;
    const folded = header[1] === '>';
    const chomping = header[2];
    this.row++;
    const body: string[] = [];
    let indent = -1;
    while (this.row < this.lines.length) {
      const raw = this.lines[this.row] ?? '';
      const content = raw.trimStart();
      if (content === '') {
        body.push(raw);
        this.row++;
        continue;
      }
      const lineIndent = raw.length - content.length;
      if (indent < 0) {
        if (lineIndent <= parent || parent < 0) break;
        indent = lineIndent;
      }
      if (lineIndent < indent) break;
      body.push(raw);
      this.row++;
    }
    // A scalar running to the end of a text with no final line break: go-yaml keeps no break
    // after its last line (`|` gives "x", not "x\n"); the full reader follows it there.
    if (this.row === this.lines.length && this.lines.at(-1) !== '') throw NOT_TAKEN;
    // Empty lines after the scalar belong to what follows (as comments do).
    let trailing = 0;
    while (body.length > 0 && (body.at(-1) ?? '').trim() === '') {
      if ((body.at(-1) ?? '').length > Math.max(indent, 0)) throw NOT_TAKEN;
      body.pop();
      trailing++;
    }
    if (indent < 0 || body.length === 0) throw NOT_TAKEN;
    const lines = body.map((raw) => {
      if (raw.trim() === '' && raw.length > indent) throw NOT_TAKEN;
      return raw.slice(indent);
    });
    let value: string;
    if (folded) {
      value = '';
      let empties = 0;
      lines.forEach((content, index) => {
        if (content === '') {
          empties++;
          return;
        }
        if (content[0] === ' ') throw NOT_TAKEN;
        value += index === empties ? '\n'.repeat(empties) : empties > 0 ? '\n'.repeat(empties) : ' ';
        value += content;
        empties = 0;
      });
    } else value = lines.join('\n');
    if (chomping === '') value += '\n';
    else if (chomping === '+') value += '\n'.repeat(trailing + 1);
    return this.withProperties<YamlNode>({ kind: 'scalar', value, plain: false, source: text, line, column: column + 1 }, properties);
  }
}
