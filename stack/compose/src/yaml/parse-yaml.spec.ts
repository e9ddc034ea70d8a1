import { describe, expect, it } from 'vitest';
import { COMPOSE_ERROR_CODES, ComposeError } from '../errors.js';
import { MAX_YAML_NESTING } from './nesting-limit.js';
import { allowedAliasRatio, parseComposeYaml } from './parse-yaml.js';

const parseOne = (text: string): unknown => parseComposeYaml(text, 'compose.yml')[0]?.value;

function errorOf(run: () => unknown): ComposeError {
  try {
    run();
  } catch (error) {
    if (error instanceof ComposeError) return error;
    throw error;
  }
  throw new Error('expected a ComposeError');
}

describe('parseComposeYaml', () => {
  it('types plain scalars like go-yaml: octal modes, yes stays a string', () => {
    expect(parseOne('a: 0400\nb: yes\nc: 1_000\nd: "0400"\ne: ~\nf: 1.5\ng: true\nh: 0x1F\ni: 08')).toEqual({
      a: 256,
      b: 'yes',
      c: 1000,
      d: '0400',
      e: null,
      f: 1.5,
      g: true,
      h: 31,
      i: 8,
    });
  });

  it('expands anchors, aliases and merge keys, explicit keys winning', () => {
    const value = parseOne('x: &base\n  a: 1\n  b: 2\ny:\n  <<: *base\n  b: 3\nz: *base');
    expect(value).toEqual({ x: { a: 1, b: 2 }, y: { a: 1, b: 3 }, z: { a: 1, b: 2 } });
  });

  it('refuses an alias to a list of maps as a merge source, as go-yaml v3.0.4 does', () => {
    const error = errorOf(() => parseComposeYaml('l: &l [{a: 1}, {b: 2}]\nm:\n  <<: *l\n', 'compose.yml'));
    expect(error.message).toBe('yaml: map merge requires map or sequence of maps as the value');
    expect(parseOne('a: &a {a: 1}\nb: &b {b: 2}\nm:\n  <<: [*a, *b, {c: 3}]\n')).toMatchObject({ m: { a: 1, b: 2, c: 3 } });
  });

  it('lets the first of several merge sources win', () => {
    expect(parseOne('a: &a {k: 1}\nb: &b {k: 2, j: 2}\nc:\n  <<: [*a, *b]')).toMatchObject({ c: { k: 1, j: 2 } });
  });

  it('records !reset and !override paths and drops reset values', () => {
    const [document] = parseComposeYaml('services:\n  app:\n    ports: !reset []\n    environment: !override\n      A: "1"\n', 'f.yml');
    expect(document?.value).toEqual({ services: { app: { environment: { A: '1' } } } });
    expect(document?.resetPaths).toEqual(['services.app.ports', 'services.app.environment']);
  });

  it('knows where each key is', () => {
    const [document] = parseComposeYaml('services:\n  web:\n    image: nginx\n', 'f.yml');
    expect(document?.positions.get('services.web.image')).toEqual({ line: 3, column: 5 });
  });

  it('refuses duplicate keys with both lines', () => {
    const error = errorOf(() => parseOne('a: 1\nb: 2\na: 3'));
    expect(error.code).toBe(COMPOSE_ERROR_CODES.YAML_DUPLICATE_KEY);
    expect(error.message).toContain('"a" already defined at line 1');
    expect(error.line).toBe(3);
  });

  it('refuses a billion-laughs alias bomb quickly, naming the file', () => {
    const levels = ['a: &a ["x","x","x","x","x","x","x","x","x","x"]'];
    for (let i = 1; i < 9; i++) levels.push(`${String.fromCharCode(97 + i)}: &${String.fromCharCode(97 + i)} [${Array(10).fill(`*${String.fromCharCode(96 + i)}`).join(',')}]`);
    const error = errorOf(() => parseOne(levels.join('\n')));
    expect(error.code).toBe(COMPOSE_ERROR_CODES.YAML_ALIAS_BOMB);
    expect(error.message).toContain('compose.yml: yaml: document contains excessive aliasing');
    expect(error.line).toBeGreaterThan(1);
  });

  it('loads a large file without aliases, as go-yaml does', () => {
    const lines = ['services:', '  a:', '    image: x', '    environment:'];
    for (let i = 0; i < 80_000; i++) lines.push(`      V${i}: v${i}`);
    const [document] = parseComposeYaml(lines.join('\n'), 'compose.yml');
    expect(Object.keys((document?.value as { services: { a: { environment: object } } }).services.a.environment)).toHaveLength(80_000);
  });

  it('lets aliases bring 99 % of a small document and refuses more (go-yaml\'s ratio)', () => {
    // One anchored map of 50 entries (101 nodes) aliased n times: about 102 n nodes of which 101 n through aliases.
    const aliasedTimes = (n: number): string =>
      ['x-e: &e', ...Array.from({ length: 50 }, (_, i) => `  K${i}: v`), 'x-uses:', ...Array.from({ length: n }, () => '  - *e')].join('\n');
    expect(() => parseOne(aliasedTimes(300))).not.toThrow();
    expect(errorOf(() => parseOne(aliasedTimes(20_000))).code).toBe(COMPOSE_ERROR_CODES.YAML_ALIAS_BOMB);
    expect(allowedAliasRatio(1_000)).toBe(0.99);
    expect(allowedAliasRatio(2_200_000)).toBeCloseTo(0.545);
    expect(allowedAliasRatio(9_000_000)).toBe(0.1);
  });

  it('reports syntax errors with line and column', () => {
    const error = errorOf(() => parseOne('services:\n  web:\n    image: nginx\n   ports:\n    - "80:80"'));
    expect(error.code).toBe(COMPOSE_ERROR_CODES.YAML_SYNTAX);
    expect(error.message).toMatch(/^yaml: /);
    expect(error.line).toBeGreaterThan(0);
  });

  it('refuses non-string keys', () => {
    expect(errorOf(() => parseOne('services:\n  web:\n    labels:\n      8080: x')).code).toBe(COMPOSE_ERROR_CODES.YAML_NON_STRING_KEY);
  });

  it('reads NEL (U+0085) as a line break, as go-yaml v3.0.4 does (values recorded from it)', () => {
    expect(parseOne('a: x\u0085b: y\n')).toEqual({ a: 'x', b: 'y' });
    expect(parseOne('a: |\n  x\u0085  y\nb: 1\n')).toEqual({ a: 'x\ny\n', b: 1 });
    expect(parseOne('a: "x\u0085y"\n')).toEqual({ a: 'x y' });
    expect(parseOne("a: 'x\u0085\u0085y'\n")).toEqual({ a: 'x\ny' });
    expect(parseOne('a: x # c\u0085b: y\n')).toEqual({ a: 'x', b: 'y' });
    // The escape `\N` is NEL as a character, not a line break.
    expect(parseOne('a: "x\\Ny"\n')).toEqual({ a: 'x\u0085y' });
    const error = errorOf(() => parseComposeYaml('a: 1\u0085a: 2\n', 'compose.yml'));
    expect(error.line).toBe(2);
  });

  it('reads every document of a multi-document file', () => {
    expect(parseComposeYaml('a: 1\n---\nb: 2\n', 'f.yml').map((document) => document.value)).toEqual([{ a: 1 }, { b: 2 }]);
  });
  describe('nesting deeper than the engine reads', () => {
    // A generated file nested thousands of levels deep crashed the reader ("Maximum call stack
    // size exceeded [STACK_ERR_INTERNAL]") instead of naming the file and line.
    const blockNesting = (levels: number) => `a: 1\nx-deep:\n${Array.from({ length: levels }, (_, level) => `${'  '.repeat(level + 1)}k:\n`).join('')}`;
    const flowNesting = (levels: number) => `a: 1\nx-deep: ${'['.repeat(levels)}${']'.repeat(levels)}\n`;

    it.each([
      ['block mappings, 3000 levels', blockNesting(3000), 2 + MAX_YAML_NESTING],
      ['flow sequences, 20000 levels', flowNesting(20_000), 2],
      ['block mappings with CRLF line ends (read by the yaml package)', blockNesting(3000).replaceAll('\n', '\r\n'), 2 + MAX_YAML_NESTING],
    ])('refuses %s with the line, not a stack overflow', (_label, text, line) => {
      const error = errorOf(() => parseComposeYaml(text, 'compose.yml'));
      expect(error.code).toBe(COMPOSE_ERROR_CODES.YAML_SYNTAX);
      expect(error.format()).toBe(
        `compose.yml:${line}:${error.column}: yaml: line ${line}: collections nested more than ${MAX_YAML_NESTING} levels deep, more than stack reads (Compose stops at 10000): flatten the nesting [STACK_ERR_YAML_SYNTAX]`,
      );
    });

    it('reads nesting up to the limit, by both readers', () => {
      const deepest = (value: unknown): number => (value !== null && typeof value === 'object' ? 1 + deepest(Object.values(value).at(-1)) : 0);
      // The document's own mapping is one of the levels.
      expect(deepest(parseOne(blockNesting(MAX_YAML_NESTING - 1)))).toBe(MAX_YAML_NESTING);
      expect(deepest(parseOne(flowNesting(MAX_YAML_NESTING - 1)))).toBe(MAX_YAML_NESTING);
      expect(deepest(parseOne(blockNesting(MAX_YAML_NESTING - 1).replaceAll('\n', '\r\n')))).toBe(MAX_YAML_NESTING);
    });
  });
});
