import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { killWritersMidStream, startSourceProcess, type SourceProcess } from '@codiesvibe/shared/testing';
import Database from 'better-sqlite3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadSeedTools } from '../src/seed/seed-data.js';
import { EmbeddedToolRepository, TOOL_STORE_FILE } from '../src/storage/embedded-tool.repository.js';
import { newToolRecord } from '../src/storage/tool-record.js';

/*
 * Real processes on one DATA_DIR, as replicas run natively. Each one opens and seeds the store as
 * main.ts does (test/fixtures/store-process.ts) without loading the HTTP framework, so thirty of
 * them fit in a test; replicas of the whole service are tested in replicas.process.test.ts.
 */
const packageDir = new URL('..', import.meta.url).pathname;
const SEED = loadSeedTools();

function storeProcess(dataDir: string, args: string[]): SourceProcess {
  return startSourceProcess('test/fixtures/store-process.ts', {
    cwd: packageDir,
    args,
    env: { NODE_ENV: 'test', DATA_DIR: dataDir },
  });
}

function countTools(dataDir: string): number {
  const db = new Database(join(dataDir, TOOL_STORE_FILE), { readonly: true });
  try {
    return db.prepare('SELECT count(*) FROM tools').pluck().get() as number;
  } finally {
    db.close();
  }
}

let root: string;
beforeAll(async () => {
  root = await mkdtemp(join(tmpdir(), 'nestjs-api-processes-'));
});
afterAll(async () => {
  await rm(root, { recursive: true, force: true });
});

describe('embedded store under several processes', () => {
  it('three processes start on one store together, ten rounds in a row, without one failed start', async () => {
    let dataDir = '';
    for (let round = 1; round <= 10; round++) {
      // Rounds 1, 4, 7, 10 start on a new folder (create, migrate, seed at once); round 4's
      // folder holds NeDB files of the previous release (import at once); the others reopen.
      const fresh = round % 3 === 1;
      if (fresh) dataDir = await mkdtemp(join(root, `round-${round}-`));
      if (round === 4) {
        const lines = SEED.slice(0, 5).map((tool, index) =>
          JSON.stringify({ ...newToolRecord(tool, new Date()), _id: `id${index}` }),
        );
        await writeFile(join(dataDir, 'tools.db'), `${lines.join('\n')}\n`);
        await writeFile(
          join(dataDir, 'meta.db'),
          `${JSON.stringify({ _id: 'tools-seed', version: 0, slugs: [] })}\n`,
        );
      }
      const replicas = [1, 2, 3].map(() => storeProcess(dataDir, ['open']));
      const codes = await Promise.all(replicas.map((replica) => replica.exited));
      const report = replicas.map((replica) => replica.stderr()).join('');
      expect(codes, `round ${round}: ${report}`).toEqual([0, 0, 0]);
      const inserted = replicas.map(
        (replica) => (JSON.parse(replica.stdout()) as { inserted: number }).inserted,
      );
      const expectedInserted = !fresh ? 0 : round === 4 ? SEED.length - 5 : SEED.length;
      expect(
        inserted.reduce((sum, count) => sum + count, 0),
        `round ${round}`,
      ).toBe(expectedInserted);
      expect(countTools(dataDir), `round ${round}`).toBe(SEED.length);
    }
  }, 300_000);

  it('loses no acknowledged write to SIGKILL during writes, and the store always opens again', async () => {
    const dataDir = await mkdtemp(join(root, 'kill-'));
    const acknowledged: string[] = [];
    for (let attempt = 1; attempt <= 3; attempt++) {
      acknowledged.push(
        ...(await killWritersMidStream((name) => storeProcess(dataDir, ['write', name]), attempt)),
      );
      const store = await EmbeddedToolRepository.open({ dataDir });
      try {
        const missing: string[] = [];
        for (const slug of acknowledged) if ((await store.get(slug)) === null) missing.push(slug);
        expect(missing, `attempt ${attempt}`).toEqual([]);
      } finally {
        await store.close();
      }
      const db = new Database(join(dataDir, TOOL_STORE_FILE));
      expect(db.pragma('integrity_check', { simple: true })).toBe('ok');
      db.close();
    }
    expect(acknowledged.length).toBeGreaterThan(20);
    expect(countTools(dataDir)).toBeGreaterThanOrEqual(SEED.length + acknowledged.length);
  }, 300_000);
});
