import { describe, expect, it } from 'vitest';
import { parseComposeYaml } from './parse-yaml.js';

const parseOne = (text: string): unknown => parseComposeYaml(text, 'compose.yml')[0]?.value;

// Each expected value is what go-yaml v3.0.4 decodes from the same text, recorded with a small Go
// program outside this repository. The first four are where the `yaml` package reads otherwise.
const GO_YAML_VALUES: Array<[string, string, unknown]> = [
  ['spaces past an explicit indentation on a line of its own', 'k: |2\n      \n', { k: '    \n' }],
  [
    'lines of spaces past a nested explicit indentation',
    'p:\n  k: >3\n          \n          \n\n',
    { p: { k: '     \n     \n' } },
  ],
  ['a last line of spaces without a line break', 'foo: |\n  x\n   ', { foo: 'x\n ' }],
  ['a trailing line of spaces under strip chomping', 'k: |-3 # c\n     y z \n     \n\n', { k: '  y z \n  ' }],
  ['folding with a more indented line', 'k: >\n  a\n  b\n\n   c\n  d\n', { k: 'a b\n\n c\nd\n' }],
  ['clip chomping', 'k: |\n  a\n\n\n', { k: 'a\n' }],
  ['keep chomping', 'k: |+\n  a\n\n\n', { k: 'a\n\n\n' }],
  ['strip chomping around a more indented line', 'k: >-\n  a\n   b\n  c\n', { k: 'a\n b\nc' }],
  // The fast reader added a line break after these (a random edit in the suite found it).
  ['a last line of text with no line break after it', 'a:\n  run: |\n    x\n    y', { a: { run: 'x\ny' } }],
  ['keep and fold at the end of a file with no line break', 'k: |+\n  x\nf: >\n  a\n  b', { k: 'x\n', f: 'a b' }],
];

describe('block scalars, read as go-yaml reads them', () => {
  it.each(GO_YAML_VALUES)('%s', (_name, text, expected) => {
    expect(parseOne(text)).toEqual(expected);
  });

  // go-yaml counts the spaces of the leading lines in the indentation; the `yaml` package refuses
  // more of them than the next line has ("more-indented leading empty lines").
  it('reads an empty scalar where lines of spaces come before a less indented comment or key', () => {
    expect(parseOne('k: >\n \n  \n   \n # comment\n')).toEqual({ k: '' });
    expect(parseOne('k: |\n      \n# c\ne: 1\n')).toEqual({ k: '', e: 1 });
  });

  it('still refuses such lines before text of the same block, as go-yaml does', () => {
    expect(() => parseComposeYaml('k: >\n    \n  x  \ne: 1\n', 'compose.yml')).toThrow(
      /more-indented leading empty lines/,
    );
  });
});
