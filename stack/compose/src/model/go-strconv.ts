/**
 * Go's `strconv.ParseFloat(text, 64)`, which Compose casts interpolated float fields with (`cpus`,
 * `cpu_percent`, `max_failure_ratio`): the syntax of Go's float literals, not JavaScript's
 * `Number`, which also takes surrounding spaces, `0x10` and `Infinity` and refuses `inf` and `1_0`.
 */

const DECIMAL = /^[+-]?(?:[0-9_]+\.?[0-9_]*|\.[0-9_]+)(?:[eE][+-]?[0-9_]+)?$/;
// A hexadecimal float needs its binary exponent (`0x1p4`); `0x10` alone is no float to Go.
const HEXADECIMAL = /^[+-]?0[xX](?:[0-9a-fA-F_]+\.?[0-9a-fA-F_]*|\.[0-9a-fA-F_]+)[pP][+-]?[0-9_]+$/;
const INFINITY = /^[+-]?(?:inf|infinity)$/i;

/**
 * Go's rule for underscores in a number: each one between two digits (or after a base prefix and
 * before a digit), so `1_0` is 10 and `1__0`, `_1` and `1_` are no numbers.
 */
function underscoresFit(text: string): boolean {
  const body = text.replace(/^[+-]/, '');
  const hex = /^0[xX]/.test(body);
  let previous: 'start' | 'digit' | 'underscore' | 'other' = 'start';
  for (let index = 0; index < body.length; index++) {
    const char = body[index]!;
    if (index === 1 && hex) {
      previous = 'digit';
      continue;
    }
    const isDigit = /[0-9]/.test(char) || (hex && /[a-fA-F]/.test(char));
    if (isDigit) previous = 'digit';
    else if (char === '_') {
      if (previous !== 'digit') return false;
      previous = 'underscore';
    } else {
      if (previous === 'underscore') return false;
      previous = 'other';
    }
  }
  return previous !== 'underscore';
}

function hexadecimalValue(text: string): number {
  const match = /^([+-]?)0[xX]([0-9a-fA-F]*)\.?([0-9a-fA-F]*)[pP]([+-]?[0-9]+)$/.exec(
    text.replaceAll('_', ''),
  )!;
  const [, sign, whole, fraction, exponent] = match;
  const mantissa = Number.parseInt(`${whole}${fraction}` || '0', 16);
  const value = mantissa * 2 ** (Number(exponent) - 4 * (fraction ?? '').length);
  return sign === '-' ? -value : value;
}

/**
 * The integer Go's `strconv.ParseInt(text, 10, 64)` (or `strconv.Atoi`, `parser`) reads from
 * `text`: digits with an optional sign, nothing else; an Error in Go's words otherwise.
 */
export function parseGoInt(text: string, parser: 'ParseInt' | 'Atoi' = 'ParseInt'): number {
  if (!/^[-+]?[0-9]+$/.test(text))
    throw new Error(`strconv.${parser}: parsing ${JSON.stringify(text)}: invalid syntax`);
  return Number.parseInt(text, 10);
}

/** The number Go reads from `text`, or an Error with Go's message (`strconv.ParseFloat: parsing "x": invalid syntax`). */
export function parseGoFloat(text: string): number {
  const quoted = JSON.stringify(text);
  if (text.toLowerCase() === 'nan') return Number.NaN;
  if (INFINITY.test(text)) return text.startsWith('-') ? -Infinity : Infinity;
  const decimal = DECIMAL.test(text) && /[0-9]/.test(text.replace(/[eE].*$/, ''));
  if ((!decimal && !HEXADECIMAL.test(text)) || !underscoresFit(text))
    throw new Error(`strconv.ParseFloat: parsing ${quoted}: invalid syntax`);
  const value = decimal ? Number(text.replaceAll('_', '')) : hexadecimalValue(text);
  if (!Number.isFinite(value)) throw new Error(`strconv.ParseFloat: parsing ${quoted}: value out of range`);
  return value;
}
