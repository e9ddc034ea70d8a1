import { describe, expect, it } from 'vitest';
import { COMPOSE_ERROR_CODES, type ComposeError } from './errors.js';
import { decodeYamlBytes } from './compose-file-text.js';

const bytes = (...parts: (string | number[])[]) =>
  Buffer.concat(parts.map((part) => (typeof part === 'string' ? Buffer.from(part, 'utf8') : Buffer.from(part))));

function refusal(input: Uint8Array): ComposeError {
  try {
    decodeYamlBytes(input, 'compose.yml');
  } catch (error) {
    return error as ComposeError;
  }
  throw new Error('the bytes were accepted');
}

// The reasons are go-yaml's (readerc.go), which Compose prints; the expectations were checked
// against compose-go v2.9.1.
describe('decodeYamlBytes (the bytes of a compose file, as go-yaml reads them)', () => {
  it('reads UTF-8, keeping a byte order mark for the parser, and every character YAML allows', () => {
    const text = 'services:\n\tweb: {image: "caf\u00e9 \u2713 \u{1F680}"}\r\n';
    expect(decodeYamlBytes(bytes([0xef, 0xbb, 0xbf], text), 'f')).toBe(`\uFEFF${text}`);
    expect(decodeYamlBytes(bytes('a: "x\u0085y\u00a0z"\n'), 'f')).toBe('a: "x\u0085y\u00a0z"\n');
  });

  it('reads UTF-16 in either byte order when a byte order mark says so', () => {
    const text = 'services:\n  web:\n    image: "h\u00e9 \u{1F680}"\n';
    const little = Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from(text, 'utf16le')]);
    const big = Buffer.from(little);
    big.swap16();
    expect(decodeYamlBytes(little, 'f')).toBe(text);
    expect(decodeYamlBytes(big, 'f')).toBe(text);
  });

  it('refuses bytes that are not UTF-8 with go-yaml\'s reason and the line they are on', () => {
    const cases: [Uint8Array, string, number][] = [
      [bytes('a: 1\nb: "caf', [0xe9], '"\n'), 'invalid trailing UTF-8 octet', 2],
      [bytes('a: "', [0xff, 0xfe], '"\n'), 'invalid leading UTF-8 octet', 1],
      [bytes('a: 1\n\nb: "', [0xc0, 0xaf], '"\n'), 'invalid length of a UTF-8 sequence', 3],
      [bytes('a: "', [0xed, 0xa0, 0x80], '"\n'), 'invalid Unicode character', 1],
      [bytes('a: x', [0xe2, 0x82]), 'incomplete UTF-8 octet sequence', 1],
    ];
    for (const [input, reason, line] of cases) {
      const error = refusal(input);
      expect(error.code).toBe(COMPOSE_ERROR_CODES.YAML_SYNTAX);
      expect(error.message).toContain(`yaml: ${reason}`);
      expect({ file: error.file, line: error.line }).toEqual({ file: 'compose.yml', line });
    }
  });

  it('refuses control characters, in comments too, and the two non-characters of the BMP', () => {
    expect(refusal(bytes('a: 1 # bell\u0007\n')).message).toBe('yaml: control characters are not allowed (U+0007)');
    expect(refusal(bytes('a: 1\nb: 2\n\u0000')).line).toBe(3);
    expect(refusal(bytes('a: "\u007f"\n')).message).toContain('U+007F');
    expect(refusal(bytes('a: "\uFFFE"\n')).message).toContain('control characters are not allowed');
    // UTF-16 without a byte order mark is UTF-8 to go-yaml: its zero bytes are control characters.
    expect(refusal(Buffer.from('a: 1\n', 'utf16le')).message).toContain('U+0000');
  });

  it('refuses a control character before a broken sequence as go-yaml does: it checks each character as it decodes it', () => {
    expect(refusal(bytes('\u0000a: 1\n', [0xff])).message).toBe('yaml: control characters are not allowed (U+0000)');
    expect(refusal(bytes('a: 1\n', [0xff], '\u0001\n')).message).toContain('invalid leading UTF-8 octet');
    const utf16 = Buffer.from([0xff, 0xfe, 0x01, 0x00, 0x61, 0x00, 0x00, 0xdc]);
    expect(refusal(utf16).message).toBe('yaml: control characters are not allowed (U+0001)');
  });

  it('refuses broken UTF-16 with go-yaml\'s reasons', () => {
    const utf16 = (...units: number[]) => Buffer.from([0xff, 0xfe, ...units.flatMap((unit) => [unit & 0xff, unit >> 8])]);
    expect(refusal(utf16(0x61, 0xdc00)).message).toContain('unexpected low surrogate area');
    expect(refusal(utf16(0x61, 0xd83d, 0x61)).message).toContain('expected low surrogate area');
    expect(refusal(utf16(0x61, 0xd83d)).message).toContain('incomplete UTF-16 surrogate pair');
    expect(refusal(Buffer.from([0xff, 0xfe, 0x61, 0x00, 0x62])).message).toContain('incomplete UTF-16 character');
  });
});
