import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { EmbeddedSearchStore } from '../src/store/embedded.search-store.js';
import { MongoSearchStore } from '../src/store/mongo.search-store.js';
import type { QueryLogEntry, SearchStore } from '../src/store/search.store.js';

const entry = (query: string, at: string): QueryLogEntry => ({
  query,
  intent: { categories: ['testing'], platforms: [], pricing: [], text: query },
  mode: 'fallback',
  tookMs: 1.5,
  resultCount: 2,
  topSlugs: ['keploy', 'qodo'],
  instanceId: 'test',
  at: new Date(at),
});

/** What every SearchStore adapter must do; run against each one below. */
function storeContract(name: string, open: () => Promise<SearchStore | undefined>) {
  describe(`${name} search store`, () => {
    let store: SearchStore | undefined;
    afterEach(async () => {
      await store?.close();
      store = undefined;
    });

    it('stores embeddings per model and slug, replacing on save', async () => {
      store = await open();
      if (!store) return;
      await store.saveEmbeddings([
        { slug: 'tabby', model: 'm1', contentHash: 'h1', vector: [1, 0] },
        { slug: 'tabby', model: 'm2', contentHash: 'h1', vector: [0, 1] },
        { slug: 'aider', model: 'm1', contentHash: 'h2', vector: [0.5, 0.5] },
      ]);
      await store.saveEmbeddings([{ slug: 'tabby', model: 'm1', contentHash: 'h3', vector: [0.1, 0.9] }]);
      const found = await store.findEmbeddings('m1', ['tabby', 'aider', 'missing']);
      expect(found.sort((a, b) => a.slug.localeCompare(b.slug))).toEqual([
        { slug: 'aider', model: 'm1', contentHash: 'h2', vector: [0.5, 0.5] },
        { slug: 'tabby', model: 'm1', contentHash: 'h3', vector: [0.1, 0.9] },
      ]);
    });

    it('keeps the query log newest first', async () => {
      store = await open();
      if (!store) return;
      await store.logQuery(entry('older', '2026-01-01T00:00:00Z'));
      await store.logQuery(entry('newer', '2026-01-02T00:00:00Z'));
      const recent = await store.recentQueries(5);
      expect(recent.map((item) => item.query).slice(0, 2)).toEqual(['newer', 'older']);
      expect(recent[0]).toEqual(entry('newer', '2026-01-02T00:00:00Z'));
    });
  });
}

storeContract('embedded (in memory)', () => EmbeddedSearchStore.open());

// MongoDB cannot be installed here: the contract runs against one when a test URI is given.
const mongoUri = process.env.CODIESVIBE_TEST_MONGODB_URI;
if (!mongoUri)
  console.warn(
    'SKIPPED: MongoSearchStore contract (set CODIESVIBE_TEST_MONGODB_URI to a disposable database)',
  );
describe.skipIf(!mongoUri)('MongoDB', () => {
  storeContract('mongodb', async () => {
    const store = await MongoSearchStore.connect(mongoUri!);
    await store.ping();
    return store;
  });
});

describe('embedded search store on disk', () => {
  it('keeps embeddings and the query log across a restart', async () => {
    const dataDir = await mkdtemp(join(tmpdir(), 'fastify-api-store-'));
    try {
      const first = await EmbeddedSearchStore.open(join(dataDir, 'nested'));
      await first.saveEmbeddings([{ slug: 'tabby', model: 'm', contentHash: 'h', vector: [1, 2, 3] }]);
      await first.logQuery(entry('persisted', '2026-01-01T00:00:00Z'));
      await first.close();

      const second = await EmbeddedSearchStore.open(join(dataDir, 'nested'));
      expect(await second.findEmbeddings('m', ['tabby'])).toEqual([
        { slug: 'tabby', model: 'm', contentHash: 'h', vector: [1, 2, 3] },
      ]);
      expect((await second.recentQueries(1))[0]?.query).toBe('persisted');
      await second.close();
    } finally {
      await rm(dataDir, { recursive: true, force: true });
    }
  });
});
