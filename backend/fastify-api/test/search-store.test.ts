import { readdirSync } from 'node:fs';
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { EmbeddedSearchStore, SEARCH_STORE_FILE } from '../src/store/embedded.search-store.js';
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

let root: string;
let opened = 0;
beforeAll(async () => {
  root = await mkdtemp(join(tmpdir(), 'fastify-api-store-'));
});
afterAll(async () => {
  await rm(root, { recursive: true, force: true });
});

/*
 * One contract, run against every adapter: the embedded store in memory and on disk always,
 * MongoDB when CODIESVIBE_TEST_MONGODB_URI names a disposable server.
 */
const adapters: [string, () => Promise<SearchStore>][] = [
  ['embedded (SQLite, in memory)', () => EmbeddedSearchStore.open()],
  ['embedded (SQLite, on disk)', () => EmbeddedSearchStore.open(join(root, `contract-${opened++}`))],
];
const mongoUri = process.env.CODIESVIBE_TEST_MONGODB_URI;
if (mongoUri) {
  adapters.push([
    'mongodb',
    async () => {
      const store = await MongoSearchStore.connect(mongoUri);
      await store.ping();
      return store;
    },
  ]);
} else {
  console.warn(
    'SKIPPED: SearchStore contract on MongoDB (set CODIESVIBE_TEST_MONGODB_URI to a disposable MongoDB; none is installed on this machine)',
  );
}

for (const [name, open] of adapters) {
  describe(`SearchStore contract: ${name}`, () => {
    let store: SearchStore | undefined;
    afterEach(async () => {
      await store?.close();
      store = undefined;
    });

    it('stores embeddings per model and slug, replacing on save, with exact vectors', async () => {
      store = await open();
      await store.saveEmbeddings([
        { slug: 'tabby', model: 'm1', contentHash: 'h1', vector: [1, 0] },
        { slug: 'tabby', model: 'm2', contentHash: 'h1', vector: [0, 1] },
        { slug: 'aider', model: 'm1', contentHash: 'h2', vector: [0.1 + 0.2, -1e-300] },
      ]);
      await store.saveEmbeddings([{ slug: 'tabby', model: 'm1', contentHash: 'h3', vector: [0.1, 0.9] }]);
      const found = await store.findEmbeddings('m1', ['tabby', 'aider', 'missing']);
      expect(found.sort((a, b) => a.slug.localeCompare(b.slug))).toEqual([
        { slug: 'aider', model: 'm1', contentHash: 'h2', vector: [0.1 + 0.2, -1e-300] },
        { slug: 'tabby', model: 'm1', contentHash: 'h3', vector: [0.1, 0.9] },
      ]);
      expect(await store.findEmbeddings('m1', [])).toEqual([]);
    });

    it('keeps the query log newest first', async () => {
      store = await open();
      const now = Date.now();
      await store.logQuery(entry('older', new Date(now - 60_000).toISOString()));
      await store.logQuery(entry('newer', new Date(now).toISOString()));
      const recent = await store.recentQueries(5);
      expect(recent.map((item) => item.query).slice(0, 2)).toEqual(['newer', 'older']);
      expect(recent[0]).toEqual(entry('newer', new Date(now).toISOString()));
    });
  });
}

describe('embedded search store on disk', () => {
  it('keeps embeddings and the query log across a restart, and shares them with another replica at once', async () => {
    const dataDir = join(root, 'restart', 'nested');
    const first = await EmbeddedSearchStore.open(dataDir);
    const other = await EmbeddedSearchStore.open(dataDir);
    await first.saveEmbeddings([{ slug: 'tabby', model: 'm', contentHash: 'h', vector: [1, 2, 3] }]);
    await first.logQuery(entry('persisted', new Date().toISOString()));
    expect(await other.findEmbeddings('m', ['tabby'])).toHaveLength(1);
    await Promise.all([first.close(), other.close()]);

    const second = await EmbeddedSearchStore.open(dataDir);
    expect(await second.findEmbeddings('m', ['tabby'])).toEqual([
      { slug: 'tabby', model: 'm', contentHash: 'h', vector: [1, 2, 3] },
    ]);
    expect((await second.recentQueries(1))[0]?.query).toBe('persisted');
    await second.close();
    expect(readdirSync(dataDir)).toContain(SEARCH_STORE_FILE);
  });

  it('drops logged queries older than 30 days when it opens, as the MongoDB TTL index does', async () => {
    const dataDir = join(root, 'retention');
    const first = await EmbeddedSearchStore.open(dataDir);
    await first.logQuery(entry('ancient', '2020-01-01T00:00:00Z'));
    await first.logQuery(entry('recent', new Date().toISOString()));
    await first.close();
    const second = await EmbeddedSearchStore.open(dataDir);
    expect((await second.recentQueries(10)).map((item) => item.query)).toEqual(['recent']);
    await second.close();
  });

  it('moves the NeDB files of the previous release in once and keeps them renamed', async () => {
    const dataDir = join(root, 'nedb');
    await mkdir(dataDir, { recursive: true });
    const line = (document: object) => `${JSON.stringify(document)}\n`;
    await writeFile(
      join(dataDir, 'embeddings.db'),
      line({ _id: 'm\u0000tabby', slug: 'tabby', model: 'm', contentHash: 'h1', vector: [1, 2] }) +
        line({ _id: 'm\u0000tabby', slug: 'tabby', model: 'm', contentHash: 'h2', vector: [3, 4] }) +
        line({ _id: 'm\u0000aider', slug: 'aider', model: 'm', contentHash: 'h', vector: [5] }) +
        line({ $$deleted: true, _id: 'm\u0000aider' }),
    );
    const at = new Date();
    await writeFile(
      join(dataDir, 'query-log.db'),
      line({ ...entry('from nedb', at.toISOString()), at: { $$date: at.getTime() }, _id: 'q1' }) +
        '{"_id":"q2","que',
    );
    const store = await EmbeddedSearchStore.open(dataDir);
    try {
      expect(await store.findEmbeddings('m', ['tabby', 'aider'])).toEqual([
        { slug: 'tabby', model: 'm', contentHash: 'h2', vector: [3, 4] },
      ]);
      expect(await store.recentQueries(5)).toEqual([entry('from nedb', at.toISOString())]);
    } finally {
      await store.close();
    }
    const files = readdirSync(dataDir);
    expect(files.filter((file) => /^(embeddings|query-log)\.db\.imported-/.test(file))).toHaveLength(2);
    expect(files).not.toContain('embeddings.db');
    const reopened = await EmbeddedSearchStore.open(dataDir);
    expect(await reopened.recentQueries(5)).toHaveLength(1);
    await reopened.close();
    const db = new Database(join(dataDir, SEARCH_STORE_FILE), { readonly: true });
    expect(db.pragma('journal_mode', { simple: true })).toBe('wal');
    db.close();
  });
});
