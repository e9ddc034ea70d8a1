import { isPlainObject } from '../plain-object.js';
import { YamlTimestamp } from '../yaml/yaml-timestamp.js';

/** The type Go's `%T` names for a decoded YAML value. */
export function goTypeName(value: unknown): string {
  if (value === null || value === undefined) return '<nil>';
  if (typeof value === 'number') return Number.isSafeInteger(value) ? 'int' : 'float64';
  if (typeof value === 'boolean') return 'bool';
  if (typeof value === 'string') return 'string';
  if (Array.isArray(value)) return '[]interface {}';
  return isPlainObject(value) ? 'map[string]interface {}' : 'time.Time';
}

/**
 * Formats a decoded YAML value like Go's `%v`: Compose writes `KEY=%v` when it turns a mapping
 * into a list while merging (environment, labels ...), whatever the value is. So a list is
 * `[a 1]`, a mapping `map[a:1 b:x]` (keys sorted, as fmt sorts them), a timestamp its
 * `time.Time` String (`2024-01-01 00:00:00 +0000 UTC`).
 */
export function goFormat(value: unknown): string {
  if (value === null || value === undefined) return '<nil>';
  if (typeof value === 'number') return formatGoNumber(value);
  if (typeof value === 'string') return value;
  if (typeof value === 'boolean') return String(value);
  if (Array.isArray(value)) return `[${value.map(goFormat).join(' ')}]`;
  if (isPlainObject(value)) {
    const keys = Object.keys(value).sort(compareKeys);
    return `map[${keys.map((key) => `${key}:${goFormat(value[key])}`).join(' ')}]`;
  }
  if (value instanceof YamlTimestamp) return goTimeString(value.text);
  return JSON.stringify(value);
}

/** Byte order of two keys, like Go's sort of map keys. */
export function compareKeys(a: string, b: string): number {
  if (a === b) return 0;
  const length = Math.min(a.length, b.length);
  for (let i = 0; i < length; i++) {
    const x = a.charCodeAt(i);
    const y = b.charCodeAt(i);
    if (x === y) continue;
    // UTF-16 puts a surrogate (a character beyond U+FFFF) before U+E000..U+FFFF; UTF-8, whose
    // bytes Go compares, after them.
    if (x >= 0xd800 && y >= 0xd800) return utf8Rank(x) < utf8Rank(y) ? -1 : 1;
    return x < y ? -1 : 1;
  }
  return a.length < b.length ? -1 : 1;
}

function utf8Rank(unit: number): number {
  return unit < 0xe000 ? unit + 0x2000 : unit - 0x800;
}

/**
 * `time.Time.String()` of a timestamp go-yaml read, from its RFC 3339 text. `Z` (which is also
 * how a zero offset is kept) prints as UTC, taking Compose's local zone to be UTC, as it is in
 * a container. Any other offset is a zone Go's time.Parse made up, which has no name, so Go
 * prints the offset twice (`+0200 +0200`).
 */
function goTimeString(rfc3339: string): string {
  const match = /^(\d{4,}-\d\d-\d\d)T(\d\d:\d\d:\d\d(?:\.\d+)?)(Z|[+-]\d\d:\d\d)$/.exec(rfc3339);
  if (!match) return rfc3339;
  const [, date, time, zone = 'Z'] = match;
  if (zone === 'Z') return `${date} ${time} +0000 UTC`;
  const offset = zone.replace(':', '');
  return `${date} ${time} ${offset} ${offset}`;
}

/**
 * Go's `%v` of an int or a float64. The YAML reader gives integers as safe JavaScript integers
 * (larger ones arrive as exact digit strings), so any other number was a float in Go: shortest
 * digits, with an exponent below 1e-4 and from 1e6 up (strconv's 'g', -1). An integral float
 * such as `1e6` cannot be told from the int 1000000 here and prints like the int.
 */
export function formatGoNumber(value: number): string {
  if (!Number.isFinite(value)) return Number.isNaN(value) ? 'NaN' : value > 0 ? '+Inf' : '-Inf';
  if (Number.isSafeInteger(value)) return String(value);
  const [mantissa = '', power = '0'] = value.toExponential().split('e');
  const exponent = Number(power);
  if (exponent >= -4 && exponent < 6) return String(value);
  const digits = String(Math.abs(exponent)).padStart(2, '0');
  return `${mantissa}e${exponent < 0 ? '-' : '+'}${digits}`;
}
