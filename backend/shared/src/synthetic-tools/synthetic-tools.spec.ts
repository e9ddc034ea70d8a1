import { describe, expect, it } from 'vitest';
import { toolInputSchema } from '../domain/tool.js';
import { TOOL_CATEGORIES } from '../domain/vocabulary.js';
import { generateSyntheticTools, syntheticTools } from './index.js';

describe('synthetic tools', () => {
  it('are valid tools by the shared input schema', () => {
    for (const tool of generateSyntheticTools({ count: 3000 })) expect(toolInputSchema.parse(tool)).toEqual(tool);
  }, 60_000);

  it('are the same for the same seed, different for another, and a prefix of a larger run', () => {
    const first = generateSyntheticTools({ count: 200, seed: 7 });
    expect(generateSyntheticTools({ count: 200, seed: 7 })).toEqual(first);
    expect(generateSyntheticTools({ count: 2000, seed: 7 }).slice(0, 200)).toEqual(first);
    const other = generateSyntheticTools({ count: 200, seed: 8 });
    expect(other.map((tool) => tool.description)).not.toEqual(first.map((tool) => tool.description));
  });

  it('have unique slugs and names well past the name pairs (20,000 tools)', () => {
    const slugs = new Set<string>();
    const names = new Set<string>();
    let count = 0;
    for (const tool of syntheticTools({ count: 20_000, seed: 3 })) {
      slugs.add(tool.slug);
      names.add(tool.name);
      count++;
    }
    expect(count).toBe(20_000);
    expect(slugs.size).toBe(20_000);
    expect(names.size).toBe(20_000);
  }, 60_000);

  it('skew categories like a real directory and cover every one', () => {
    const counts = new Map<string, number>();
    for (const tool of generateSyntheticTools({ count: 10_000 }))
      for (const category of tool.categories) counts.set(category, (counts.get(category) ?? 0) + 1);
    expect([...counts.keys()].sort()).toEqual([...TOOL_CATEGORIES].sort());
    const sorted = [...counts.values()].sort((a, b) => b - a);
    expect(sorted[0]).toBeGreaterThan(4 * (sorted.at(-1) ?? 0));
  }, 60_000);

  it('refuses a count that is not a whole number of 0 or more', () => {
    expect(() => generateSyntheticTools({ count: -1 })).toThrow(/count must be a whole number/);
    expect(() => generateSyntheticTools({ count: 1.5 })).toThrow(/count must be a whole number/);
    expect(generateSyntheticTools({ count: 0 })).toEqual([]);
  });
});
