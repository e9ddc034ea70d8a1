import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { killWritersMidStream, startSourceProcess, type SourceProcess } from '@codiesvibe/shared/testing';
import Database from 'better-sqlite3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { EmbeddedSearchStore, SEARCH_STORE_FILE } from '../src/store/embedded.search-store.js';

/* Real processes on one DATA_DIR, as fastify-api replicas run natively without MongoDB. */
const packageDir = new URL('..', import.meta.url).pathname;

const storeProcess = (dataDir: string, args: string[]): SourceProcess =>
  startSourceProcess('test/fixtures/search-store-process.ts', {
    cwd: packageDir,
    args,
    env: { NODE_ENV: 'test', DATA_DIR: dataDir },
  });

let root: string;
beforeAll(async () => {
  root = await mkdtemp(join(tmpdir(), 'fastify-api-processes-'));
});
afterAll(async () => {
  await rm(root, { recursive: true, force: true });
});

describe('embedded search store under several processes', () => {
  it('three processes open one store together, ten rounds in a row, without one failed open', async () => {
    let dataDir = '';
    for (let round = 1; round <= 10; round++) {
      if (round % 3 === 1) dataDir = await mkdtemp(join(root, `round-${round}-`));
      if (round === 4) {
        // The folder of a release before SQLite: the three import it at once, exactly once.
        await writeFile(
          join(dataDir, 'embeddings.db'),
          `${JSON.stringify({ _id: 'm\u0000a', slug: 'a', model: 'm', contentHash: 'h', vector: [1] })}\n`,
        );
      }
      const replicas = [1, 2, 3].map(() => storeProcess(dataDir, ['open']));
      const codes = await Promise.all(replicas.map((replica) => replica.exited));
      expect(codes, `round ${round}: ${replicas.map((replica) => replica.stderr()).join('')}`).toEqual([
        0, 0, 0,
      ]);
      if (round === 4) {
        const store = await EmbeddedSearchStore.open(dataDir);
        expect(await store.findEmbeddings('m', ['a'])).toHaveLength(1);
        await store.close();
      }
    }
  }, 300_000);

  it('loses no acknowledged write to SIGKILL during writes, and the store always opens again', async () => {
    const dataDir = await mkdtemp(join(root, 'kill-'));
    const acknowledged: string[] = [];
    for (let attempt = 1; attempt <= 3; attempt++) {
      acknowledged.push(
        ...(await killWritersMidStream((name) => storeProcess(dataDir, ['write', name]), attempt)),
      );

      const store = await EmbeddedSearchStore.open(dataDir);
      try {
        const logged = new Set((await store.recentQueries(100_000)).map((entry) => entry.query));
        expect(
          acknowledged.filter((query) => !logged.has(query)),
          `attempt ${attempt}`,
        ).toEqual([]);
        expect(await store.findEmbeddings('m', acknowledged)).toHaveLength(acknowledged.length);
      } finally {
        await store.close();
      }
      const db = new Database(join(dataDir, SEARCH_STORE_FILE));
      expect(db.pragma('integrity_check', { simple: true })).toBe('ok');
      db.close();
    }
    expect(acknowledged.length).toBeGreaterThan(20);
  }, 300_000);
});
