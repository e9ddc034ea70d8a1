import { existsSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { readNedbDatafile, retireNedbDatafile } from './nedb-datafile.js';

describe('readNedbDatafile', () => {
  let dir: string;
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'cv-nedb-'));
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  it('replays the file as NeDB does: last line per _id wins, tombstones delete, dates revive', () => {
    const file = join(dir, 'things.db');
    writeFileSync(
      file,
      [
        '{"$$indexCreated":{"fieldName":"at","unique":false}}',
        '{"_id":"a","n":1,"at":{"$$date":1767225600000}}',
        '{"_id":"b","n":2}',
        '{"_id":"a","n":3,"at":{"$$date":1767225600000}}',
        '{"$$deleted":true,"_id":"b"}',
        '{"_id":"c","n":4}',
        '{"_id":"d","n":',
        '',
      ].join('\n'),
    );
    expect(readNedbDatafile(file)).toEqual({
      path: file,
      documents: [
        { _id: 'a', n: 3, at: new Date(1767225600000) },
        { _id: 'c', n: 4 },
      ],
      unreadableLines: 1,
    });
  });

  it('reads <file>~ when only the leftover of a compaction exists, and nothing when neither does', () => {
    const file = join(dir, 'things.db');
    expect(readNedbDatafile(file)).toBeUndefined();
    writeFileSync(`${file}~`, '{"_id":"a","n":1}\n');
    expect(readNedbDatafile(file)?.path).toBe(`${file}~`);
  });

  it('keeps a retired file under a dated name and tolerates a file already gone', () => {
    const file = join(dir, 'things.db');
    writeFileSync(file, '{"_id":"a"}\n');
    const kept = retireNedbDatafile(file, new Date('2026-02-03T04:05:06.789Z'));
    expect(kept).toBe(`${file}.imported-2026-02-03T04-05-06-789Z`);
    expect(existsSync(file)).toBe(false);
    expect(readdirSync(dir)).toEqual(['things.db.imported-2026-02-03T04-05-06-789Z']);
    expect(retireNedbDatafile(file)).toBeUndefined();
  });
});
