import { describe, expect, it } from 'vitest';
import { FIXTURE_TOOLS } from '../../test/support/fixture-tools.js';
import { comparisonToMarkdown, toolPageToMarkdown, toolToMarkdown } from './tool.markdown.js';

const [copilot, cont, aider] = FIXTURE_TOOLS as [
  (typeof FIXTURE_TOOLS)[0],
  (typeof FIXTURE_TOOLS)[0],
  (typeof FIXTURE_TOOLS)[0],
];

describe('comparisonToMarkdown', () => {
  it('puts one tool per column and one attribute per row', () => {
    const table = comparisonToMarkdown([copilot, aider]).split('\n');
    expect(table[0]).toBe('| | GitHub Copilot | Aider |');
    expect(table[1]).toBe('|---|---|---|');
    expect(table).toContain('| **Pricing** | freemium (from $10/mo) | open-source |');
    expect(table).toContain('| **Open source** | no | yes (Apache-2.0) |');
    expect(table).toContain('| **Repository** | - | https://github.com/Aider-AI/aider |');
  });

  it('escapes pipes and newlines so a cell cannot break the table', () => {
    const tricky = { ...aider, name: 'A|B', tagline: 'line one\nline two' };
    const table = comparisonToMarkdown([cont, tricky]);
    expect(table).toContain('| | Continue | A\\|B |');
    expect(table).toContain(
      '| **Tagline** | Open-source AI code assistant \\| any model | line one line two |',
    );
    for (const row of table.split('\n')) expect(row.split(/(?<!\\)\|/)).toHaveLength(5);
  });
});

describe('toolToMarkdown and toolPageToMarkdown', () => {
  it('renders every field a person needs', () => {
    const text = toolToMarkdown(cont);
    expect(text).toContain('# Continue');
    expect(text).toContain('- Open source: yes (Apache-2.0)');
    expect(text).toContain('- Repository: https://github.com/continuedev/continue');
  });

  it('tells the caller how to get the next page', () => {
    const text = toolPageToMarkdown({ items: [copilot], total: 3, nextCursor: 'abc' });
    expect(text).toContain('Found 3 tools; showing 1.');
    expect(text).toContain('cursor "abc"');
    expect(toolPageToMarkdown({ items: [], total: 0, nextCursor: null })).toMatch(/^No tools match/);
  });

  it('says when the results are those of the query as the directory spells it', () => {
    const text = toolPageToMarkdown({ items: [copilot], total: 1, nextCursor: null, correctedQuery: 'copilot' });
    expect(text.split('\n')[0]).toBe('No tool matched the query as written; these are the results for "copilot".');
    expect(toolPageToMarkdown({ items: [copilot], total: 1, nextCursor: null })).not.toContain('as written');
  });
});
