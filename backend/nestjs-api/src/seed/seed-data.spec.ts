import { TOOL_CATEGORIES, toolInputSchema } from '@codiesvibe/shared/domain';
import { describe, expect, it } from 'vitest';
import seed from './tools.seed.json' with { type: 'json' };
import { loadSeedTools } from './seed-data.js';

describe('tools.seed.json', () => {
  it('holds at least 60 tools that all pass toolInputSchema', () => {
    expect(seed.length).toBeGreaterThanOrEqual(60);
    for (const tool of seed) {
      const result = toolInputSchema.safeParse(tool);
      expect(result.error?.issues ?? [], tool.slug).toEqual([]);
    }
  });

  it('has unique slugs and names', () => {
    expect(new Set(seed.map((tool) => tool.slug)).size).toBe(seed.length);
    expect(new Set(seed.map((tool) => tool.name.toLowerCase())).size).toBe(seed.length);
  });

  it('covers every category of the vocabulary', () => {
    const covered = new Set(seed.flatMap((tool) => tool.categories));
    expect([...TOOL_CATEGORIES].filter((category) => !covered.has(category))).toEqual([]);
  });

  it('gives open-source tools a license and a repository', () => {
    const incomplete = seed.filter((tool) => tool.openSource && (!tool.license || !tool.repository));
    expect(incomplete.map((tool) => tool.slug)).toEqual([]);
  });

  it('is what loadSeedTools returns', () => {
    expect(loadSeedTools().map((tool) => tool.slug)).toEqual(seed.map((tool) => tool.slug));
  });
});
