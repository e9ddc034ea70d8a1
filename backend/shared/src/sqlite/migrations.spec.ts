import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { applyMigrations, type Migration } from './migrations.js';
import { createChangeProbe, openSqliteDatabase } from './sqlite-database.js';
import { SqliteStoreError } from './sqlite-store.error.js';

const first: Migration = {
  version: 1,
  description: 'notes',
  up: (db) => db.exec('CREATE TABLE notes (text TEXT)'),
};
const second: Migration = {
  version: 2,
  description: 'note authors',
  up: (db) => db.exec('ALTER TABLE notes ADD COLUMN author TEXT'),
};

describe('openSqliteDatabase and applyMigrations', () => {
  let dir: string;
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'cv-sqlite-'));
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  it('opens in WAL mode and applies migrations forward, one version at a time, once', () => {
    const file = join(dir, 'nested', 'store.sqlite');
    const db = openSqliteDatabase({ file, migrations: [first] });
    expect(db.pragma('journal_mode', { simple: true })).toBe('wal');
    expect(db.pragma('user_version', { simple: true })).toBe(1);
    db.close();
    const upgraded = openSqliteDatabase({ file, migrations: [first, second] });
    expect(upgraded.pragma('user_version', { simple: true })).toBe(2);
    expect(applyMigrations(upgraded, [first, second], file)).toEqual([]);
    upgraded.prepare('INSERT INTO notes (text, author) VALUES (?, ?)').run('hello', 'me');
    upgraded.close();
  });

  it('rolls a failing migration back whole, leaving the previous version', () => {
    const file = join(dir, 'store.sqlite');
    openSqliteDatabase({ file, migrations: [first] }).close();
    const broken: Migration = {
      version: 2,
      description: 'half done',
      up: (db) => {
        db.exec('CREATE TABLE extra (id INTEGER)');
        throw new Error('boom');
      },
    };
    expect(() => openSqliteDatabase({ file, migrations: [first, broken] })).toThrow(
      `cannot open ${file}: boom`,
    );
    const db = openSqliteDatabase({ file, migrations: [first] });
    expect(db.pragma('user_version', { simple: true })).toBe(1);
    expect(db.prepare("SELECT count(*) FROM sqlite_schema WHERE name = 'extra'").pluck().get()).toBe(0);
    db.close();
  });

  it('refuses migrations that are not numbered 1, 2, 3, ...', () => {
    expect(() => openSqliteDatabase({ file: ':memory:', migrations: [second] })).toThrow(SqliteStoreError);
  });

  it('tells a connection about commits of other connections only', () => {
    const file = join(dir, 'store.sqlite');
    const [one, two] = [
      openSqliteDatabase({ file, migrations: [first] }),
      openSqliteDatabase({ file, migrations: [first] }),
    ];
    const oneSeesChanges = createChangeProbe(one);
    one.prepare('INSERT INTO notes (text) VALUES (?)').run('own write');
    expect(oneSeesChanges()).toBe(false);
    two.prepare('INSERT INTO notes (text) VALUES (?)').run('other write');
    expect(oneSeesChanges()).toBe(true);
    expect(oneSeesChanges()).toBe(false);
    one.close();
    two.close();
  });
});
