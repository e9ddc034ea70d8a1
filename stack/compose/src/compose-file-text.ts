import { readFileSync } from 'node:fs';
import { COMPOSE_ERROR_CODES, ComposeError } from './errors.js';

/*
 * The text of a YAML file, from its bytes, as go-yaml's reader (readerc.go) takes them: UTF-8
 * unless a byte order mark says UTF-16 (little or big endian), and refused when a byte sequence is
 * not valid in that encoding or a character is one YAML does not allow in a file (the C0 and C1
 * control characters other than tab, line feed, carriage return and NEL, and U+FFFE/U+FFFF).
 * Compose refuses such files; reading them as Node's 'utf8' does would turn bad bytes into U+FFFD
 * and let the file load, and would read a UTF-16 file as garbage.
 */

const UTF16_LE_BOM = [0xff, 0xfe] as const;
const UTF16_BE_BOM = [0xfe, 0xff] as const;

const strictUtf8 = new TextDecoder('utf-8', { fatal: true, ignoreBOM: true });
// A JavaScript string holds UTF-16 code units; a valid UTF-8 or UTF-16 decode never leaves a lone
// surrogate in it, so this tests characters. Control characters are what it looks for.
// eslint-disable-next-line no-control-regex
const DISALLOWED_CHARACTER = /[\x00-\x08\x0B\x0C\x0E-\x1F\x7F-\x84\x86-\x9F\uFFFE\uFFFF]/;

/** Reads `file` (`0` for standard input) and decodes it with `decodeYamlBytes`. */
export function readYamlText(file: string | 0): string {
  return decodeYamlBytes(readFileSync(file), file === 0 ? '-' : file);
}

/** `bytes` as text; a `ComposeError` naming `file`, the line and go-yaml's reason when Compose would refuse them. */
export function decodeYamlBytes(bytes: Uint8Array, file: string): string {
  const bigEndian = startsWith(bytes, UTF16_BE_BOM);
  if (bigEndian || startsWith(bytes, UTF16_LE_BOM)) {
    const text = decodeUtf16(bytes, bigEndian);
    if (typeof text !== 'string') {
      // go-yaml's reader checks each character as it decodes it: a control character before the
      // broken unit is the refusal.
      checkCharacters(text.decodedBefore, file);
      throw readerError(text, file);
    }
    return checkCharacters(text, file);
  }
  let text: string;
  try {
    text = strictUtf8.decode(bytes);
  } catch {
    const problem = firstUtf8Problem(bytes);
    // As for UTF-16: a control character before the broken sequence is what go-yaml refuses first.
    checkCharacters(strictUtf8.decode(bytes.subarray(0, problem.offset)), file);
    throw readerError(problem, file);
  }
  return checkCharacters(text, file);
}

/**
 * `bytes` as UTF-8 text, for a file that is not YAML (an env file); a ComposeError naming `file`
 * and the line of the first byte sequence that is not UTF-8. Compose hands such bytes on as they
 * are (a password saved as Latin-1); a JavaScript string cannot hold them, and reading them as
 * U+FFFD printed and passed on a value other than the file's.
 */
export function decodeUtf8Text(bytes: Uint8Array, file: string): string {
  try {
    return strictUtf8.decode(bytes);
  } catch {
    const { line, detail } = firstUtf8Problem(bytes);
    throw new ComposeError(
      COMPOSE_ERROR_CODES.DOTENV_SYNTAX,
      `not valid UTF-8 (${detail}): Compose passes such bytes on unread, stack reads the file as UTF-8 text; save it as UTF-8`,
      { file, line },
    );
  }
}

function startsWith(bytes: Uint8Array, prefix: readonly number[]): boolean {
  return prefix.every((byte, index) => bytes[index] === byte);
}

/** What go-yaml's reader says, and where: `line` counts the line feeds before `offset`. */
interface ReaderProblem {
  reason: string;
  line: number;
  detail: string;
}

function readerError(problem: ReaderProblem, file: string): ComposeError {
  return new ComposeError(COMPOSE_ERROR_CODES.YAML_SYNTAX, `yaml: ${problem.reason} (${problem.detail})`, {
    file,
    line: problem.line,
  });
}

function checkCharacters(text: string, file: string): string {
  const found = DISALLOWED_CHARACTER.exec(text);
  if (!found) return text;
  const before = text.slice(0, found.index);
  const code = found[0].charCodeAt(0).toString(16).toUpperCase().padStart(4, '0');
  throw readerError({ reason: 'control characters are not allowed', line: countLines(before), detail: `U+${code}` }, file);
}

function countLines(text: string): number {
  let lines = 1;
  for (let index = text.indexOf('\n'); index !== -1; index = text.indexOf('\n', index + 1)) lines++;
  return lines;
}

function lineAtByte(bytes: Uint8Array, offset: number): number {
  let lines = 1;
  for (let index = 0; index < offset; index++) if (bytes[index] === 0x0a) lines++;
  return lines;
}

const hex = (byte: number) => `byte 0x${byte.toString(16).toUpperCase().padStart(2, '0')}`;

/** The first sequence go-yaml's UTF-8 decoding refuses, with its words (the strict decoder said there is one). */
function firstUtf8Problem(bytes: Uint8Array): ReaderProblem & { offset: number } {
  let offset = 0;
  while (offset < bytes.length) {
    const lead = bytes[offset]!;
    const width = lead < 0x80 ? 1 : (lead & 0xe0) === 0xc0 ? 2 : (lead & 0xf0) === 0xe0 ? 3 : (lead & 0xf8) === 0xf0 ? 4 : 0;
    const at = (reason: string) => ({ reason, line: lineAtByte(bytes, offset), detail: hex(lead), offset });
    if (width === 0) return at('invalid leading UTF-8 octet');
    if (offset + width > bytes.length) return at('incomplete UTF-8 octet sequence');
    let value = width === 1 ? lead : width === 2 ? lead & 0x1f : width === 3 ? lead & 0x0f : lead & 0x07;
    for (let next = 1; next < width; next++) {
      const trailing = bytes[offset + next]!;
      if ((trailing & 0xc0) !== 0x80) return at('invalid trailing UTF-8 octet');
      value = (value << 6) | (trailing & 0x3f);
    }
    const shortest = width === 1 || (width === 2 && value >= 0x80) || (width === 3 && value >= 0x800) || (width === 4 && value >= 0x10000);
    if (!shortest) return at('invalid length of a UTF-8 sequence');
    if ((value >= 0xd800 && value <= 0xdfff) || value > 0x10ffff) return at('invalid Unicode character');
    offset += width;
  }
  // Unreachable while the strict decoder and these rules agree; said plainly if they ever do not.
  return { reason: 'invalid UTF-8', line: 1, detail: 'not decodable', offset: 0 };
}

/** UTF-16 text after its byte order mark, or go-yaml's words for the first unit it refuses. */
function decodeUtf16(bytes: Uint8Array, bigEndian: boolean): string | (ReaderProblem & { decodedBefore: string }) {
  const units: number[] = [];
  let lines = 1;
  let offset = 2;
  const unitAt = (at: number) => (bigEndian ? (bytes[at]! << 8) | bytes[at + 1]! : bytes[at]! | (bytes[at + 1]! << 8));
  const problem = (reason: string, unit?: number) => ({
    reason,
    line: lines,
    detail: unit === undefined ? `offset ${offset}` : `unit 0x${unit.toString(16).toUpperCase()}`,
    decodedBefore: textOf(units),
  });
  while (offset < bytes.length) {
    if (offset + 2 > bytes.length) return problem('incomplete UTF-16 character');
    const unit = unitAt(offset);
    if (unit >= 0xdc00 && unit <= 0xdfff) return problem('unexpected low surrogate area', unit);
    if (unit >= 0xd800 && unit <= 0xdbff) {
      if (offset + 4 > bytes.length) return problem('incomplete UTF-16 surrogate pair');
      const low = unitAt(offset + 2);
      if (low < 0xdc00 || low > 0xdfff) return problem('expected low surrogate area', low);
      units.push(unit, low);
      offset += 4;
      continue;
    }
    if (unit === 0x0a) lines++;
    units.push(unit);
    offset += 2;
  }
  return textOf(units);
}

function textOf(units: readonly number[]): string {
  // Chunks keep String.fromCharCode's argument count well under the engine's limit.
  let text = '';
  for (let start = 0; start < units.length; start += 8192) text += String.fromCharCode(...units.slice(start, start + 8192));
  return text;
}
