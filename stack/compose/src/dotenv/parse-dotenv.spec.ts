import { describe, expect, it } from 'vitest';
import { ComposeError } from '../errors.js';
import { parseDotenv } from './parse-dotenv.js';

describe('parseDotenv', () => {
  const text = [
    '# comment',
    'UNQUOTED=plain',
    'WITH_COMMENT=value # trailing comment',
    'HASH_NO_SPACE=abc#def',
    '',
    "SINGLE='literal ${UNQUOTED} # kept'",
    'DOUBLE="expanded ${UNQUOTED} # kept"',
    'ESCAPES="tab\\there\\nline"',
    'DOLLAR="\\$HOME"',
    'export EXPORTED=yes',
    'BLANK=',
    'SPACED  =  padded value  ',
    'YAML_STYLE: colon',
    'MULTI="one',
    'two"',
    'FROM_SHELL',
  ].join('\n');
  const values = parseDotenv(text, (name) => (name === 'FROM_SHELL' ? 'shell' : undefined));

  it.each([
    ['UNQUOTED', 'plain'],
    ['WITH_COMMENT', 'value'],
    ['HASH_NO_SPACE', 'abc#def'],
    ['SINGLE', 'literal ${UNQUOTED} # kept'],
    ['DOUBLE', 'expanded plain # kept'],
    ['ESCAPES', 'tab\there\nline'],
    ['DOLLAR', '$HOME'],
    ['EXPORTED', 'yes'],
    ['BLANK', ''],
    ['SPACED', 'padded value'],
    ['YAML_STYLE', 'colon'],
    ['MULTI', 'one\ntwo'],
    ['FROM_SHELL', 'shell'],
  ])('%s = %j', (key, expected) => {
    expect(values.get(key)).toBe(expected);
  });

  it('prefers the lookup over earlier keys of the same file', () => {
    const parsed = parseDotenv('A=file\nB=${A}', (name) => (name === 'A' ? 'shell' : undefined));
    expect(parsed.get('B')).toBe('shell');
  });

  it('reports an unterminated quote with its line', () => {
    expect(() => parseDotenv('OK=1\nBAD="open', undefined, 'x.env')).toThrow(ComposeError);
    expect(() => parseDotenv('OK=1\nBAD="open', undefined, 'x.env')).toThrow(/x\.env: line 2: unterminated quoted value/);
  });

  it('refuses a key with a space', () => {
    expect(() => parseDotenv('BAD KEY=1')).toThrow(/key cannot contain a space/);
  });

  it('takes letters and digits of any script, _ . - [ ] in a key, and refuses other characters', () => {
    const parsed = parseDotenv('CAFÉ_ÄPFEL=1\nrate.limit-max[0]=2\nPORT_٣=3\n');
    expect([...parsed]).toEqual([['CAFÉ_ÄPFEL', '1'], ['rate.limit-max[0]', '2'], ['PORT_٣', '3']]);
    expect(() => parseDotenv('OK=1\nA$B=2', undefined, 'x.env')).toThrow(/x\.env: line 2: unexpected character "\$" in variable name "A\$B=2"/);
    expect(() => parseDotenv('A€=1')).toThrow(/unexpected character "€"/);
  });
});
