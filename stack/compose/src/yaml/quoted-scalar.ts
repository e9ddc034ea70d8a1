/*
 * A quoted scalar's value as go-yaml (libyaml's `scan_flow_scalar`) folds it over lines. The
 * `yaml` package follows YAML 1.2 and differs after an escaped line break followed by empty lines
 * (`"a\` then an empty line: go-yaml keeps a line feed, the package a space), so the loader
 * decodes every multi-line quoted scalar the package read with this. The text is one the package
 * accepted: its escapes are known to be valid (yaml-package-nodes.ts refuses the ones go-yaml
 * refuses before this runs).
 */

/** go-yaml's escapes: YAML 1.2's `\\/` is not one of them (its "found unknown escape character"), `\\'` is. */
export const DOUBLE_QUOTED_ESCAPES: Record<string, string> = {
  '0': '\0',
  a: '\x07',
  b: '\b',
  t: '\t',
  '\t': '\t',
  n: '\n',
  v: '\v',
  f: '\f',
  r: '\r',
  e: '\x1b',
  ' ': ' ',
  '"': '"',
  "'": "'",
  '\\': '\\',
  N: '\x85',
  _: '\xa0',
  L: '\u2028',
  P: '\u2029',
};
/** The escapes followed by a code point in hex, and how many digits it has. */
export const HEX_ESCAPE_LENGTHS: Record<string, number> = { x: 2, u: 4, U: 8 };

export const isBlank = (char: string | undefined) => char === ' ' || char === '\t';
// go-yaml breaks lines at LS and PS too, and keeps them in the value where a line feed would go.
export const isBreak = (char: string | undefined) =>
  char === '\n' || char === '\r' || char === '\u2028' || char === '\u2029';

/** The value of `source`, a quoted scalar from its opening quote to its closing one. */
export function decodeQuotedScalar(source: string): string {
  const single = source[0] === "'";
  const end = source.length - 1;
  let at = 1;
  let value = '';
  /** The line break at `at` as go-yaml keeps it (CRLF and CR as LF), and `at` moved past it. */
  const readBreak = (): string => {
    const char = source[at]!;
    at += char === '\r' && source[at + 1] === '\n' ? 2 : 1;
    return char === '\r' ? '\n' : char;
  };
  while (at < end) {
    let leadingBlanks = false;
    while (at < end && !isBlank(source[at]) && !isBreak(source[at])) {
      const char = source[at]!;
      if (single && char === "'") {
        // Only a doubled quote is met before the end: the closing one is `end`.
        value += "'";
        at += 2;
      } else if (!single && char === '\\' && isBreak(source[at + 1])) {
        // An escaped line break: nothing of it, and the blanks of the next line are dropped.
        at++;
        readBreak();
        leadingBlanks = true;
        break;
      } else if (!single && char === '\\') {
        const escape = source[at + 1]!;
        const digits = HEX_ESCAPE_LENGTHS[escape];
        if (digits === undefined) {
          value += DOUBLE_QUOTED_ESCAPES[escape] ?? escape;
          at += 2;
        } else {
          value += String.fromCodePoint(Number.parseInt(source.slice(at + 2, at + 2 + digits), 16));
          at += 2 + digits;
        }
      } else {
        value += char;
        at++;
      }
    }
    let whitespaces = '';
    let leadingBreak = '';
    let trailingBreaks = '';
    while (at < end && (isBlank(source[at]) || isBreak(source[at]))) {
      if (isBlank(source[at])) {
        if (!leadingBlanks) whitespaces += source[at];
        at++;
      } else if (!leadingBlanks) {
        whitespaces = '';
        leadingBreak = readBreak();
        leadingBlanks = true;
      } else {
        trailingBreaks += readBreak();
      }
    }
    if (!leadingBlanks) value += whitespaces;
    // A line feed folds to a space, or to the empty lines after it; another break (LS, PS) and
    // an escaped one keep what they are.
    else if (leadingBreak === '\n') value += trailingBreaks === '' ? ' ' : trailingBreaks;
    else value += leadingBreak + trailingBreaks;
  }
  return value;
}
