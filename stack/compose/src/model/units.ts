/**
 * Value conversions Compose applies when it binds the model to its types: durations printed
 * like Go's time.Duration, byte sizes parsed like docker/go-units RAMInBytes, shell words.
 */

const DURATION_UNITS: Record<string, number> = {
  ns: 1,
  us: 1e3,
  µs: 1e3,
  μs: 1e3,
  ms: 1e6,
  s: 1e9,
  m: 60e9,
  h: 3600e9,
  d: 86400e9,
  w: 604800e9,
};

/** Parses `1m30s`, `500ms`, `2h`, `10` (seconds are not implied: a bare number is nanoseconds). */
export function parseDuration(text: string): number {
  const input = text.trim();
  if (input === '0') return 0;
  const sign = input.startsWith('-') ? -1 : 1;
  let rest = input.replace(/^[-+]/, '');
  if (rest === '') throw new Error(`invalid duration ${JSON.stringify(text)}`);
  let total = 0;
  while (rest.length > 0) {
    const match = /^([0-9]*(?:\.[0-9]*)?)(ns|us|µs|μs|ms|s|m|h|d|w)/.exec(rest);
    if (!match || match[1] === '' || match[1] === '.') throw new Error(`invalid duration ${JSON.stringify(text)}`);
    total += Number.parseFloat(match[1] ?? '0') * (DURATION_UNITS[match[2] ?? 's'] ?? 1);
    rest = rest.slice(match[0].length);
  }
  return sign * Math.round(total);
}

/** Formats nanoseconds like Go's time.Duration.String(): `1m30s`, `500ms`, `2h0m0s`. */
export function formatDuration(nanoseconds: number): string {
  if (nanoseconds === 0) return '0s';
  const negative = nanoseconds < 0;
  let value = Math.abs(nanoseconds);
  let out: string;
  if (value < 1e9) {
    if (value < 1e3) out = `${value}ns`;
    else if (value < 1e6) out = `${trimFraction(value / 1e3)}µs`;
    else out = `${trimFraction(value / 1e6)}ms`;
  } else {
    const hours = Math.floor(value / 3600e9);
    value -= hours * 3600e9;
    const minutes = Math.floor(value / 60e9);
    value -= minutes * 60e9;
    const seconds = trimFraction(value / 1e9);
    out = hours > 0 ? `${hours}h${minutes}m${seconds}s` : minutes > 0 ? `${minutes}m${seconds}s` : `${seconds}s`;
  }
  return negative ? `-${out}` : out;
}

function trimFraction(value: number): string {
  return String(Number.parseFloat(value.toFixed(9)));
}

const BYTE_UNITS: Record<string, number> = { '': 1, k: 1024, m: 1024 ** 2, g: 1024 ** 3, t: 1024 ** 4, p: 1024 ** 5 };

/** Parses a memory size like docker/go-units RAMInBytes: `512m`, `1G`, `128MiB`, `1024`. */
export function parseBytes(value: unknown): number {
  if (typeof value === 'number') return Math.trunc(value);
  const text = String(value);
  const match = /^(\d+(?:\.\d+)*) ?([kKmMgGtTpP])?[iI]?[bB]?$/.exec(text);
  if (!match) throw new Error(`invalid size: ${JSON.stringify(text)}`);
  const unit = (match[2] ?? '').toLowerCase();
  return Math.trunc(Number.parseFloat(match[1] ?? '0') * (BYTE_UNITS[unit] ?? 1));
}

/**
 * Splits a command string into words as Compose does (go-shellwords v1.0.12's Parse, without
 * environment or backtick expansion): quotes and backslashes as in a shell, an empty quoted word
 * kept, and the command ends at the first unquoted `;`, `&`, `|`, `<` or `>` (`a && b` is
 * `[a]`, a digit word before `>` dropped too). An unquoted `(` not after `$` is an error, as is
 * an unclosed quote, `$(` or backtick.
 */
export function splitShellWords(line: string): string[] {
  return splitShellWordsAt(line).words;
}

/**
 * `splitShellWords`, also saying where the split stopped: the offset of the shell operator that
 * ended the command, when one did (what came after it is dropped without a word from Compose).
 */
export function splitShellWordsAt(line: string): { words: string[]; stoppedAt: number | undefined } {
  const words: string[] = [];
  let offset = 0;
  let stoppedAt: number | undefined;
  let buffer = '';
  let escaped = false;
  let doubleQuoted = false;
  let singleQuoted = false;
  let backQuote = false;
  let dollarQuote = false;
  // What the buffer holds: nothing yet, a plain word, or a word that had quotes (kept if empty).
  let got: 'none' | 'word' | 'quoted' = 'none';
  const invalid = (): Error => new Error('invalid command line string');
  for (const char of line) {
    const at = offset;
    offset += char.length;
    if (escaped) {
      buffer += char;
      escaped = false;
      got = 'word';
      continue;
    }
    if (char === '\\') {
      if (singleQuoted) buffer += char;
      else escaped = true;
      continue;
    }
    if (char === ' ' || char === '\t' || char === '\r' || char === '\n') {
      if (singleQuoted || doubleQuoted || backQuote || dollarQuote) buffer += char;
      else if (got !== 'none') {
        words.push(buffer);
        buffer = '';
        got = 'none';
      }
      continue;
    }
    let literal = true;
    switch (char) {
      case '`':
        if (!singleQuoted && !doubleQuoted && !dollarQuote) backQuote = !backQuote;
        break;
      case ')':
        if (!singleQuoted && !doubleQuoted && !backQuote) dollarQuote = !dollarQuote;
        break;
      case '(':
        if (!singleQuoted && !doubleQuoted && !backQuote) {
          if (dollarQuote || !buffer.endsWith('$')) throw invalid();
          dollarQuote = true;
          buffer += char;
          literal = false;
        }
        break;
      case '"':
        if (!singleQuoted && !dollarQuote) {
          if (doubleQuoted) got = 'quoted';
          doubleQuoted = !doubleQuoted;
          literal = false;
        }
        break;
      case "'":
        if (!doubleQuoted && !dollarQuote) {
          if (singleQuoted) got = 'quoted';
          singleQuoted = !singleQuoted;
          literal = false;
        }
        break;
      case ';':
      case '&':
      case '|':
      case '<':
      case '>':
        if (!(singleQuoted || doubleQuoted || backQuote || dollarQuote)) {
          // `2>&1`: the descriptor number before `>` is not a word.
          if (char === '>' && /^[0-9]/.test(buffer)) got = 'none';
          stoppedAt = at;
          return finish();
        }
        break;
      default:
        break;
    }
    if (!literal) continue;
    got = 'word';
    buffer += char;
  }
  return finish();

  function finish(): { words: string[]; stoppedAt: number | undefined } {
    if (got !== 'none') words.push(buffer);
    if (escaped || singleQuoted || doubleQuoted || backQuote || dollarQuote) throw invalid();
    return { words, stoppedAt };
  }
}
