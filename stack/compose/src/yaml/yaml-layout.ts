/*
 * Places where go-yaml (a port of libyaml, YAML 1.1) and the `yaml` package (YAML 1.2) read a
 * compose file differently, found by one pass over the text.
 *
 * Indentation inside flow collections and quoted scalars: go-yaml does not look at it, so a
 * continuation line of `command: "sh -c` or `test: [` may start at any column, the key's own or
 * the first. The package wants such lines indented more than their block and refuses them
 * ("Missing closing "quote", "Flow sequence in block collection must be sufficiently indented").
 * Compose files are written that way often enough (a long `command:` wrapped at the key's
 * column), so a text the package refuses is read again with those lines padded. That changes no
 * value: the leading white space of a quoted scalar's continuation line is folded away, and
 * between a flow collection's entries it means nothing.
 *
 * Tabs: go-yaml takes a tab as white space only where no token may start. At the start of a line
 * in block context, and right after `-`, `?` or a complex key's `:`, a tab is "a character that
 * cannot start any token"; in the indentation of a plain scalar's continuation or of a block
 * scalar it breaks that indentation. The package takes all of these (a blank line holding a tab,
 * a comment indented with one), so a text it reads is checked here, and refused as Compose
 * refuses it.
 *
 * Plain scalars in flow collections: go-yaml ends one at `?` and at any of `,[]{}`, where YAML
 * 1.2 takes `?` as text (`[curl, http://h/?a=1]`, refused by Compose) and `x:` before `,` or
 * `]` as a key; and a `:` or `?` opening an entry is an indicator to go-yaml, text to the
 * package. The refusals are reported as go-yaml's; a plain `x:` is quoted for the package, and
 * `?x` spaced, so that it reads them as go-yaml does.
 *
 * Anchor and alias names: go-yaml takes letters, digits, `_` and `-` only, and refuses a name
 * that goes on with another character (`&app.env`); YAML 1.2 takes any but white space and flow
 * indicators.
 *
 * The scanner follows the block structure as libyaml does (its stack of block indentations), and
 * wherever it is not sure (a text it cannot follow to the end) it reports nothing, which keeps
 * the package's verdict.
 */

import { MAX_YAML_NESTING } from './nesting-limit.js';

/** A text rewritten for the `yaml` package, and where each of its offsets was in the text as written. */
export interface RewrittenText {
  text: string;
  originalOffset: (offset: number) => number;
  /**
   * The package would read the text as written otherwise than go-yaml even where it takes it
   * (`[x:]`, `[?x]`); when false, the rewrite only helps the package take what it refuses.
   */
  changesReading: boolean;
}

/** Something go-yaml refuses and the `yaml` package takes, with go-yaml's reason; line and column 1-based. */
export interface GoYamlRefusal {
  line: number;
  column: number;
  reason: string;
}

/** Characters removed at `offset` of the text as written and `insert` put there. */
interface TextEdit {
  offset: number;
  remove: number;
  insert: string;
  /** The package reads the text otherwise without it, even when it takes the text. */
  changesReading?: boolean;
}

/** How go-yaml reads a text where the `yaml` package reads it otherwise. */
export interface GoYamlLayout {
  /**
   * The text in words the package reads as go-yaml reads the original, when it needs any: the
   * continuation lines of flow collections and quoted scalars that start in block context
   * indented to one column past where they start, `\'` in double quotes (go-yaml's escape for
   * `'`, not YAML 1.2's) written `\x27`, a plain `x:` in a flow collection quoted, a space after
   * `?x` opening a flow entry and after an anchor or alias name that ends at `:` (`*a:`).
   */
  rewrite: RewrittenText | undefined;
  /** The first thing in the text go-yaml refuses and the package takes. */
  refusal: GoYamlRefusal | undefined;
  /** Where the collections first nest deeper than the engine reads (nesting-limit.ts), before the package reads them. */
  tooDeep: { line: number; column: number } | undefined;
}

/** Undefined when the text cannot be followed to its end (an unterminated quote or bracket): the package's verdict stands. */
export function goYamlLayout(text: string): GoYamlLayout | undefined {
  const scan = scanLayout(text);
  if (!scan) return undefined;
  // In text order: a quoted plain scalar's opening quote is known only after its continuation lines.
  const edits = [...scan.edits].sort((a, b) => a.offset - b.offset);
  return { rewrite: edits.length === 0 ? undefined : rewritten(text, edits), refusal: scan.refusal, tooDeep: scan.tooDeep };
}

function rewritten(text: string, edits: readonly TextEdit[]): RewrittenText {
  let result = '';
  let from = 0;
  // Where each edit starts in the rewritten text, and the shift of everything before it.
  const starts: number[] = [];
  const shifts: number[] = [];
  let shift = 0;
  for (const edit of edits) {
    result += text.slice(from, edit.offset) + edit.insert;
    from = edit.offset + edit.remove;
    starts.push(edit.offset + shift);
    shifts.push(shift);
    shift += edit.insert.length - edit.remove;
  }
  result += text.slice(from);
  return {
    text: result,
    changesReading: edits.some((edit) => edit.changesReading === true),
    originalOffset: (offset) => {
      // The last edit starting at or before `offset` (a binary search: a node's position is asked for each node).
      let low = 0;
      let high = starts.length;
      while (low < high) {
        const middle = (low + high) >>> 1;
        if (starts[middle]! <= offset) low = middle + 1;
        else high = middle;
      }
      if (low === 0) return offset;
      const index = low - 1;
      const edit = edits[index]!;
      // Inside what an edit put in: where the edit is in the text as written.
      if (offset < starts[index]! + edit.insert.length) return edit.offset;
      return offset - shifts[index]! - (edit.insert.length - edit.remove);
    },
  };
}

function scanLayout(text: string): LayoutScanner | undefined {
  const scan = new LayoutScanner(text);
  try {
    scan.run();
  } catch (error) {
    if (error === UNFOLLOWABLE) return undefined;
    throw error;
  }
  return scan;
}

/** Thrown when the scanner meets a text it cannot follow to the end (an unterminated quote or bracket). */
class Unfollowable extends Error {}
const UNFOLLOWABLE = new Unfollowable('not followed');

const TAB = 0x09;
const SPACE = 0x20;
const HASH = 0x23;
const isBlank = (code: number | undefined) => code === SPACE || code === TAB;
const isBreakOrEnd = (code: number | undefined) => code === undefined || code === 0x0a || code === 0x0d;
const isSpaceOrEnd = (code: number | undefined) => isBlank(code) || isBreakOrEnd(code);
const FLOW_INDICATORS = new Set([0x2c, 0x5b, 0x5d, 0x7b, 0x7d]); // , [ ] { }
/** Characters an anchor or alias name may end at besides white space: ? : , ] } % @ ` */
const ANCHOR_ENDS = new Set([0x3f, 0x3a, 0x2c, 0x5d, 0x7d, 0x25, 0x40, 0x60]);
const isAnchorChar = (code: number | undefined) =>
  code !== undefined &&
  ((code >= 0x30 && code <= 0x39) ||
    (code >= 0x41 && code <= 0x5a) ||
    (code >= 0x61 && code <= 0x7a) ||
    code === 0x5f ||
    code === 0x2d);

const CANNOT_START_A_TOKEN = 'found character that cannot start any token';
const BREAKS_PLAIN_INDENTATION = 'found a tab character that violates indentation';
const BREAKS_BLOCK_INDENTATION = 'found a tab character where an indentation space is expected';

/** Where a node began: its offset and 1-based line; `explicit` after a complex key's `?`. */
interface NodeStart {
  offset: number;
  line: number;
  explicit?: boolean;
}

/** go-yaml's longest simple key, from its start to its `:`. */
const MAX_SIMPLE_KEY = 1024;

/** Answered for a line a region's scalar ended on, with nothing after it to read (a comment). */
const LINE_READ = Symbol('line read');

/**
 * Lines that belong to a scalar begun on an earlier line: a plain scalar that may go on (its
 * lines start at `indent` or after), or a block scalar (its lines at `indent`, 0 until its first
 * line that holds something sets it).
 */
type Region =
  | { kind: 'plain'; indent: number }
  | { kind: 'block'; parentIndent: number; indent: number; widest: number; leadingSpaces: TextEdit[] };

class LayoutScanner {
  /** What the `yaml` package needs rewritten, in text order. */
  readonly edits: TextEdit[] = [];
  refusal: GoYamlRefusal | undefined = undefined;
  tooDeep: { line: number; column: number } | undefined = undefined;
  private at = 0;
  /** 1-based number of the line `at` is on, and where that line starts. */
  private line = 1;
  private lineStart = 0;
  /** libyaml's stack of block indentations (the columns of the open block mappings and sequences). */
  private readonly indents: number[] = [];
  /** A comment was read where go-yaml looks for the next token: it reads the comment lines after it too. */
  private commentRead = false;

  constructor(private readonly text: string) {}

  private code(offset = this.at): number | undefined {
    return offset < this.text.length ? this.text.charCodeAt(offset) : undefined;
  }

  private column(offset = this.at): number {
    return offset - this.lineStart;
  }

  /** The indentation of the innermost open block collection, -1 at a document's top. */
  private get indent(): number {
    return this.indents.at(-1) ?? -1;
  }

  /** A block collection opening at `column` (a key or `-` further right than the current one). */
  private roll(column: number): void {
    if (column > this.indent) this.indents.push(column);
    this.checkNesting(this.indents.length);
  }

  /** Notes the first place `depth` open collections pass the engine's limit. */
  private checkNesting(depth: number): void {
    if (depth > MAX_YAML_NESTING) this.tooDeep ??= { line: this.line, column: this.column() + 1 };
  }

  /** Closes the block collections a token at `column` is left of. */
  private unroll(column: number): void {
    while (this.indent > column) this.indents.pop();
  }

  private refuse(offset: number, reason: string): void {
    this.refusal ??= { line: this.line, column: this.column(offset) + 1, reason };
  }

  /** Moves past a line break at `at` (LF or CRLF) onto the next line. */
  private newLine(): void {
    if (this.code() === 0x0d && this.code(this.at + 1) === 0x0a) this.at++;
    this.at++;
    this.line++;
    this.lineStart = this.at;
  }

  private skipToLineEnd(): void {
    while (!isBreakOrEnd(this.code())) this.at++;
  }

  /** Past the rest of the current line (a comment, what a token left) onto the next. */
  private endLine(): void {
    this.skipToLineEnd();
    if (this.at < this.text.length) this.newLine();
  }

  /** The number of spaces the current line starts with. */
  private spaces(): number {
    let count = 0;
    while (this.code(this.lineStart + count) === SPACE) count++;
    return count;
  }

  /** Whether the current line holds only white space (or nothing). */
  private lineIsBlank(): boolean {
    let offset = this.lineStart;
    while (isBlank(this.code(offset))) offset++;
    return isBreakOrEnd(this.code(offset));
  }

  /** `---` or `...` at the start of the current line, followed by white space or its end. */
  private atDocumentMarker(): boolean {
    const start = this.lineStart;
    const first = this.code(start);
    if (first !== 0x2d && first !== 0x2e) return false;
    return (
      this.code(start + 1) === first && this.code(start + 2) === first && isSpaceOrEnd(this.code(start + 3))
    );
  }

  /**
   * At a line break inside a flow collection or quoted scalar that started at column `opened`:
   * moves onto the next line (padded if it needs) and answers true; false at anything else.
   * The end of the text there leaves the construct open: the text cannot be followed.
   */
  private lineBreakInside(opened: number): boolean {
    const code = this.code();
    if (code === undefined) throw UNFOLLOWABLE;
    if (code !== 0x0a && code !== 0x0d) return false;
    this.newLine();
    this.continuation(opened);
    return true;
  }

  /**
   * On a new line inside a flow collection or quoted scalar that started at column `opened`: pads
   * the line to one column past it when it holds something and starts before that. A document
   * marker there is an error to go-yaml too, so that line keeps it. Tabs are white space there.
   */
  private continuation(opened: number): void {
    if (this.lineIsBlank() || this.atDocumentMarker()) return;
    const spaces = this.spaces();
    if (spaces <= opened)
      this.edits.push({ offset: this.lineStart, remove: 0, insert: ' '.repeat(opened + 1 - spaces) });
  }

  run(): void {
    let region: Region | undefined;
    while (this.at < this.text.length) {
      if (this.commentRead) {
        this.commentRead = false;
        this.skipCommentLines();
        continue;
      }
      if (region !== undefined) {
        const after = region.kind === 'plain' ? this.plainLine(region) : this.blockScalarLine(region);
        if (after !== undefined) {
          region = after === LINE_READ ? undefined : after;
          this.endLine();
          continue;
        }
      }
      region = this.lineStartingTokens();
      this.endLine();
    }
  }

  /**
   * go-yaml v3 reads the comment lines that follow a comment together with it (to attach them to
   * a node), white space and all: up to the last line whose first character other than white
   * space is `#`, blank lines between included. Nothing on those lines is checked for tabs.
   */
  private skipCommentLines(): void {
    let offset = this.lineStart;
    let line = this.line;
    while (true) {
      while (isBlank(this.code(offset))) offset++;
      const code = this.code(offset);
      if (code === HASH) {
        while (!isBreakOrEnd(this.code(offset))) offset++;
        this.at = offset;
        this.line = line;
        this.endLine();
        offset = this.lineStart;
        line = this.line;
        continue;
      }
      if (code === undefined || (code !== 0x0a && code !== 0x0d)) return;
      // A blank line: read with the comments only when another comment line follows.
      offset += code === 0x0d && this.code(offset + 1) === 0x0a ? 2 : 1;
      line++;
    }
  }

  /**
   * A line after a plain scalar that may go on: its leading blanks are the scalar's (a tab left of
   * the scalar's indentation breaks it). Answers the region when the line is still the scalar's
   * (blank, or text from its indentation on), LINE_READ when a comment on it ends the scalar,
   * else undefined (the line starts afresh).
   */
  private plainLine(region: { kind: 'plain'; indent: number }): Region | typeof LINE_READ | undefined {
    let offset = this.lineStart;
    while (isBlank(this.code(offset))) {
      if (this.code(offset) === TAB && this.column(offset) < region.indent)
        this.refuse(offset, BREAKS_PLAIN_INDENTATION);
      offset++;
    }
    const code = this.code(offset);
    if (isBreakOrEnd(code)) return region;
    // A comment ends the scalar; the lines after it start afresh.
    if (code === HASH) {
      this.commentRead = true;
      return LINE_READ;
    }
    if (this.column(offset) < region.indent || this.atDocumentMarker()) {
      this.at = this.lineStart;
      return undefined;
    }
    // More of the scalar, up to a ` #` that ends it.
    for (; !isBreakOrEnd(this.code(offset)); offset++) {
      if (this.code(offset) === HASH && isBlank(this.code(offset - 1))) {
        this.commentRead = true;
        return LINE_READ;
      }
    }
    return region;
  }

  /**
   * A line after a block scalar's header or one of its lines: spaces up to its indentation, then
   * its text. Answers the region while the line is the scalar's, else undefined (`at` at the
   * line's start).
   */
  private blockScalarLine(region: Extract<Region, { kind: 'block' }>): Region | undefined {
    let offset = this.lineStart;
    while (this.code(offset) === SPACE && (region.indent === 0 || this.column(offset) < region.indent))
      offset++;
    const column = this.column(offset);
    region.widest = Math.max(region.widest, column);
    if (this.code(offset) === TAB && (region.indent === 0 || column < region.indent)) {
      this.refuse(offset, BREAKS_BLOCK_INDENTATION);
      return region;
    }
    if (isBreakOrEnd(this.code(offset))) {
      // A line of spaces before the scalar's first text: go-yaml counts its spaces in the
      // scalar's indentation, YAML 1.2 refuses more of them than that text has (below).
      if (region.indent === 0 && column > 0)
        region.leadingSpaces.push({ offset: this.lineStart, remove: column, insert: '' });
      return region;
    }
    if (region.indent === 0) {
      region.indent = Math.max(region.widest, region.parentIndent + 1, 1);
      // Those lines made the indentation deeper than this line: to go-yaml the scalar is empty and
      // ends here, which it takes when this line is a comment or belongs to an outer block. The
      // package refuses them; emptied for it, it takes the text too, and the value is read from
      // the text as written (block-scalar.ts).
      const endsWell =
        (this.code(offset) === HASH ? this.nextTextColumn(offset) : column) <= region.parentIndent;
      if (column < region.indent && endsWell) this.edits.push(...region.leadingSpaces);
    }
    if (column >= region.indent) return region;
    this.at = this.lineStart;
    return undefined;
  }

  /**
   * The column of the first line after the one `offset` is on that holds something other than a
   * comment; -1 when there is none.
   */
  private nextTextColumn(offset: number): number {
    let at = offset;
    while (true) {
      while (!isBreakOrEnd(this.code(at))) at++;
      if (this.code(at) === undefined) return -1;
      at += this.code(at) === 0x0d && this.code(at + 1) === 0x0a ? 2 : 1;
      const lineStart = at;
      while (isBlank(this.code(at))) at++;
      const code = this.code(at);
      if (code === undefined) return -1;
      if (code !== HASH && !isBreakOrEnd(code)) return at - lineStart;
    }
  }

  /**
   * A line read from its start in block context: a tab in its indentation cannot start a token.
   * Answers the region of a scalar it begins that may take the next lines.
   */
  private lineStartingTokens(): Region | undefined {
    const spaces = this.spaces();
    if (this.code(this.lineStart + spaces) === TAB)
      this.refuse(this.lineStart + spaces, CANNOT_START_A_TOKEN);
    if (this.code(this.lineStart) === 0x25) return undefined; // a directive (%YAML, %TAG)
    if (this.atDocumentMarker()) {
      this.indents.length = 0;
      this.at = this.lineStart + 3;
      return this.blockTokens();
    }
    this.at = this.lineStart + spaces;
    if (this.lineIsBlank()) return undefined;
    if (this.code() === HASH) {
      this.commentRead = true;
      return undefined;
    }
    this.unroll(spaces);
    return this.blockTokens();
  }

  /**
   * Reads the block-context tokens from `at` to the end of its line (a flow collection or quoted
   * scalar takes `at` on to where it ends, maybe lines later). Answers the region of a scalar
   * begun here that may take the next lines: a block scalar, or a plain value ending the line.
   */
  private blockTokens(): Region | undefined {
    // Right after `-`, `?` or a complex key's `:`, a token may start: a tab there cannot.
    let tokenMayStart = false;
    let afterEntry = false;
    while (true) {
      while (this.code() === SPACE || (this.code() === TAB && !tokenMayStart)) this.at++;
      const code = this.code();
      if (code === TAB) {
        this.refuse(this.at, CANNOT_START_A_TOKEN);
        this.at++;
        continue;
      }
      tokenMayStart = false;
      if (isBreakOrEnd(code)) return undefined;
      const next = this.code(this.at + 1);
      const start = this.column();
      if (code === HASH) {
        // After a token, a comment on its line is that token's, read alone; after a lone `-`,
        // it is read as comments on their own lines are.
        this.commentRead = afterEntry;
        return undefined;
      }
      afterEntry = code === 0x2d && isSpaceOrEnd(next);
      if ((code === 0x2d || code === 0x3f || code === 0x3a) && isSpaceOrEnd(next)) {
        // `- ` opens a sequence entry, `? ` a complex key, `: ` its value.
        if (code !== 0x3a) this.roll(start);
        this.at++;
        tokenMayStart = true;
        continue;
      }
      if (code === 0x26 || code === 0x2a) {
        this.anchorOrAlias();
        if (code === 0x2a) this.afterNode(start);
        continue;
      }
      if (code === 0x21) {
        // A tag: its name goes to the next white space.
        while (!isSpaceOrEnd(this.code())) this.at++;
        continue;
      }
      if (code === 0x7c || code === 0x3e) return this.blockScalarHeader();
      if (code === 0x22 || code === 0x27) {
        this.quoted(code, start);
        this.afterNode(start);
        continue;
      }
      if (code === 0x5b || code === 0x7b) {
        this.flow(start);
        this.afterNode(start);
        continue;
      }
      // A plain scalar: to `: ` (a key), to ` #` (a comment ends it), or to the line's end (a
      // value that may go on over the next lines, from one column past the block's indentation).
      const indent = this.indent + 1;
      while (true) {
        const here = this.code();
        if (isBreakOrEnd(here)) return { kind: 'plain', indent };
        if (here === 0x3a && isSpaceOrEnd(this.code(this.at + 1))) break;
        if (here === HASH && isBlank(this.code(this.at - 1))) return undefined;
        this.at++;
      }
      this.afterNode(start);
    }
  }

  /** After a node begun at column `start`: when `: ` follows, the node was a key, and it may open a mapping. */
  private afterNode(start: number): void {
    let offset = this.at;
    while (isBlank(this.code(offset))) offset++;
    if (this.code(offset) !== 0x3a || !isSpaceOrEnd(this.code(offset + 1))) return;
    this.roll(start);
    // A simple key's `:`: the white space after it may hold tabs.
    this.at = offset + 1;
  }

  /** `|` or `>` and its indicators: the lines after it are the scalar's, at the indentation given or found. */
  private blockScalarHeader(): Region {
    this.at++;
    let increment = 0;
    for (let count = 0; count < 2; count++) {
      const code = this.code();
      if (code === 0x2b || code === 0x2d) this.at++;
      else if (code !== undefined && code >= 0x31 && code <= 0x39) {
        increment = code - 0x30;
        this.at++;
      }
    }
    const parentIndent = this.indent;
    const indent = increment === 0 ? 0 : parentIndent >= 0 ? parentIndent + increment : increment;
    return { kind: 'block', parentIndent, indent, widest: 0, leadingSpaces: [] };
  }

  /** A quoted scalar from its opening quote at `at` (column `opened`) past its closing one. */
  private quoted(quote: number, opened: number): void {
    this.at++;
    while (true) {
      if (this.lineBreakInside(opened)) continue;
      const code = this.code()!;
      if (quote === 0x22 && code === 0x5c) {
        // An escape: the next character (a line break included) is taken with it.
        this.at++;
        if (this.code() === 0x27) this.edits.push({ offset: this.at, remove: 1, insert: 'x27' });
        if (this.code() === 0x0a || this.code() === 0x0d) {
          this.newLine();
          this.continuation(opened);
        } else if (this.code() !== undefined) this.at++;
        continue;
      }
      if (code === quote) {
        if (quote === 0x27 && this.code(this.at + 1) === 0x27) {
          this.at += 2;
          continue;
        }
        this.at++;
        return;
      }
      this.at++;
    }
  }

  /** A flow collection from its opening bracket at `at` (column `opened`) past its closing one, read as go-yaml tokenizes it. */
  private flow(opened: number): void {
    // The closing bracket of each open collection, innermost last (go-yaml's words name it), and
    // where each began, with its properties: a collection may be a key too.
    const closers: string[] = [];
    const starts: NodeStart[] = [];
    // A node just ended: a `:` now is its value indicator.
    let afterNode = false;
    // Where the node (properties included) a `:` would make a key began. go-yaml's keys in a flow
    // collection are simple keys: on one line, at most 1,024 characters before their `:`.
    let keyStart: NodeStart | undefined;
    const nodeBegins = () => (keyStart ??= { offset: this.at, line: this.line });
    while (true) {
      if (this.lineBreakInside(opened)) continue;
      const code = this.code()!;
      if (isBlank(code)) {
        this.at++;
        continue;
      }
      if (code === HASH) {
        this.skipToLineEnd();
        continue;
      }
      if (code === 0x5b || code === 0x7b) {
        closers.push(code === 0x5b ? ']' : '}');
        this.checkNesting(this.indents.length + closers.length);
        starts.push(keyStart ?? { offset: this.at, line: this.line });
        keyStart = undefined;
        this.at++;
        afterNode = false;
        continue;
      }
      if (code === 0x5d || code === 0x7d) {
        closers.pop();
        keyStart = starts.pop();
        this.at++;
        if (closers.length === 0) return;
        afterNode = true;
        continue;
      }
      if (code === 0x2c || code === 0x3f) {
        // A `?` opening an entry is a complex key's indicator to go-yaml, even with text right after
        // it (`[?x]` is `[{x: null}]`); the package reads that text as a plain scalar, so a space
        // goes between them for it.
        const next = this.code(this.at + 1);
        if (code === 0x3f && !isSpaceOrEnd(next) && !FLOW_INDICATORS.has(next ?? 0)) {
          this.edits.push({ offset: this.at + 1, remove: 0, insert: ' ', changesReading: true });
        }
        this.at++;
        afterNode = false;
        // After `?` the key is a complex one: it may take lines.
        keyStart = code === 0x3f ? { offset: this.at, line: this.line, explicit: true } : undefined;
        continue;
      }
      if (code === 0x3a) {
        // Always an indicator here to go-yaml; without a key before it and text right after it,
        // the package reads a plain scalar instead (`[:x]`).
        const next = this.code(this.at + 1);
        if (!afterNode && !isSpaceOrEnd(next) && !FLOW_INDICATORS.has(next ?? 0)) {
          this.refuse(this.at, 'did not find expected node content');
        }
        if (
          afterNode &&
          keyStart &&
          !keyStart.explicit &&
          (keyStart.line !== this.line || this.at - keyStart.offset > MAX_SIMPLE_KEY)
        ) {
          this.refuse(this.at, `did not find expected ',' or '${closers.at(-1) ?? ']'}'`);
        }
        this.at++;
        afterNode = false;
        keyStart = undefined;
        continue;
      }
      nodeBegins();
      if (code === 0x22 || code === 0x27) {
        this.quoted(code, opened);
        afterNode = true;
        continue;
      }
      if (code === 0x26 || code === 0x2a) {
        this.anchorOrAlias();
        afterNode = code === 0x2a;
        continue;
      }
      if (code === 0x21) {
        // A tag: its name goes to white space or a flow indicator.
        this.at++;
        while (!isSpaceOrEnd(this.code()) && !FLOW_INDICATORS.has(this.code() ?? 0)) this.at++;
        continue;
      }
      this.flowPlain(opened, closers.at(-1) ?? ']');
      afterNode = true;
    }
  }

  /**
   * A plain scalar in a flow collection, as go-yaml scans it: to `: `, to a comment, or to any of
   * `,?[]{}`, over lines if it goes on. `?` or a bracket opening there ends it where YAML 1.2
   * would not, and go-yaml then refuses the collection; `x:` right before `,` `]` `}` is text
   * to go-yaml and a key to the package, so it is quoted for the package.
   */
  private flowPlain(opened: number, closer: string): void {
    const start = this.at;
    let last = start;
    while (true) {
      if (this.lineBreakInside(opened)) continue;
      const code = this.code()!;
      if (code === 0x3a && isSpaceOrEnd(this.code(this.at + 1))) return;
      if (code === HASH && isBlank(this.code(this.at - 1))) return;
      if (code === 0x3f || code === 0x5b || code === 0x7b) {
        this.refuse(this.at, `did not find expected ',' or '${closer}'`);
        return;
      }
      if (FLOW_INDICATORS.has(code)) {
        if (this.code(last) === 0x3a) this.quotePlain(start, last + 1);
        return;
      }
      if (!isBlank(code)) last = this.at;
      this.at++;
    }
  }

  /**
   * An anchor or an alias from its `&` or `*` at `at`. go-yaml's name is letters, digits, `_` and
   * `-`, and must end at white space or one of `?:,]}%@`; anything else there is refused
   * (`&app.env`). Where it ends at a character YAML 1.2 takes into the name (`*a:`), a space
   * goes between them for the package.
   */
  private anchorOrAlias(): void {
    const start = this.at;
    this.at++;
    while (isAnchorChar(this.code())) this.at++;
    const stop = this.code();
    if (this.at === start + 1 || !(isSpaceOrEnd(stop) || ANCHOR_ENDS.has(stop ?? 0))) {
      this.refuse(start, 'did not find expected alphabetic or numeric character');
      while (!isSpaceOrEnd(this.code()) && !FLOW_INDICATORS.has(this.code() ?? 0)) this.at++;
      return;
    }
    if (!isSpaceOrEnd(stop) && !FLOW_INDICATORS.has(stop ?? 0)) {
      this.edits.push({ offset: this.at, remove: 0, insert: ' ', changesReading: true });
    }
  }

  /** Quotes the plain scalar from `start` to `end` for the package: `'...'`, its quotes doubled. */
  private quotePlain(start: number, end: number): void {
    this.edits.push({ offset: start, remove: 0, insert: "'", changesReading: true });
    for (let offset = start; offset < end; offset++) {
      if (this.code(offset) === 0x27) this.edits.push({ offset, remove: 1, insert: "''" });
    }
    this.edits.push({ offset: end, remove: 0, insert: "'" });
  }
}
