import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { generateSyntheticTools } from '@codiesvibe/shared/synthetic-tools';
import { afterEach, describe, expect, it } from 'vitest';
import { loadSeedTools } from '../src/seed/seed-data.js';
import { seedSyntheticStore } from '../src/seed/synthetic-store.js';
import { EmbeddedToolRepository } from '../src/storage/embedded-tool.repository.js';

const folders: string[] = [];
afterEach(async () => {
  for (const folder of folders.splice(0)) await rm(folder, { recursive: true, force: true });
});

describe('seedSyntheticStore (embedded store at scale)', () => {
  it('adds N synthetic tools beside the bundled seed once, searchable and newest-first by creation', async () => {
    const dataDir = await mkdtemp(join(tmpdir(), 'synthetic-store-'));
    folders.push(dataDir);
    const seedCount = loadSeedTools().length;

    expect(await seedSyntheticStore({ dataDir, count: 2000 })).toEqual({ inserted: 2000, total: seedCount + 2000 });
    expect(await seedSyntheticStore({ dataDir, count: 2000 })).toEqual({ inserted: 0, total: seedCount + 2000 });

    const tools = await EmbeddedToolRepository.open({ dataDir });
    try {
      // A start on this folder finds the seed applied and inserts nothing.
      expect((await tools.seed(loadSeedTools(), 1)).applied).toBe(false);
      const [first, second] = generateSyntheticTools({ count: 2 });
      const stored = await tools.get(first!.slug);
      expect(stored).toMatchObject(first!);
      const older = await tools.get(second!.slug);
      expect(Date.parse(stored!.createdAt) - Date.parse(older!.createdAt)).toBe(60_000);
      const review = await tools.list({ q: 'code review', category: ['code-review'] }, 'relevance', undefined, 20);
      expect(review.total).toBeGreaterThan(50);
      expect(review.items.every((tool) => tool.categories.includes('code-review'))).toBe(true);
    } finally {
      await tools.close();
    }
  }, 60_000);
});
