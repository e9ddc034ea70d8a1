import { describe, expect, it } from 'vitest';
import { ComposeError } from '../errors.js';
import { goYamlLayout } from './yaml-layout.js';

const rewriteForYamlPackage = (text: string) => goYamlLayout(text)?.rewrite;
import { parseComposeYaml } from './parse-yaml.js';

const parseOne = (text: string): unknown => parseComposeYaml(text, 'compose.yml')[0]?.value;

function errorOf(text: string): ComposeError {
  try {
    parseComposeYaml(text, 'compose.yml');
  } catch (error) {
    if (error instanceof ComposeError) return error;
    throw error;
  }
  throw new Error('expected a ComposeError');
}

// Every expected value below is what go-yaml v3.0.4 (the YAML reader of compose-go v2.9.1)
// decodes from the same text, recorded with a small Go program outside this repository.
const ACCEPTED_BY_GO_YAML: Array<[string, string, unknown]> = [
  [
    'a double-quoted continuation at column 0',
    'services:\n  a:\n    command: "sh -c\nfoo"\n',
    { services: { a: { command: 'sh -c foo' } } },
  ],
  [
    "a single-quoted continuation at the key's column",
    "services:\n  a:\n    command: 'sh -c ''x''\n    && foo'\n",
    { services: { a: { command: "sh -c 'x' && foo" } } },
  ],
  ['a flow sequence at column 0, its ] too', 'a:\n  b: [\n"sh", "-c"\n]\n', { a: { b: ['sh', '-c'] } }],
  [
    'a flow map less indented, a flow sequence in it',
    'a:\n  b: {A: 1,\n B: [2,\n3]}\nc: 1\n',
    { a: { b: { A: 1, B: [2, 3] } }, c: 1 },
  ],
  ['a flow sequence as a sequence entry', 'a:\n  - [1,\n2]\n  - x\n', { a: [[1, 2], 'x'] }],
  [
    'quoted scalars inside a flow sequence',
    'a:\n  b: [ "x\ny", z,\n"p\n  q" ]\n',
    { a: { b: ['x y', 'z', 'p q'] } },
  ],
  ['block scalar lines, left as they are', 'a: |\n  x "y\n  [z\nb: "p\nq"\n', { a: 'x "y\n[z\n', b: 'p q' }],
  [
    'a folded block scalar in a sequence entry',
    'a:\n  - k: >\n      x [y\n      "z\n    m: "p\nq"\n',
    { a: [{ k: 'x [y "z\n', m: 'p q' }] },
  ],
  [
    'a plain scalar going on over lines',
    'a: foo\n  [bar\n  "baz\nb: "p\nq"\n',
    { a: 'foo [bar "baz', b: 'p q' },
  ],
  ['escaped line breaks', 'a: "x\\\ny"\nb: "p\\\n q"\n', { a: 'xy', b: 'pq' }],
  ['blank lines in a quoted scalar', 'a:\n  b: "x\n\n  y\nz"\n', { a: { b: 'x\ny z' } }],
  ['a comment line inside a flow sequence', 'a:\n  b: [1,\n# one\n2]\n', { a: { b: [1, 2] } }],
  ['JSON style', 'a:\n  b: {"k":"v\nw", "n":[1,\n2]}\n', { a: { b: { k: 'v w', n: [1, 2] } } }],
  ['CRLF line ends', 'a:\r\n  b: "x\r\ny"\r\n  c: [1,\r\n2]\r\n', { a: { b: 'x y', c: [1, 2] } }],
  ['a tab before a continuation', 'a:\n  b: "x\n\ty"\n', { a: { b: 'x y' } }],
  ['an anchored flow sequence and its alias', 'a: &x [1,\n2]\nb: *x\n', { a: [1, 2], b: [1, 2] }],
  [
    "quotes in a comment and in plain scalars (it's)",
    "a: 1 # it's\nc: it's\nit's: \"x\ny\"\n",
    { a: 1, c: "it's", "it's": 'x y' },
  ],
  ['a quoted key with a flow value', '"k": [1,\n2]\n', { k: [1, 2] }],
  ['the flow value of a key in a sequence entry', 'a:\n  - k: [1,\n  2]\n', { a: [{ k: [1, 2] }] }],
  [
    'nested flow collections at column 0',
    'a:\n  b: [[1,\n2], {c: "d\ne"}]\n',
    { a: { b: [[1, 2], { c: 'd e' }] } },
  ],
  [
    'plain scalars with : and " inside a flow map',
    'a:\n  b: {x: http://h:1/p,\ny: a"b}\n',
    { a: { b: { x: 'http://h:1/p', y: 'a"b' } } },
  ],
  ['a complex key', '? k\n: "x\ny"\n', { k: 'x y' }],
  ['comments after the continuation', 'a: [1, # c\n2] # d\nb: 3\n', { a: [1, 2], b: 3 }],
  [
    'a plain scalar going on over lines inside a flow sequence',
    'a: [one\ntwo, three]\n',
    { a: ['one two', 'three'] },
  ],
  [
    "go-yaml's \\' escape in a multi-line double-quoted scalar",
    "a: \"it\\'s\n  \\'ok\\'\"\n",
    { a: "it's 'ok'" },
  ],
];

describe('flow collections and quoted scalars continued at any indentation, as go-yaml reads them', () => {
  it.each(ACCEPTED_BY_GO_YAML)('%s', (_name, text, expected) => {
    expect(parseOne(text)).toEqual(expected);
  });

  it('reads the documents after the first with the same leniency', () => {
    const documents = parseComposeYaml('a: "x\ny"\n---\nb: [1,\n2]\n', 'compose.yml').map(
      (document) => document.value,
    );
    expect(documents).toEqual([{ a: 'x y' }, { b: [1, 2] }]);
  });

  it('reports positions in the text as written: the key of a padded line keeps its column', () => {
    const parsed = parseComposeYaml('services:\n  a:\n    environment: {A: 1,\n  B: 2}\n', 'compose.yml')[0]!;
    expect(parsed.value).toEqual({ services: { a: { environment: { A: 1, B: 2 } } } });
    const error = errorOf('a: {k: 1,\n k: 2}\n');
    expect(error.message).toBe('yaml: line 2: mapping key "k" already defined at line 1');
    expect([error.line, error.column]).toEqual([2, 2]);
  });

  // go-yaml refuses each of these too (its words differ: "found unexpected document indicator",
  // "did not find expected ',' or ']'"); the message is the package's about the text as written.
  it.each([
    ['a document marker inside a quoted scalar', 'a: "x\n---\ny"\n', 'Missing closing "quote', 1],
    [
      'a document marker inside a flow sequence',
      'a: [1,\n---\n2]\n',
      'Flow sequence in block collection must be sufficiently indented',
      2,
    ],
    ['an unterminated quote', 'a: "x\n  y\n', 'Missing closing "quote', 3],
    [
      'an unterminated flow sequence',
      'a: [1,\n2\n',
      'Flow sequence in block collection must be sufficiently indented',
      2,
    ],
    ['another error after a continuation', 'a: "x\ny"\nb: [1, 2\nc: d\n', 'Missing closing "quote', 1],
  ])('still refuses %s', (_name, text, message, line) => {
    const error = errorOf(text);
    expect(error.message).toContain(message);
    expect(error.line).toBe(line);
  });
});

describe('goYamlLayout: the rewrite for the yaml package', () => {
  it('pads only the continuation lines, to one column past the opening quote or bracket, and maps offsets back', () => {
    const text = 'x: 1\ncommand: "a\nb"\nlist: [1,\n   2,\n      3]\n';
    const rewritten = rewriteForYamlPackage(text)!;
    expect(rewritten.text).toBe('x: 1\ncommand: "a\n          b"\nlist: [1,\n       2,\n       3]\n');
    // The `b` and the `3` are where they were; a padding space is where its line starts.
    expect(rewritten.originalOffset(rewritten.text.indexOf('b"'))).toBe(text.indexOf('b"'));
    expect(rewritten.originalOffset(rewritten.text.indexOf('3]'))).toBe(text.indexOf('3]'));
    expect(rewritten.originalOffset(rewritten.text.indexOf('  b'))).toBe(text.indexOf('b"'));
  });

  it("spells go-yaml's \\' escape out as \\x27 inside double quotes only", () => {
    const text = "a: \"it\\'s\n  x\" # don\\'t\nb: 'it''s'\n";
    const rewritten = rewriteForYamlPackage(text)!;
    // The `x` line is padded too: one column past the opening quote.
    expect(rewritten.text).toBe("a: \"it\\x27s\n    x\" # don\\'t\nb: 'it''s'\n");
    expect(rewritten.originalOffset(rewritten.text.indexOf('s\n'))).toBe(text.indexOf('s\n'));
  });

  it('answers undefined when nothing needs rewriting, or the text cannot be followed to its end', () => {
    expect(rewriteForYamlPackage('a: [1,\n     2]\nb: "x\n     y"\n')).toBeUndefined();
    expect(rewriteForYamlPackage('a: [1,\n2\n')).toBeUndefined();
    expect(rewriteForYamlPackage('a: "x\n')).toBeUndefined();
  });
});

// Each text below is refused by go-yaml v3.0.4 with the reason given, and loaded by the `yaml`
// package; the ones after them are loaded by both (recorded with the same Go program).
const TABS_REFUSED_BY_GO_YAML: Array<[string, string, number, string]> = [
  [
    'a blank line holding a tab after a quoted value',
    'a: "1"\n\t\nb: 2\n',
    2,
    'found character that cannot start any token',
  ],
  [
    'a comment indented with a tab at the top',
    '\t# c\na: 1\n',
    1,
    'found character that cannot start any token',
  ],
  [
    "a tab left of a plain value's indentation",
    'a:\n  b: 1\n\t\n  c: 2\n',
    3,
    'found a tab character that violates indentation',
  ],
  [
    "a tab among the spaces left of a plain value's indentation",
    'a:\n  b: 1\n  \t\n  c: 2\n',
    3,
    'found a tab character that violates indentation',
  ],
  [
    "a tab in a block scalar's indentation",
    'a: |\n  x\n\t\n  y\n',
    3,
    'found a tab character where an indentation space is expected',
  ],
  [
    "a tab before a block scalar's first line",
    'a: |\n \tx\n',
    2,
    'found a tab character where an indentation space is expected',
  ],
  ["a tab after a complex key's :", '? a\n:\t1\n', 2, 'found character that cannot start any token'],
  [
    'a tab-indented comment after a comment that ends a line',
    'k: [1] # t\n   \t# t\n',
    2,
    'found character that cannot start any token',
  ],
];

const TABS_TAKEN_BY_GO_YAML: Array<[string, string, unknown]> = [
  ["a tab after a key's :", 'a:\t1\n', { a: 1 }],
  [
    'tabs inside a flow sequence and a quoted scalar',
    'a: [1,\n\t2]\nb: "x\n\t\ty"\n',
    { a: [1, 2], b: 'x y' },
  ],
  ["a tab right of a plain value's indentation", 'a: 1\n  \t# c\nb: 2\n', { a: 1, b: 2 }],
  ['comment lines read with the comment before them', '# c\n  \t# t\n\t\n# u\nk: 1\n', { k: 1 }],
  ["a tab inside a block scalar's text", 'a: |\n  x\n  \ty\n', { a: 'x\n\ty\n' }],
  ['trailing tabs', 'a: 1\t\nb: "x"\t# c\n', { a: 1, b: 'x' }],
];

describe('tabs, refused where go-yaml refuses them', () => {
  it.each(TABS_REFUSED_BY_GO_YAML)('refuses %s, at the tab', (_name, text, line, reason) => {
    const error = errorOf(text);
    expect(error.message).toBe(`yaml: line ${line}: ${reason}`);
    expect(error.line).toBe(line);
  });

  it.each(TABS_TAKEN_BY_GO_YAML)('loads %s', (_name, text, expected) => {
    expect(parseOne(text)).toEqual(expected);
  });

  it('reports an earlier broken line of the text before a tab after it', () => {
    const error = errorOf('a: [1, 2\nb: 1\n\t\n');
    expect(error.line).toBeLessThan(3);
    expect(error.message).not.toContain('tab');
  });
});

describe('plain scalars in flow collections, read as go-yaml reads them', () => {
  // Recorded from go-yaml v3.0.4: it ends a plain scalar in a flow collection at `?` and at any
  // of `,[]{}`, and reads `:` and `?` opening an entry as indicators.
  it.each([
    [
      'a URL with a query in a flow sequence',
      'a: [curl, http://h/x?a=1]\n',
      "did not find expected ',' or ']'",
    ],
    ['a URL with a query in a flow map', 'a: {u: http://h/x?a=1}\n', "did not find expected ',' or '}'"],
    ['an entry opening with :', 'a: [:x]\n', 'did not find expected node content'],
  ])('refuses %s, as Compose does', (_name, text, reason) => {
    const error = errorOf(text);
    expect(error.message).toBe(`yaml: line 1: ${reason}`);
  });

  it.each([
    ['x: before a comma is text', 'a: [x:, y]\n', { a: ['x:', 'y'] }],
    [
      'x: before a comma is a key with its colon in a flow map',
      'a: {x:, y: 1}\n',
      { a: { 'x:': null, y: 1 } },
    ],
    ['y: before the end is text', 'a: [x: y:]\n', { a: [{ x: 'y:' }] }],
    ['a quote in it stays one', "a: [it's:, b]\n", { a: ["it's:", 'b'] }],
    ['over lines', 'a: [\n  x:,\n  y]\n', { a: ['x:', 'y'] }],
    ['?x opening an entry is a complex key', 'a: [?x]\n', { a: [{ x: null }] }],
  ])('reads %s', (_name, text, expected) => {
    expect(parseOne(text)).toEqual(expected);
  });
});

describe('anchor names and keys in flow collections, as go-yaml reads them', () => {
  // Recorded from go-yaml v3.0.4 (the YAML test suite's 4MUZ, NJ66, DK4H and CT4Q among them).
  it.each([
    [
      'an anchor name holding a dot',
      'x: &app.env {A: 1}\n',
      1,
      'did not find expected alphabetic or numeric character',
    ],
    [
      'an anchor name holding an emoji',
      'x: &😁 1\n',
      1,
      'did not find expected alphabetic or numeric character',
    ],
    [
      'an alias name holding a dot',
      'x: &a 1\ny: *a.b\n',
      2,
      'did not find expected alphabetic or numeric character',
    ],
    ['a key whose : is on the next line', '{"foo"\n: "bar"}\n', 2, "did not find expected ',' or '}'"],
    ['a key over two lines', 'a: { multi\n  line: value}\n', 2, "did not find expected ',' or '}'"],
    [
      'a key of a flow sequence whose : is on the next line',
      'a: [ key\n  : value ]\n',
      2,
      "did not find expected ',' or ']'",
    ],
  ])('refuses %s', (_name, text, line, reason) => {
    const error = errorOf(text);
    expect(error.message).toBe(`yaml: line ${line}: ${reason}`);
  });

  it.each([
    ['letters, digits, _ and - in a name', 'x: &a-1_B 1\ny: [*a-1_B, *a-1_B]\n', { x: 1, y: [1, 1] }],
    ['a name ending at :', 'x: &a:b 1\n', { x: ':b 1' }],
    ['a complex key over lines', 'a: [\n? foo\n bar : baz\n]\n', { a: [{ 'foo bar': 'baz' }] }],
    ['keys on their own lines', 'a: {x: 1,\n  y: 2}\n', { a: { x: 1, y: 2 } }],
  ])('reads %s', (_name, text, expected) => {
    expect(parseOne(text)).toEqual(expected);
  });
});
