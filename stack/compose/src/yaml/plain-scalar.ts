/**
 * Resolves an untagged plain YAML scalar the way go-yaml v3 (used by Docker Compose) does when
 * decoding into an untyped value: YAML 1.2 core booleans and nulls, but integers parsed like Go's
 * strconv.ParseInt(s, 0, 64), so `0400` is octal (file modes) and `1_000` drops underscores.
 * `yes`/`no`/`on`/`off` stay strings; `2024-01-01` and other timestamps go-yaml takes are a
 * YamlTimestamp.
 */
import { parseGoTimestamp, YamlTimestamp } from './yaml-timestamp.js';

const NULLS = new Set(['', '~', 'null', 'Null', 'NULL']);
const TRUES = new Set(['true', 'True', 'TRUE']);
const FALSES = new Set(['false', 'False', 'FALSE']);
const FLOAT = /^[-+]?(\.[0-9]+|[0-9]+(\.[0-9]*)?)([eE][-+]?[0-9]+)?$/;
const INFINITIES = new Map<string, number>([
  ['.inf', Infinity], ['.Inf', Infinity], ['.INF', Infinity], ['+.inf', Infinity], ['+.Inf', Infinity], ['+.INF', Infinity],
  ['-.inf', -Infinity], ['-.Inf', -Infinity], ['-.INF', -Infinity],
]);

export function resolvePlainScalar(source: string): unknown {
  if (NULLS.has(source)) return null;
  if (TRUES.has(source)) return true;
  if (FALSES.has(source)) return false;
  const first = source[0];
  if (first === undefined || !'+-.0123456789'.includes(first)) return source;
  const timestamp = parseGoTimestamp(source);
  if (timestamp !== undefined) return new YamlTimestamp(timestamp);
  const plain = source.split('_').join('');
  const integer = parseGoInteger(plain);
  if (integer !== undefined) return integer;
  if (FLOAT.test(plain)) return Number.parseFloat(plain);
  const infinity = INFINITIES.get(source);
  if (infinity !== undefined) return infinity;
  if (source === '.nan' || source === '.NaN' || source === '.NAN') return Number.NaN;
  return source;
}

const INT64_MIN = -(2n ** 63n);
const INT64_MAX = 2n ** 63n - 1n;
const UINT64_MAX = 2n ** 64n - 1n;

/**
 * An integer as go-yaml reads it (ParseInt, then ParseUint, base prefixes allowed), or undefined
 * when Go would not read it as one (too large for a uint64 too, or not an integer). Beyond 2^53
 * a JavaScript number would lose digits that Go keeps in its int64 or uint64, so such a value is
 * returned as its exact decimal digits: Compose prints it as a string wherever it ends up
 * (environment, labels), and so does the engine.
 */
export function parseGoInteger(text: string): number | string | undefined {
  const match = /^([-+]?)(0[xX][0-9a-fA-F]+|0[oO][0-7]+|0[bB][01]+|0[0-7]*|[1-9][0-9]*)$/.exec(text);
  if (!match) return undefined;
  const negative = match[1] === '-';
  const digits = match[2] ?? '';
  let value: number;
  if (/^0[xX]/.test(digits)) value = Number.parseInt(digits.slice(2), 16);
  else if (/^0[oO]/.test(digits)) value = Number.parseInt(digits.slice(2), 8);
  else if (/^0[bB]/.test(digits)) value = Number.parseInt(digits.slice(2), 2);
  else if (digits.length > 1 && digits.startsWith('0')) value = Number.parseInt(digits.slice(1), 8);
  else value = Number.parseInt(digits, 10);
  // `0 - value`, not `-value`: Go's integer -0 is 0, while a float -0.0 keeps its sign.
  if (Number.isSafeInteger(value)) return negative ? 0 - value : value;
  const magnitude = BigInt(/^0[0-7]/.test(digits) ? `0o${digits.slice(1)}` : digits);
  const exact = negative ? -magnitude : magnitude;
  if (exact >= INT64_MIN && exact <= INT64_MAX) return exact.toString();
  // ParseUint takes no sign, so `+18446744073709551615` is read as a float, like Go does.
  if (match[1] === '' && exact <= UINT64_MAX) return exact.toString();
  return undefined;
}

const TAG_NAMES = new Map<string, string>([
  ['!!null', 'null'], ['!!bool', 'bool'], ['!!int', 'int'], ['!!float', 'float'], ['!!timestamp', 'timestamp'],
  ['tag:yaml.org,2002:null', 'null'], ['tag:yaml.org,2002:bool', 'bool'], ['tag:yaml.org,2002:int', 'int'],
  ['tag:yaml.org,2002:float', 'float'], ['tag:yaml.org,2002:timestamp', 'timestamp'],
]);

/** go-yaml's name of what a scalar's text resolves to (its `resolve`), timestamps only where it looks for them. */
function resolvedTag(text: string, value: unknown): string {
  if (value === null) return 'null';
  if (typeof value === 'boolean') return 'bool';
  if (value instanceof YamlTimestamp) return 'timestamp';
  if (INFINITIES.has(text) || text === '.nan' || text === '.NaN' || text === '.NAN') return 'float';
  const integer = parseGoInteger(text.split('_').join('')) !== undefined;
  if (typeof value === 'number') return integer ? 'int' : 'float';
  return integer ? 'int' : 'str';
}

/**
 * A scalar tagged `!!null`, `!!bool`, `!!int`, `!!float` or `!!timestamp`, decoded as go-yaml does:
 * its text (for a quoted scalar, its value) typed as a plain scalar would be, which must be of the
 * tag's type (an integer passes as a float); otherwise go-yaml's error is thrown as a plain
 * Error (`cannot decode !!str \`abc\` as a !!int`). Undefined for any other tag.
 */
export function resolveTaggedScalar(tag: string | undefined, text: string, plain: boolean): { value: unknown } | undefined {
  const wanted = tag === undefined ? undefined : TAG_NAMES.get(tag);
  if (wanted === undefined) return undefined;
  let value = resolvePlainScalar(text);
  // A quoted scalar is only read as a timestamp under an explicit !!timestamp.
  if (value instanceof YamlTimestamp && !plain && wanted !== 'timestamp') value = text;
  const found = resolvedTag(text, value);
  if (found === wanted || (wanted === 'float' && found === 'int')) return { value };
  throw new Error(`cannot decode !!${found} \`${text}\` as a !!${wanted}`);
}
