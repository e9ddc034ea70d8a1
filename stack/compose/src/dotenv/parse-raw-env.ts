import { COMPOSE_ERROR_CODES, ComposeError } from '../errors.js';
import type { VariableLookup } from '../interpolation/template.js';

/**
 * Parses an env file in the `raw` format (`env_file: {format: raw}`), the one `docker run
 * --env-file` reads: one `KEY=value` a line, the value taken as written (no quotes, escapes,
 * comments or interpolation), `#` lines and blank lines skipped, a bare `KEY` copied from `lookup`
 * when it is set.
 */
export function parseRawEnv(text: string, lookup: VariableLookup = () => undefined, file = '.env'): Map<string, string> {
  const out = new Map<string, string>();
  const lines = (text.startsWith('\uFEFF') ? text.slice(1) : text).split('\n');
  // A final newline does not start another line.
  if (lines[lines.length - 1] === '') lines.pop();
  for (const raw of lines) {
    const line = raw.replace(/\r$/, '').replace(/^\s+/u, '');
    if (line === '' || line.startsWith('#')) continue;
    const equals = line.indexOf('=');
    const key = equals < 0 ? line : line.slice(0, equals);
    if (key === '') throw new ComposeError(COMPOSE_ERROR_CODES.DOTENV_SYNTAX, `failed to parse env_file ${file}: no variable name on line '${line}'`, { file });
    if (/[ \t]/.test(key)) {
      throw new ComposeError(COMPOSE_ERROR_CODES.DOTENV_SYNTAX, `failed to parse env_file ${file}: variable '${key}' contains whitespaces`, { file });
    }
    if (equals >= 0) out.set(key, line.slice(equals + 1));
    else {
      const value = lookup(key);
      if (value !== undefined) out.set(key, value);
    }
  }
  return out;
}
