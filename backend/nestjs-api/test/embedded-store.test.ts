import { existsSync } from 'node:fs';
import { mkdtemp, readdir, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { SqliteStoreError } from '@codiesvibe/shared/sqlite';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { loadSeedTools, SEED_VERSION } from '../src/seed/seed-data.js';
import { EmbeddedToolRepository, TOOL_STORE_FILE } from '../src/storage/embedded-tool.repository.js';
import { newToolRecord } from '../src/storage/tool-record.js';
import { sampleTool } from './tool-repository.contract.js';

/*
 * What only the embedded store has: one file shared by several connections (replicas), its
 * schema version, and the move of NeDB data files from the release before it.
 */
const SEED = loadSeedTools();
let dataDir: string;
beforeEach(async () => {
  dataDir = await mkdtemp(join(tmpdir(), 'nestjs-api-embedded-'));
});
afterEach(async () => {
  await rm(dataDir, { recursive: true, force: true });
});

describe('embedded store shared by replicas', () => {
  it('shows a write through one connection to the other at once, and says that the data changed elsewhere', async () => {
    const [first, second] = [
      await EmbeddedToolRepository.open({ dataDir }),
      await EmbeddedToolRepository.open({ dataDir }),
    ];
    try {
      await Promise.all([first.seed(SEED, SEED_VERSION), second.seed(SEED, SEED_VERSION)]);
      expect((await second.list({}, 'name', undefined, 1)).total).toBe(SEED.length);
      first.changedElsewhere();
      second.changedElsewhere();
      // Both hold a search index built before the writes below: each must see the other's writes.
      expect(await first.warmUp()).toBe(SEED.length);
      expect((await second.list({ q: 'zyxwvut' }, 'relevance', undefined, 5)).total).toBe(0);

      await first.create(sampleTool('written-by-first', { name: 'Zyxwvut Unique' }));
      expect(first.changedElsewhere()).toBe(false);
      expect(second.changedElsewhere()).toBe(true);
      expect(second.changedElsewhere()).toBe(false);
      expect((await second.get('written-by-first'))?.name).toBe('Zyxwvut Unique');
      expect(
        (await second.list({ q: 'zyxwvut' }, 'relevance', undefined, 5)).items.map((tool) => tool.slug),
      ).toEqual(['written-by-first']);

      await second.update('written-by-first', { openSource: true });
      expect(first.changedElsewhere()).toBe(true);
      expect((await first.list({ openSource: true, q: 'zyxwvut' }, 'name', undefined, 5)).total).toBe(1);
      expect((await first.list({ openSource: true, q: 'zyxwvut' }, 'relevance', undefined, 5)).total).toBe(1);
      expect((await first.facets({ openSource: true, q: 'zyxwvut' })).total).toBe(1);
      await second.delete('written-by-first');
      expect(await first.get('written-by-first')).toBeNull();
      expect((await first.list({ q: 'zyxwvut' }, 'relevance', undefined, 5)).total).toBe(0);
      expect((await first.facets({ q: 'zyxwvut' })).total).toBe(0);
    } finally {
      await Promise.all([first.close(), second.close()]);
    }
  });

  it('seeds once when replicas seed together', async () => {
    const replicas = await Promise.all([1, 2, 3].map(() => EmbeddedToolRepository.open({ dataDir })));
    try {
      const results = await Promise.all(replicas.map((replica) => replica.seed(SEED, SEED_VERSION)));
      expect(results.filter((result) => result.applied)).toHaveLength(1);
      expect(results.reduce((sum, result) => sum + result.inserted, 0)).toBe(SEED.length);
    } finally {
      await Promise.all(replicas.map((replica) => replica.close()));
    }
  });

  it('is a WAL database with a schema version, and refuses a file written by a newer release', async () => {
    await (await EmbeddedToolRepository.open({ dataDir })).close();
    const file = join(dataDir, TOOL_STORE_FILE);
    const raw = new Database(file);
    expect(raw.pragma('journal_mode', { simple: true })).toBe('wal');
    expect(raw.pragma('user_version', { simple: true })).toBe(2);
    raw.pragma('user_version = 99');
    raw.close();
    const refusal = await EmbeddedToolRepository.open({ dataDir }).catch((error: unknown) => error);
    expect(refusal).toBeInstanceOf(SqliteStoreError);
    expect((refusal as SqliteStoreError).code).toBe('CV_ERR_STORE_UNUSABLE');
    expect((refusal as Error).message).toBe(
      `${file} has schema version 99, newer than this release knows (2); run the release that wrote it, or move the file away to start empty`,
    );
  });

  it('names the file when it is not a database', async () => {
    await writeFile(
      join(dataDir, TOOL_STORE_FILE),
      'this is not a database, just text that is long enough to have a header',
    );
    await expect(EmbeddedToolRepository.open({ dataDir })).rejects.toThrow(
      `cannot open ${join(dataDir, TOOL_STORE_FILE)}: file is not a database; restore it from a backup, or move it away to start an empty store`,
    );
  });
});

/** A NeDB data file as that store wrote it: one JSON document per line, appended on every write. */
const nedbLine = (document: object): string => `${JSON.stringify(document)}\n`;

describe('moving NeDB data forward', () => {
  const [kept, edited, deleted] = SEED as [(typeof SEED)[0], (typeof SEED)[0], (typeof SEED)[0]];
  const record = (input: (typeof SEED)[0], id: string) => ({
    ...newToolRecord(input, new Date('2026-01-01T00:00:00Z')),
    _id: id,
  });

  async function writeNedbFiles(toolsFile = 'tools.db'): Promise<void> {
    const userTool = sampleTool('made-by-a-user', { name: 'Made By A User' });
    await writeFile(
      join(dataDir, toolsFile),
      [
        nedbLine({ $$indexCreated: { fieldName: 'slug', unique: true } }),
        nedbLine(record(kept, 'a1')),
        nedbLine(record(edited, 'a2')),
        nedbLine(record(deleted, 'a3')),
        nedbLine(record(userTool, 'a4')),
        // later lines win: an edit, then a delete
        nedbLine({ ...record(edited, 'a2'), tagline: 'Edited in the NeDB days' }),
        nedbLine({ $$deleted: true, _id: 'a3' }),
        nedbLine({ _id: 'a5', slug: 'Not A Valid Tool' }),
        '{"_id":"a6","slug":"torn-by-a-cra', // an unfinished last line
      ].join(''),
    );
    await writeFile(
      join(dataDir, 'meta.db'),
      nedbLine({ _id: 'tools-seed', version: SEED_VERSION, slugs: SEED.map((tool) => tool.slug) }),
    );
  }

  it('imports live tools (edits and user-created ones included), the seed state, and keeps the old files renamed', async () => {
    await writeNedbFiles();
    const logged: unknown[] = [];
    const logger = {
      info: (...args: unknown[]) => logged.push(args),
      warn: (...args: unknown[]) => logged.push(args),
    };
    const store = await EmbeddedToolRepository.open({ dataDir, logger });
    try {
      expect((await store.list({}, 'name', undefined, 100)).items.map((tool) => tool.slug).sort()).toEqual(
        [kept.slug, edited.slug, 'made-by-a-user'].sort(),
      );
      expect((await store.get(edited.slug))?.tagline).toBe('Edited in the NeDB days');
      expect(await store.get(deleted.slug)).toBeNull();
      expect((await store.get('made-by-a-user'))?.createdAt).toBe('2026-01-01T00:00:00.000Z');
      // The seed state came along: the deleted seed tool stays deleted, nothing is re-inserted.
      expect(await store.seed(SEED, SEED_VERSION)).toEqual({
        inserted: 0,
        version: SEED_VERSION,
        applied: false,
      });
      expect(JSON.stringify(logged)).toContain('moved 3 tools from the NeDB store');
      expect(JSON.stringify(logged)).toContain('Not A Valid Tool');
    } finally {
      await store.close();
    }
    const files = await readdir(dataDir);
    expect(files).not.toContain('tools.db');
    expect(files).not.toContain('meta.db');
    expect(files.filter((file) => /^(tools|meta)\.db\.imported-/.test(file))).toHaveLength(2);

    const reopened = await EmbeddedToolRepository.open({ dataDir });
    expect((await reopened.list({}, 'name', undefined, 1)).total).toBe(3);
    await reopened.close();
  });

  it('reads the leftover of an interrupted NeDB compaction (tools.db~) as NeDB would', async () => {
    await writeNedbFiles('tools.db~');
    const store = await EmbeddedToolRepository.open({ dataDir });
    expect((await store.list({}, 'name', undefined, 1)).total).toBe(3);
    await store.close();
    expect(existsSync(join(dataDir, 'tools.db~'))).toBe(false);
  });

  it('imports once when several replicas open the folder together, and later seed versions add only new tools', async () => {
    await writeNedbFiles();
    const replicas = await Promise.all([1, 2, 3].map(() => EmbeddedToolRepository.open({ dataDir })));
    try {
      expect((await replicas[2]?.list({}, 'name', undefined, 1))?.total).toBe(3);
      const next = await replicas[0]?.seed([...SEED, sampleTool('new-in-seed-2')], SEED_VERSION + 1);
      expect(next).toEqual({ inserted: 1, version: SEED_VERSION + 1, applied: true });
    } finally {
      await Promise.all(replicas.map((replica) => replica.close()));
    }
  });
});
