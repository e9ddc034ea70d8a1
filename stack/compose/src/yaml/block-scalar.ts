/*
 * A block scalar's value as go-yaml (libyaml's `scan_block_scalar`) reads it. The `yaml` package
 * follows YAML 1.2 and differs on lines that hold only spaces: past an explicit indentation
 * indicator (`|2`) go-yaml keeps their extra spaces, and a last such line that ends the file
 * without a line break is text to go-yaml. The loader decodes every block scalar the package read
 * with this, from its header on; the text is one the package accepted.
 */

import { isBlank, isBreak } from './quoted-scalar.js';

/**
 * The value of the block scalar whose `|` or `>` is at `start` in `text`; `parentIndent` is the
 * column (0-based) of the block collection it is a value in, -1 at a document's top.
 */
export function decodeBlockScalar(text: string, start: number, parentIndent: number): string {
  let at = start;
  let lineStart = text.lastIndexOf('\n', start - 1) + 1;
  const column = () => at - lineStart;
  /** The line break at `at` as go-yaml keeps it (CRLF and CR as LF), `at` moved past it; '' at the end. */
  const readBreak = (): string => {
    const char = text[at];
    if (!isBreak(char)) return '';
    at += char === '\r' && text[at + 1] === '\n' ? 2 : 1;
    lineStart = at;
    return char === '\r' ? '\n' : char;
  };

  const literal = text[at] === '|';
  at++;
  let chomping = 0;
  let increment = 0;
  for (let count = 0; count < 2; count++) {
    const char = text[at];
    if (char === '+' || char === '-') chomping = char === '+' ? 1 : -1;
    else if (char !== undefined && char >= '1' && char <= '9') increment = Number(char);
    else break;
    at++;
  }
  // The rest of the header line: blanks and a comment.
  while (at < text.length && !isBreak(text[at])) at++;
  readBreak();

  let indent = increment === 0 ? 0 : parentIndent >= 0 ? parentIndent + increment : increment;
  let value = '';
  let leadingBreak = '';
  let trailingBreaks = '';
  /** Blank lines and the indentation of the next line that holds something; sets `indent` if it is not known yet. */
  const breaks = (): void => {
    let widest = 0;
    while (true) {
      while ((indent === 0 || column() < indent) && text[at] === ' ') at++;
      widest = Math.max(widest, column());
      if (!isBreak(text[at])) break;
      trailingBreaks += readBreak();
    }
    if (indent === 0) indent = Math.max(widest, parentIndent + 1, 1);
  };

  breaks();
  let leadingBlank = false;
  while (column() === indent && at < text.length) {
    // A line that holds something, at the scalar's indentation.
    const trailingBlank = isBlank(text[at]);
    if (!literal && !leadingBlank && !trailingBlank && leadingBreak === '\n') {
      if (trailingBreaks === '') value += ' ';
    } else {
      value += leadingBreak;
    }
    value += trailingBreaks;
    trailingBreaks = '';
    leadingBlank = isBlank(text[at]);
    const lineEnd = nextBreak(text, at);
    value += text.slice(at, lineEnd);
    at = lineEnd;
    leadingBreak = readBreak();
    breaks();
  }
  if (chomping !== -1) value += leadingBreak;
  if (chomping === 1) value += trailingBreaks;
  return value;
}

function nextBreak(text: string, from: number): number {
  let at = from;
  while (at < text.length && !isBreak(text[at])) at++;
  return at;
}
