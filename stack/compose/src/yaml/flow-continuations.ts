/*
 * go-yaml (like libyaml, which it ports) does not look at indentation inside a flow collection or
 * a quoted scalar: a continuation line of `command: "sh -c` or `test: [` may start at any column,
 * the key's own or the first. The `yaml` package follows YAML 1.2, which wants such lines indented
 * more than their block, and refuses them ("Missing closing "quote", "Flow sequence in block
 * collection must be sufficiently indented"). Compose files written that way are common enough
 * (a long `command:` wrapped at the key's column), so when the package refuses a text, the
 * loader tries again with those continuation lines indented further.
 *
 * That changes no value: the leading white space of a quoted scalar's continuation line is
 * folded away, and between a flow collection's entries it means nothing. Lines are only ever
 * padded where this scanner is sure to be inside a flow collection or a quoted scalar that starts
 * in block context; wherever it is not sure (block scalars, multi-line plain scalars, directives)
 * it leaves the lines as they are, which at worst keeps the package's refusal.
 */

/** The text with continuation lines indented, and how many spaces each changed line got (by 1-based line). */
export interface IndentedContinuations {
  text: string;
  padding: Map<number, number>;
}

/** Thrown when the scanner meets a text it cannot follow to the end (an unterminated quote or bracket). */
class Unfollowable extends Error {}
const UNFOLLOWABLE = new Unfollowable('not followed');

const isBlank = (code: number | undefined) => code === 0x20 || code === 0x09;
const isBreakOrEnd = (code: number | undefined) => code === undefined || code === 0x0a || code === 0x0d;
const isSpaceOrEnd = (code: number | undefined) => isBlank(code) || isBreakOrEnd(code);
const FLOW_INDICATORS = new Set([0x2c, 0x5b, 0x5d, 0x7b, 0x7d]); // , [ ] { }

/**
 * Indents the continuation lines of every flow collection and quoted scalar that starts in block
 * context to one column past where it starts; undefined when no line needed it, or when the text
 * cannot be followed (then the package's own refusal stands).
 */
export function indentFlowContinuations(text: string): IndentedContinuations | undefined {
  let scan: ContinuationScanner;
  try {
    scan = new ContinuationScanner(text);
    scan.run();
  } catch (error) {
    if (error === UNFOLLOWABLE) return undefined;
    throw error;
  }
  if (scan.padding.size === 0) return undefined;
  const lines = text.split('\n');
  for (const [line, spaces] of scan.padding) lines[line - 1] = ' '.repeat(spaces) + lines[line - 1];
  return { text: lines.join('\n'), padding: scan.padding };
}

class ContinuationScanner {
  readonly padding = new Map<number, number>();
  private at = 0;
  /** 1-based number of the line `at` is on, and where that line starts. */
  private line = 1;
  private lineStart = 0;

  constructor(private readonly text: string) {}

  private code(offset = this.at): number | undefined {
    return offset < this.text.length ? this.text.charCodeAt(offset) : undefined;
  }

  private column(offset = this.at): number {
    return offset - this.lineStart;
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

  private skipBlanks(): void {
    while (isBlank(this.code())) this.at++;
  }

  /** The number of spaces the current line starts with (`at` at its start). */
  private indentation(): number {
    let spaces = 0;
    while (this.code(this.lineStart + spaces) === 0x20) spaces++;
    return spaces;
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
   * On a new line inside a flow collection or quoted scalar that started at column `opened`: pads
   * the line to one column past it when it holds something and starts before that. A document
   * marker there is an error to go-yaml too, so that line keeps it.
   */
  private continuation(opened: number): void {
    if (this.lineIsBlank() || this.atDocumentMarker()) return;
    const indentation = this.indentation();
    if (indentation <= opened) this.padding.set(this.line, opened + 1 - indentation);
  }

  run(): void {
    // Where the last block node (a key, or a `-` entry) of the lines before began, for block scalars
    // and plain scalars that go on over the following, more indented lines.
    let skipMoreIndentedThan: number | undefined;
    while (this.at < this.text.length) {
      const indentation = this.indentation();
      if (skipMoreIndentedThan !== undefined) {
        if (this.lineIsBlank() || indentation > skipMoreIndentedThan) {
          this.skipToLineEnd();
          this.endLine();
          continue;
        }
        skipMoreIndentedThan = undefined;
      }
      const first = this.code(this.lineStart);
      if (first === 0x25 && this.column() === 0) {
        // A directive (%YAML, %TAG): nothing of ours.
        this.skipToLineEnd();
      } else if (this.atDocumentMarker()) {
        this.at = this.lineStart + 3;
        skipMoreIndentedThan = this.blockLine(-1);
      } else {
        this.at = this.lineStart + indentation;
        skipMoreIndentedThan = this.blockLine(indentation);
      }
      this.endLine();
    }
  }

  /** Past the rest of the current line (a comment, what a token left) onto the next. */
  private endLine(): void {
    this.skipToLineEnd();
    if (this.at < this.text.length) this.newLine();
  }

  /**
   * Reads the block-context tokens from `at` to the end of its line (a flow collection or quoted
   * scalar takes `at` on to where it ends, maybe lines later). Answers the column the following
   * lines must pass to belong to a scalar begun here (a block scalar, a plain scalar that may go
   * on), or undefined.
   */
  private blockLine(lineIndentation: number): number | undefined {
    // The column of the block node this line's tokens belong to: the last key or `-` met.
    let node = lineIndentation;
    while (true) {
      this.skipBlanks();
      const code = this.code();
      if (isBreakOrEnd(code)) return undefined;
      const next = this.code(this.at + 1);
      const start = this.column();
      if (code === 0x23) {
        // A comment (only met after white space or at a line's start here).
        this.skipToLineEnd();
        return undefined;
      }
      if ((code === 0x2d || code === 0x3f || code === 0x3a) && isSpaceOrEnd(next)) {
        // `- `, `? `, `: `: an entry, a complex key, its value.
        if (code === 0x2d) node = start;
        this.at++;
        continue;
      }
      if (code === 0x26 || code === 0x21 || code === 0x2a) {
        // An anchor, a tag or an alias: its name goes to the next white space.
        while (!isSpaceOrEnd(this.code())) this.at++;
        if (code === 0x2a) node = this.afterScalar(start, node);
        continue;
      }
      if (code === 0x7c || code === 0x3e) {
        // A block scalar: its lines are those more indented than the node it is the value of.
        this.skipToLineEnd();
        return node;
      }
      if (code === 0x22 || code === 0x27) {
        this.quoted(code, start);
        node = this.afterScalar(start, node);
        continue;
      }
      if (code === 0x5b || code === 0x7b) {
        this.flow(start);
        node = this.afterScalar(start, node);
        continue;
      }
      // A plain scalar: to `: `, to the line's end, when it may go on below, or to ` #`, when it
      // may not (a comment ends it).
      while (true) {
        const here = this.code();
        if (isBreakOrEnd(here)) return node;
        if (here === 0x3a && isSpaceOrEnd(this.code(this.at + 1))) break;
        if (here === 0x23 && isBlank(this.code(this.at - 1))) return undefined;
        this.at++;
      }
      node = this.afterScalar(start, node);
    }
  }

  /** After a scalar or collection begun at column `start`: when a `:` follows, it was a key, the node now. */
  private afterScalar(start: number, node: number): number {
    let offset = this.at;
    while (isBlank(this.code(offset))) offset++;
    return this.code(offset) === 0x3a && isSpaceOrEnd(this.code(offset + 1)) ? start : node;
  }

  /** A quoted scalar from its opening quote at `at` (column `opened`) past its closing one. */
  private quoted(quote: number, opened: number): void {
    this.at++;
    while (true) {
      const code = this.code();
      if (code === undefined) throw UNFOLLOWABLE;
      if (code === 0x0a || code === 0x0d) {
        this.newLine();
        this.continuation(opened);
        continue;
      }
      if (quote === 0x22 && code === 0x5c) {
        // An escape: the next character (a line break included) is taken with it.
        this.at++;
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

  /** A flow collection from its opening bracket at `at` (column `opened`) past its closing one. */
  private flow(opened: number): void {
    let depth = 0;
    // Whether the next character starts a token (a quote there opens a quoted scalar).
    let tokenStart = true;
    while (true) {
      const code = this.code();
      if (code === undefined) throw UNFOLLOWABLE;
      if (code === 0x0a || code === 0x0d) {
        this.newLine();
        this.continuation(opened);
        tokenStart = true;
        continue;
      }
      if (isBlank(code)) {
        this.at++;
        tokenStart = true;
        continue;
      }
      if (code === 0x23 && tokenStart) {
        this.skipToLineEnd();
        continue;
      }
      if (code === 0x5b || code === 0x7b) {
        depth++;
        this.at++;
        tokenStart = true;
        continue;
      }
      if (code === 0x5d || code === 0x7d) {
        depth--;
        this.at++;
        if (depth === 0) return;
        tokenStart = false;
        continue;
      }
      if (code === 0x2c) {
        this.at++;
        tokenStart = true;
        continue;
      }
      if ((code === 0x22 || code === 0x27) && tokenStart) {
        this.quoted(code, opened);
        tokenStart = false;
        continue;
      }
      const next = this.code(this.at + 1);
      // `: ` and `? `, and a `:` right before a flow indicator or a quote (JSON's `"key":"value"`).
      if (
        (code === 0x3a || code === 0x3f) &&
        (isSpaceOrEnd(next) ||
          (next !== undefined &&
            (FLOW_INDICATORS.has(next) || (code === 0x3a && (next === 0x22 || next === 0x27)))))
      ) {
        this.at++;
        tokenStart = true;
        continue;
      }
      this.at++;
      tokenStart = false;
    }
  }
}
