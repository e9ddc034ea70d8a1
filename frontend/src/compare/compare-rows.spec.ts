import { describe, expect, it } from 'vitest';
import type { Tool } from '@codiesvibe/shared/domain';
import { compareRows, displayUrl } from './compare-rows.js';

const base: Tool = {
  slug: 'one',
  name: 'One',
  tagline: 'First',
  description: 'The first tool.',
  website: 'https://one.example/',
  categories: ['terminal', 'coding-agent'],
  tags: ['git'],
  pricing: { model: 'freemium', monthlyPriceFrom: 20 },
  platforms: ['cli', 'vscode'],
  openSource: false,
  createdAt: '2025-01-01T00:00:00.000Z',
  updatedAt: '2025-01-01T00:00:00.000Z',
};

const rowOf = (tools: Tool[], id: string) => compareRows(tools).find((row) => row.id === id)!;

describe('compareRows', () => {
  it('has one cell per tool in every row, in the tools’ order', () => {
    const two = { ...base, slug: 'two', name: 'Two' };
    for (const row of compareRows([base, two])) expect(row.cells).toHaveLength(2);
  });

  it('treats the same set in another order as equal, and any other value as a difference', () => {
    const reordered = { ...base, slug: 'two', platforms: ['vscode', 'cli'] } satisfies Tool;
    expect(rowOf([base, reordered], 'platforms').differs).toBe(false);
    const otherPrice = {
      ...base,
      slug: 'two',
      pricing: { model: 'freemium', monthlyPriceFrom: 10 },
    } satisfies Tool;
    expect(rowOf([base, otherPrice], 'pricing')).toMatchObject({
      differs: true,
      cells: [{ text: 'Freemium, from $20/month' }, { text: 'Freemium, from $10/month' }],
    });
  });

  it('says what is missing rather than leaving a blank', () => {
    const openSource = { ...base, slug: 'two', openSource: true, repository: 'https://github.com/x/two' };
    expect(rowOf([base, openSource], 'repository').cells).toEqual([
      { kind: 'text', key: 'None listed', text: 'None listed' },
      {
        kind: 'link',
        key: 'https://github.com/x/two',
        href: 'https://github.com/x/two',
        text: 'github.com/x/two',
      },
    ]);
    expect(rowOf([base, openSource], 'license').cells.map((cell) => cell.key)).toEqual([
      'Proprietary',
      'Not stated',
    ]);
    expect(rowOf([{ ...base, tags: [] }], 'tags').cells[0]).toMatchObject({ kind: 'text', text: 'None' });
  });

  it('shortens addresses for reading', () => {
    expect(displayUrl('https://www.example.com/')).toBe('www.example.com');
    expect(displayUrl('http://example.com/a/b')).toBe('example.com/a/b');
  });
});
