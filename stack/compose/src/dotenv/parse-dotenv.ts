import { COMPOSE_ERROR_CODES, ComposeError } from '../errors.js';
import { substitute, type VariableLookup } from '../interpolation/template.js';

/**
 * Parses `.env` text the way Compose does: `KEY=value` or `KEY: value`, `export` prefix,
 * comments, unquoted values cut at ` #`, single quotes literal, double quotes with escapes and
 * `${VAR}` interpolation (against `lookup`, then the keys of `out`: those defined earlier in the
 * same file, and whatever `out` held before), and a bare `KEY` line that copies KEY from `lookup`
 * when it is set. Entries are set in `out` (a new map unless given), a later one replacing an
 * earlier one.
 */
export function parseDotenv(
  text: string,
  lookup: VariableLookup = () => undefined,
  file = '.env',
  out = new Map<string, string>(),
): Map<string, string> {
  const resolve: VariableLookup = (name) => lookup(name) ?? out.get(name);
  const source = text.startsWith('\uFEFF') ? text.slice(1) : text;
  let line = 1;
  let rest = source;

  const fail = (message: string): never => {
    throw new ComposeError(COMPOSE_ERROR_CODES.DOTENV_SYNTAX, `failed to read ${file}: line ${line}: ${message}`, { file, line });
  };
  const expand = (value: string): string => {
    try {
      return substitute(value, resolve);
    } catch (error) {
      return fail((error as Error).message);
    }
  };

  for (;;) {
    // Skip blank space and comment lines up to the next statement.
    let start = 0;
    for (;;) {
      while (start < rest.length && /\s/.test(rest[start] ?? '')) {
        if (rest[start] === '\n') line++;
        start++;
      }
      if (rest[start] !== '#') break;
      const newline = rest.indexOf('\n', start);
      if (newline < 0) {
        start = rest.length;
        break;
      }
      start = newline;
    }
    rest = rest.slice(start);
    if (rest === '') break;

    if (/^export\s+/.test(rest)) rest = rest.replace(/^export[ \t\v\f\r]*/, '');
    let keyEnd = -1;
    let inherited = false;
    for (let i = 0; i < rest.length; i++) {
      const char = rest[i] ?? '';
      if (isInlineSpace(char)) continue;
      if (char === '=' || char === ':' || char === '\n') {
        keyEnd = i;
        inherited = char === '\n';
        break;
      }
      if (!isKeyChar(char)) {
        fail(`unexpected character ${JSON.stringify(char)} in variable name ${JSON.stringify(rest.split('\n')[0])}`);
      }
    }
    if (keyEnd < 0) {
      // A last line holding only a name: inherited from the environment.
      keyEnd = rest.length;
      inherited = true;
    }
    const key = rest.slice(0, keyEnd).trimEnd();
    if (key.includes(' ')) fail('key cannot contain a space');
    if (inherited) {
      line++;
      const value = lookup(key);
      if (value !== undefined) out.set(key, value);
      rest = rest.slice(keyEnd + 1);
      continue;
    }
    rest = rest.slice(keyEnd + 1).replace(/^[ \t\v\f\r]+/, '');
    const quote = rest[0];
    if (quote !== '"' && quote !== "'") {
      const newline = rest.indexOf('\n');
      let value = newline < 0 ? rest : rest.slice(0, newline);
      rest = newline < 0 ? '' : rest.slice(newline + 1);
      line++;
      const comment = value.indexOf(' #');
      if (comment >= 0) value = value.slice(0, comment);
      out.set(key, expand(value.trimEnd()));
      continue;
    }
    let escaped = false;
    let chars = '';
    let closed = -1;
    for (let i = 1; i < rest.length; i++) {
      const char = rest[i] ?? '';
      if (char === '\n') line++;
      if (char !== quote) {
        if (!escaped && char === '\\') {
          escaped = true;
          continue;
        }
        if (escaped) {
          escaped = false;
          chars += '\\';
        }
        chars += char;
        continue;
      }
      if (escaped) {
        escaped = false;
        chars += char;
        continue;
      }
      closed = i;
      break;
    }
    if (closed < 0) fail(`unterminated quoted value ${rest.split('\n')[0] ?? ''}`);
    out.set(key, quote === '"' ? expand(expandEscapes(chars)) : chars);
    rest = rest.slice(closed + 1);
    // Whatever follows the closing quote on that line (a comment) is skipped by the next loop,
    // except a trailing comment without newline handling: drop the rest of the line.
    const newline = rest.indexOf('\n');
    const tail = newline < 0 ? rest : rest.slice(0, newline);
    if (/^\s*(#.*)?$/.test(tail)) rest = newline < 0 ? '' : rest.slice(newline);
  }
  return out;
}

/**
 * A character Compose takes in a variable name: a letter, a digit (any script), `_`, `.`, `-`,
 * `[` or `]`. ASCII is decided without the Unicode regular expression, whose first runs (compiled
 * for the property classes) cost more than a whole short .env file.
 */
function isKeyChar(char: string): boolean {
  const code = char.charCodeAt(0);
  if (code < 128) {
    return (code >= 48 && code <= 57) || (code >= 65 && code <= 90) || (code >= 97 && code <= 122) || char === '_' || char === '.' || char === '-' || char === '[' || char === ']';
  }
  return /[\p{L}\p{N}]/u.test(char);
}

function isInlineSpace(char: string): boolean {
  return char === ' ' || char === '\t' || char === '\v' || char === '\f' || char === '\r' || char === '\u0085' || char === '\u00a0';
}

const ESCAPES: Record<string, string> = { a: '\x07', b: '\b', f: '\f', n: '\n', r: '\r', t: '\t', v: '\v', '"': '"', '\\': '\\' };

function expandEscapes(value: string): string {
  return value.replace(/\\(?:[abcfnrtv$"\\]|0\d{0,3})/g, (match) => {
    const code = match.slice(1);
    if (code === '$') return '$$';
    if (code.startsWith('0')) return String.fromCharCode(Number.parseInt(code.slice(1) || '0', 8));
    return ESCAPES[code] ?? match;
  });
}
