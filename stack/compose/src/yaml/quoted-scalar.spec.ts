import { describe, expect, it } from 'vitest';
import { parseComposeYaml } from './parse-yaml.js';
import { decodeQuotedScalar } from './quoted-scalar.js';

// Each expected value is what go-yaml v3.0.4 decodes from `k: <scalar>`, recorded with a small
// Go program outside this repository.
const GO_YAML_VALUES: Array<[string, string, string]> = [
  ['an escaped line break, then an empty line', '"x\\\n\n#"', 'x\n#'],
  ['an escaped line break, then empty lines and text', '"a\\\n\n\n b c"', 'a\n\nb c'],
  ['a line break folded to a space', '"a\n  b"', 'a b'],
  ['an empty line kept as a line feed', '"a\n\nb"', 'a\nb'],
  ['a line holding only blanks counts as empty', '"a\n \n\n  b"', 'a\n\nb'],
  ['blanks before a line break dropped', '"a  \n  b"', 'a b'],
  ['an escaped line break joining two lines', '"a\\\n   b"', 'ab'],
  ['CRLF', '"a\r\n b"', 'a b'],
  ['a doubled quote in single quotes', "'it''s\n  ok'", "it's ok"],
  ['escapes', '"a\\tb\\x41\\u00e9\\U0001F600"', 'a\tbAé😀'],
];

describe('decodeQuotedScalar', () => {
  it.each(GO_YAML_VALUES)('folds %s as go-yaml does', (_name, scalar, expected) => {
    expect(decodeQuotedScalar(scalar)).toBe(expected);
  });

  it('is what the loader gives for a multi-line quoted scalar the yaml package reads', () => {
    expect(parseComposeYaml('k: "x\\\n\n#"\n', 'compose.yml')[0]?.value).toEqual({ k: 'x\n#' });
    expect(parseComposeYaml('k: [\t"a\\\n\n b"]\n', 'compose.yml')[0]?.value).toEqual({ k: ['a\nb'] });
  });
});

describe('a multi-line !!binary scalar', () => {
  it('is still the bytes its base64 spells (go-yaml decodes it to a string of them)', () => {
    const text = 'k: !!binary "\\\n  aGVs\\\n  bG8="\n';
    expect(parseComposeYaml(text, 'compose.yml')[0]?.value).toEqual({ k: 'hello' });
  });
});
