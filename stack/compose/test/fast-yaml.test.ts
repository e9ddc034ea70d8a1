import { readdirSync, readFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { stringify } from 'yaml';
import { readComposeYaml } from '../src/yaml/fast-yaml.js';
import { parseComposeYaml, parseWithYamlPackage } from '../src/yaml/parse-yaml.js';
import { composeModel } from './support/compose-arbitraries.js';

// The fast reader of compose YAML (src/yaml/fast-yaml.ts) must read every text it takes exactly as
// the `yaml` package does: same values, same `!reset`/`!override` paths, same key positions, and
// an error whenever the package gives one. Checked on every YAML file of the repository, on random
// edits of them, and on random Compose-shaped models written in several YAML styles.

const repoRoot = join(import.meta.dirname, '..', '..', '..');
const SKIP = new Set(['node_modules', 'dist', '.git', 'playwright-report', 'test-results']);

function yamlFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    if (SKIP.has(entry.name)) return [];
    const path = join(dir, entry.name);
    if (entry.isDirectory()) return yamlFiles(path);
    return /\.ya?ml$/.test(entry.name) ? [path] : [];
  });
}

/** What parsing gives, or the error's message: the fast path's result against the package's. */
function outcome(parse: () => unknown): unknown {
  try {
    return parse();
  } catch (error) {
    return { error: (error as Error).message };
  }
}

function expectSameReading(text: string, file = 'compose.yml'): void {
  expect(outcome(() => parseComposeYaml(text, file))).toEqual(outcome(() => parseWithYamlPackage(text, file)));
}

const files = yamlFiles(repoRoot);
const texts = files.map((file) => readFileSync(file, 'utf8'));

describe('the fast YAML reader', () => {
  it('reads every YAML file of the repository like the yaml package, and takes nearly all of them', { timeout: 120_000 }, () => {
    expect(files.length).toBeGreaterThan(100);
    const notTaken: string[] = [];
    files.forEach((file, index) => {
      const text = texts[index] ?? '';
      expectSameReading(text, file);
      if (readComposeYaml(text) === undefined) notTaken.push(relative(repoRoot, file));
    });
    // Print which files go to the yaml package (slower, same result), so a regression shows.
    if (notTaken.length > 0) console.log(`fast YAML reader: ${notTaken.length} of ${files.length} files read by the yaml package: ${notTaken.join(', ')}`);
    expect(notTaken.length).toBeLessThan(files.length * 0.1);
  });

  it('reads this repository\'s compose tree itself without the yaml package', () => {
    const tree = files.filter((file) => /^(docker-compose[\\/].*\.yml|compose\.yaml)$/.test(relative(repoRoot, file)));
    expect(tree.length).toBeGreaterThan(10);
    for (const file of tree) expect(readComposeYaml(readFileSync(file, 'utf8')), file).toBeDefined();
  });

  it.each([
    ['block scalars', 'a: |\n  one\n    two\n\n  three\nb: >-\n  folded\n  line\n\n  next\nc: |+\n  kept\n\nd: x\n'],
    ['anchors, aliases and merge keys', 'x-a: &a {p: 1, q: [1, 2]}\nx-b: &b\n  r: 2\ns:\n  <<: [*a, *b]\n  p: 3\n  t: *a\n'],
    ['tags', 'services:\n  web:\n    ports: !reset []\n    environment: !override\n      A: 1\n    image: !reset null\n'],
    ['quoting and escapes', 'a: "tab\\there \\u00e9 \\x41 \\\\"\nb: \'it\'\'s # not a comment\'\n"c d": e # comment\nf: a#b\n'],
    ['scalars typed like go-yaml', 'a: 0400\nb: 1_000\nc: yes\nd: ~\ne: .inf\nf: 0x1F\ng: 1e3\nh: -.5\ni: "1"\n'],
    ['compact sequences and sequences of mappings', 'a:\n- 1\n- b: 2\n  c: 3\n-\n  d: 4\n- - 5\ne: f\n'],
    ['several documents', '---\na: 1\n---\n# only a comment\n---\nb: 2\n'],
    ['a multi-line plain scalar (left to the yaml package)', 'a: one\n  two\nb: 3\n'],
    ['a duplicate key', 'a: 1\nb: 2\na: 3\n'],
    ['a key that is not a string', '1: a\n'],
    ['an unknown anchor', 'a: *nope\n'],
    ['bad indentation', 'a:\n    b: 1\n  c: 2\n'],
    ['an unclosed flow sequence', 'a: [1, 2\nb: 3\n'],
    ['a block scalar ending the file with no line break', 'a:\n  run: |\n    x\n    y'],
    ['a kept block scalar ending the file', 'a: |+\n  x\n'],
    ['a value that is a mapping on one line', 'a: b: c\n'],
  ])('%s', (_name, text) => expectSameReading(text));

  // A few seconds each on a quiet machine; the limit is for a busy one.
  it('reads random edits of the repository\'s compose files like the yaml package', { timeout: 120_000 }, () => {
    const compose = texts.filter((_text, index) => /docker-compose|compose\.ya?ml|conformance/.test(files[index] ?? ''));
    const edit = fc.record({
      text: fc.constantFrom(...compose),
      at: fc.nat(),
      remove: fc.nat({ max: 3 }),
      insert: fc.constantFrom('', ' ', '  ', '\n', ':', ': ', '-', '- ', '#', ' #', '"', "'", '&a ', '*a', '!reset ', '|', '>', '[', ']', '{', '}', ',', 'x: y', '\n  - z', '<<: *a\n'),
    });
    fc.assert(
      fc.property(edit, ({ text, at, remove, insert }) => {
        const position = at % (text.length + 1);
        expectSameReading(text.slice(0, position) + insert + text.slice(position + remove));
      }),
      { numRuns: 2000 },
    );
  });

  it('reads random Compose-shaped models written in block, flow and mixed YAML like the yaml package', { timeout: 120_000 }, () => {
    const style = fc.record({
      collectionStyle: fc.constantFrom<'any' | 'block' | 'flow'>('any', 'block', 'flow'),
      defaultStringType: fc.constantFrom<'PLAIN' | 'QUOTE_DOUBLE' | 'QUOTE_SINGLE' | 'BLOCK_LITERAL' | 'BLOCK_FOLDED'>('PLAIN', 'QUOTE_DOUBLE', 'QUOTE_SINGLE', 'BLOCK_LITERAL', 'BLOCK_FOLDED'),
      indent: fc.constantFrom(2, 4),
      indentSeq: fc.boolean(),
      lineWidth: fc.constantFrom(0, 40, 80),
    });
    fc.assert(
      fc.property(composeModel, style, (model, options) => {
        const text = stringify(model, options);
        expectSameReading(text);
      }),
      { numRuns: 1500 },
    );
  });
});
