import { formatGoNumber } from '../model/go-format.js';
import { parseGoInteger } from '../yaml/plain-scalar.js';
import { parseGoTimestamp, YamlTimestamp } from '../yaml/yaml-timestamp.js';

/**
 * A YAML writer that formats like go-yaml v3 with an indent of 2 (what Docker Compose prints):
 * block mappings and sequences (sequences indented under their key), `{}` and `[]` for empty
 * collections, and go-yaml's choice of scalar style: plain when the text reads back as the same
 * string, double quotes when it would read back as something else (`"yes"`, `"1.0"`, `""`),
 * single quotes when a plain scalar is not allowed (`'*.js'`), literal blocks for text with
 * newlines. Keys are written in the order of the objects given.
 */
export function toGoYaml(value: unknown): string {
  const lines: string[] = [];
  writeNode(value, 0, lines, null);
  return `${lines.join('\n')}\n`;
}

type Context = 'mapping-value' | 'sequence-item' | null;

/** A scalar already formatted (a Go float32 field), written as it is. */
export class PlainScalar {
  constructor(readonly text: string) {}
}

function isMapping(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value) && !(value instanceof YamlTimestamp) && !(value instanceof PlainScalar);
}

function isEmptyCollection(value: unknown): boolean {
  return (Array.isArray(value) && value.length === 0) || (isMapping(value) && Object.keys(value).length === 0);
}

/** True for a key that a JavaScript object lists first, in numeric order (an array index). */
function isArrayIndex(key: string): boolean {
  return /^(0|[1-9][0-9]*)$/.test(key) && Number(key) < 4294967295;
}

/**
 * The keys of a mapping in the order to print them. A struct's fields and a sorted map's keys
 * come in the object's order, except that a JavaScript object always lists array-index keys
 * (`"9"`, `"10"`) first: only a map has such keys (a struct's fields are names), so one that
 * does is sorted again with `compare`, which may put `-x` or an emoji before `9`.
 */
export function mapKeys(value: Record<string, unknown>, compare: (left: string, right: string) => number): string[] {
  const keys = Object.keys(value);
  return keys.length > 1 && isArrayIndex(keys[0] ?? '') ? keys.sort(compare) : keys;
}

/** Writes `value` at `indent`; the first line may continue the line before it (after `- ` or `key:`). */
function writeNode(value: unknown, indent: number, lines: string[], context: Context): void {
  const pad = ' '.repeat(indent);
  if (isMapping(value) && Object.keys(value).length > 0) {
    let first = true;
    for (const key of mapKeys(value, compareYamlKeys)) {
      const item = value[key];
      const prefix = first && context === 'sequence-item' ? '' : pad;
      first = false;
      if (!isSimpleKey(key)) {
        writeComplexEntry(key, item, indent, prefix, lines);
        continue;
      }
      const keyText = `${prefix}${scalar(key, indent, true)}:`;
      if ((isMapping(item) || Array.isArray(item)) && !isEmptyCollection(item)) {
        lines.push(keyText);
        writeNode(item, indent + 2, lines, 'mapping-value');
      } else if (typeof item === 'string' && item.includes('\n') && blockAllowed(item)) {
        lines.push(`${keyText} ${literalHeader(item)}`);
        pushLiteral(item, indent + 2, lines);
      } else {
        lines.push(`${keyText} ${inline(item, indent)}`);
      }
    }
    return;
  }
  if (Array.isArray(value) && value.length > 0) {
    for (const item of value) {
      if (isMapping(item) && !isEmptyCollection(item)) {
        const start = lines.length;
        writeNode(item, indent + 2, lines, 'sequence-item');
        lines[start] = `${pad}- ${lines[start] ?? ''}`;
      } else if (Array.isArray(item) && item.length > 0) {
        const start = lines.length;
        writeNode(item, indent + 2, lines, 'sequence-item');
        lines[start] = `${pad}- ${(lines[start] ?? '').trimStart()}`;
      } else if (typeof item === 'string' && item.includes('\n') && blockAllowed(item)) {
        lines.push(`${pad}- ${literalHeader(item)}`);
        pushLiteral(item, indent + 2, lines);
      } else {
        lines.push(`${pad}- ${inline(item, indent)}`);
      }
    }
    return;
  }
  if (context === 'sequence-item') lines.push(inline(value, indent));
  else lines.push(`${pad}${inline(value, indent)}`);
}

/**
 * go-yaml writes a key as `key:` only when it is a simple key: no line break and at most 128
 * bytes. Any other key is written `? key`, with its value on the next line after `: `.
 */
function isSimpleKey(key: string): boolean {
  // A UTF-16 unit is at most 3 bytes of UTF-8: a key of 42 units or fewer is short enough.
  if (key.length > 42 && Buffer.byteLength(key, 'utf8') > 128) return false;
  for (let at = 0; at < key.length; at++) {
    const code = key.charCodeAt(at);
    if (code === 0x0a || code === 0x0d || code === 0x85 || code === 0x2028 || code === 0x2029) return false;
  }
  return true;
}

/** `? key` and `: value` at `indent`, as go-yaml's emitter writes a mapping entry whose key is not simple. */
function writeComplexEntry(key: string, item: unknown, indent: number, prefix: string, lines: string[]): void {
  const pad = ' '.repeat(indent);
  if (key.includes('\n') && blockAllowed(key)) {
    lines.push(`${prefix}? ${literalHeader(key)}`);
    pushLiteral(key, indent + 2, lines);
  } else {
    lines.push(`${prefix}? ${scalar(key, indent, false)}`);
  }
  if ((isMapping(item) || Array.isArray(item)) && !isEmptyCollection(item)) {
    const start = lines.length;
    writeNode(item, indent + 2, lines, isMapping(item) ? 'sequence-item' : 'mapping-value');
    lines[start] = `${pad}: ${(lines[start] ?? '').trimStart()}`;
  } else if (typeof item === 'string' && item.includes('\n') && blockAllowed(item)) {
    lines.push(`${pad}: ${literalHeader(item)}`);
    pushLiteral(item, indent + 2, lines);
  } else {
    lines.push(`${pad}: ${inline(item, indent)}`);
  }
}

function inline(value: unknown, indent: number): string {
  if (value === null || value === undefined) return 'null';
  if (Array.isArray(value)) return '[]';
  if (isMapping(value)) return '{}';
  if (typeof value === 'boolean') return value ? 'true' : 'false';
  if (typeof value === 'number') return formatNumber(value);
  if (typeof value === 'string') return scalar(value, indent, false);
  // go-yaml writes a time.Time plain, in RFC 3339 with nanoseconds.
  if (value instanceof YamlTimestamp || value instanceof PlainScalar) return value.text;
  return scalar(JSON.stringify(value) ?? '', indent, false);
}

/** A number as go-yaml writes it: Go's `%v` of an int or float64 (see formatGoNumber), `.inf`. */
function formatNumber(value: number): string {
  if (Number.isNaN(value)) return '.nan';
  if (value === Infinity) return '.inf';
  if (value === -Infinity) return '-.inf';
  if (Object.is(value, -0)) return '-0';
  return formatGoNumber(value);
}

// ---- scalars ------------------------------------------------------------------------------

const OLD_BOOLS = new Set(['y', 'Y', 'yes', 'Yes', 'YES', 'on', 'On', 'ON', 'n', 'N', 'no', 'No', 'NO', 'off', 'Off', 'OFF']);
// `<<` is not among them: go-yaml's resolve only looks its table up for text starting with one of
// `+-.0-9yYnNtTfFoO~`, so it prints `<<` plain, as a value or a key.
const RESOLVED = new Set([
  'true', 'True', 'TRUE', 'false', 'False', 'FALSE', '', '~', 'null', 'Null', 'NULL',
  '.nan', '.NaN', '.NAN', '.inf', '.Inf', '.INF', '+.inf', '+.Inf', '+.INF', '-.inf', '-.Inf', '-.INF',
]);
const YAML_FLOAT = /^[-+]?(\.[0-9]+|[0-9]+(\.[0-9]*)?)([eE][-+]?[0-9]+)?$/;
const BASE60_FLOAT = /^[-+]?[0-9][0-9_]*(?::[0-5]?[0-9])+(?:\.[0-9_]*)?$/;

/** True when go-yaml would read the plain text back as something other than this string. */
function readsAsOtherType(text: string): boolean {
  if (RESOLVED.has(text)) return true;
  const first = text[0] ?? '';
  if (first === '.') return YAML_FLOAT.test(text);
  if (!/[-+0-9]/.test(first)) return false;
  if (parseGoTimestamp(text) !== undefined) return true;
  const plain = text.split('_').join('');
  if (parseGoInteger(plain) !== undefined || YAML_FLOAT.test(plain)) return true;
  return /^-?0[bBoO]/.test(plain) && /^-?0([bB][01]+|[oO][0-7]+)$/.test(plain);
}

interface ScalarAnalysis {
  multiline: boolean;
  blockPlainAllowed: boolean;
  singleQuotedAllowed: boolean;
  blockAllowed: boolean;
}

/** go-yaml's printable characters (it escapes everything beyond the Basic Multilingual Plane). */
function isPrintable(code: number): boolean {
  return code === 0x0a || (code >= 0x20 && code <= 0x7e) || (code >= 0xa0 && code <= 0xd7ff) || (code >= 0xe000 && code <= 0xfffd && code !== 0xfeff);
}

const isBreak = (char: string): boolean => char === '\n' || char === '\r' || char === '\u0085' || char === '\u2028' || char === '\u2029';
const isBlankOrEnd = (char: string | undefined): boolean => char === undefined || char === ' ' || char === '\t' || isBreak(char);

/** go-yaml's analysis of a scalar: which styles can write it. */
function analyze(text: string): ScalarAnalysis {
  if (text === '') return { multiline: false, blockPlainAllowed: true, singleQuotedAllowed: true, blockAllowed: false };
  const chars = [...text];
  let blockIndicators = text.startsWith('---') || text.startsWith('...');
  let lineBreaks = false;
  let special = false;
  let tabs = false;
  let leadingSpace = false;
  let leadingBreak = false;
  let trailingSpace = false;
  let trailingBreak = false;
  let breakSpace = false;
  let spaceBreak = false;
  let precededByWhitespace = true;
  let previousSpace = false;
  let previousBreak = false;
  chars.forEach((char, index) => {
    const followedByWhitespace = isBlankOrEnd(chars[index + 1]);
    if (index === 0) {
      if ('#,[]{}&*!|>\'"%@`'.includes(char)) blockIndicators = true;
      else if ((char === '?' || char === ':') && followedByWhitespace) blockIndicators = true;
      else if (char === '-' && followedByWhitespace) blockIndicators = true;
    } else if (char === ':' && followedByWhitespace) blockIndicators = true;
    else if (char === '#' && precededByWhitespace) blockIndicators = true;
    const code = char.codePointAt(0) ?? 0;
    if (char === '\t') tabs = true;
    else if (!isPrintable(code)) special = true;
    if (char === ' ') {
      if (index === 0) leadingSpace = true;
      if (index === chars.length - 1) trailingSpace = true;
      if (previousBreak) breakSpace = true;
      previousSpace = true;
      previousBreak = false;
    } else if (isBreak(char)) {
      lineBreaks = true;
      if (index === 0) leadingBreak = true;
      if (index === chars.length - 1) trailingBreak = true;
      if (previousSpace) spaceBreak = true;
      previousSpace = false;
      previousBreak = true;
    } else {
      previousSpace = false;
      previousBreak = false;
    }
    precededByWhitespace = isBlankOrEnd(char);
  });
  let blockPlainAllowed = true;
  let singleQuotedAllowed = true;
  let blockAllowed = true;
  if (leadingSpace || leadingBreak || trailingSpace || trailingBreak) blockPlainAllowed = false;
  if (trailingSpace) blockAllowed = false;
  if (breakSpace) {
    blockPlainAllowed = false;
    singleQuotedAllowed = false;
  }
  if (spaceBreak || tabs || special) {
    blockPlainAllowed = false;
    singleQuotedAllowed = false;
  }
  if (spaceBreak || special) blockAllowed = false;
  if (lineBreaks) blockPlainAllowed = false;
  if (blockIndicators) blockPlainAllowed = false;
  return { multiline: lineBreaks, blockPlainAllowed, singleQuotedAllowed, blockAllowed };
}

function blockAllowed(text: string): boolean {
  return analyze(text).blockAllowed;
}

/** A scalar in go-yaml's style; `key` for mapping keys (simple key context). */
function scalar(text: string, _indent: number, key: boolean): string {
  const analysis = analyze(text);
  let style: 'plain' | 'single' | 'double' | 'literal';
  if (text.includes('\n')) style = 'literal';
  else if (!readsAsOtherType(text) && !BASE60_FLOAT.test(text) && !OLD_BOOLS.has(text)) style = 'plain';
  else style = 'double';
  if (key && analysis.multiline) style = 'double';
  if (style === 'plain') {
    if (!analysis.blockPlainAllowed) style = 'single';
    if (text === '' && key) style = 'single';
  }
  if (style === 'single' && !analysis.singleQuotedAllowed) style = 'double';
  if (style === 'literal' && (!analysis.blockAllowed || key)) style = 'double';
  if (style === 'plain') return text;
  if (style === 'single') return `'${text.replaceAll("'", "''")}'`;
  if (style === 'double') return doubleQuoted(text);
  // Literal blocks are written by the caller (they span lines); reaching here means a key.
  return doubleQuoted(text);
}

const ESCAPES: Record<string, string> = {
  '\0': '\\0',
  '\x07': '\\a',
  '\b': '\\b',
  '\t': '\\t',
  '\n': '\\n',
  '\v': '\\v',
  '\f': '\\f',
  '\r': '\\r',
  '\x1b': '\\e',
  '"': '\\"',
  '\\': '\\\\',
  '\u0085': '\\N',
  '\u00a0': '\\_',
  '\u2028': '\\L',
  '\u2029': '\\P',
};

function doubleQuoted(text: string): string {
  // go-yaml's is_bom looks at the start of the value, not at the character: a string that starts
  // with U+FEFF has every character escaped (`"\uFEFF\x62\x6F\x6D"`).
  const escapeAll = text.charCodeAt(0) === 0xfeff;
  let out = '"';
  for (const char of text) {
    const code = char.codePointAt(0) ?? 0;
    if (!escapeAll && isPrintable(code) && !isBreak(char) && char !== '"' && char !== '\\') {
      out += char;
      continue;
    }
    const escape = ESCAPES[char];
    if (escape !== undefined) out += escape;
    else {
      if (code <= 0xff) out += `\\x${code.toString(16).toUpperCase().padStart(2, '0')}`;
      else if (code <= 0xffff) out += `\\u${code.toString(16).toUpperCase().padStart(4, '0')}`;
      else out += `\\U${code.toString(16).toUpperCase().padStart(8, '0')}`;
    }
  }
  return `${out}"`;
}

/** `|`, `|-` or `|+` (with an indentation indicator when the text starts with a space or break). */
function literalHeader(text: string): string {
  let header = '|';
  if (text.startsWith(' ') || isBreak(text[0] ?? '')) header += '2';
  if (!text.endsWith('\n')) header += '-';
  else if (text.length === 1 || isBreak(text[text.length - 2] ?? '')) header += '+';
  return header;
}

function pushLiteral(text: string, indent: number, lines: string[]): void {
  const pad = ' '.repeat(indent);
  const body = text.endsWith('\n') ? text.slice(0, -1) : text;
  for (const line of body.split('\n')) lines.push(line === '' ? '' : `${pad}${line}`);
}

// ASCII is decided by code: the Unicode property classes cost a compile on their first runs, and
// key sorting asks for every character of every key.
const isDigit = (char: string): boolean => {
  const code = char.charCodeAt(0);
  return code < 128 ? code >= 48 && code <= 57 : /\p{Nd}/u.test(char);
};
const isLetter = (char: string): boolean => {
  const code = char.charCodeAt(0);
  return code < 128 ? (code >= 65 && code <= 90) || (code >= 97 && code <= 122) : /\p{L}/u.test(char);
};

/**
 * go-yaml's order of map keys (its keyList.Less): letters before other characters, runs of digits
 * compared as numbers (`a2` before `a10`), otherwise by code point; a shorter prefix first. As in
 * Go, a digit of any script counts its code point minus that of `0` (so `٣` weighs 1587), and a
 * run's number is an int64 that wraps past 2^63 (`9999999999999999999` sorts before `2`).
 */
export function compareYamlKeys(left: string, right: string): number {
  if (left === right) return 0;
  return yamlKeyLess(left, right) ? -1 : 1;
}

/** Go's `n*10 + d` over int64: exact numbers while they stay safe, wrapped BigInts beyond. */
function runNumber(chars: string[], from: number, start: number | bigint): [value: number | bigint, end: number] {
  let value = start;
  let at = from;
  for (; at < chars.length && isDigit(chars[at] ?? ''); at++) {
    const digit = (chars[at]?.codePointAt(0) ?? 48) - 48;
    if (typeof value === 'number' && value < 9e14) value = value * 10 + digit;
    else value = BigInt.asIntN(64, BigInt(value) * 10n + BigInt(digit));
  }
  return [value, at];
}

function yamlKeyLess(left: string, right: string): boolean {
  const a = [...left];
  const b = [...right];
  let digits = false;
  for (let i = 0; i < a.length && i < b.length; i++) {
    const x = a[i] ?? '';
    const y = b[i] ?? '';
    if (x === y) {
      digits = isDigit(x);
      continue;
    }
    const xCode = x.codePointAt(0) ?? 0;
    const yCode = y.codePointAt(0) ?? 0;
    const xLetter = isLetter(x);
    const yLetter = isLetter(y);
    if (xLetter && yLetter) return xCode < yCode;
    if (xLetter || yLetter) return digits ? xLetter : yLetter;
    let start = 0;
    if (x === '0' || y === '0') {
      for (let j = i - 1; j >= 0 && isDigit(a[j] ?? ''); j--) {
        if (a[j] !== '0') {
          start = 1;
          break;
        }
      }
    }
    const [aNumber, ai] = runNumber(a, i, start);
    const [bNumber, bi] = runNumber(b, i, start);
    if (typeof aNumber === 'number' && typeof bNumber === 'number') {
      if (aNumber !== bNumber) return aNumber < bNumber;
    } else if (BigInt(aNumber) !== BigInt(bNumber)) return BigInt(aNumber) < BigInt(bNumber);
    if (ai !== bi) return ai < bi;
    return xCode < yCode;
  }
  return a.length < b.length;
}
