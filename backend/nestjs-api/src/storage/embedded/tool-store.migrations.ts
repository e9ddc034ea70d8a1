import type { Migration } from '@codiesvibe/shared/sqlite';

/**
 * The schema of the embedded tools store, forward only: append a migration, never edit one that
 * has shipped (stores in the field have run it). Each runs in one transaction with its version.
 *
 * A tool is one `tools` row: the public document as served (JSON) plus the columns queries use.
 * The searchable words are stored pre-tokenised by `search/relevance.ts` (space-separated, with a
 * space at each end), so the FTS5 index sees exactly the words the API matches, and the
 * relevance formula runs in SQL as `instr()` lookups on them. Categories, tags and platforms are
 * rows of their own, indexed both ways, for filters and facet counts.
 */
export const TOOL_STORE_MIGRATIONS: readonly Migration[] = [
  {
    version: 1,
    description: 'tools with filter tables, an FTS5 word index, seed state',
    up(db) {
      db.exec(`
        CREATE TABLE tools (
          id INTEGER PRIMARY KEY,
          slug TEXT NOT NULL UNIQUE,
          name_key TEXT NOT NULL,
          created_at TEXT NOT NULL,
          pricing_model TEXT NOT NULL,
          open_source INTEGER NOT NULL,
          name_words TEXT NOT NULL,
          tag_words TEXT NOT NULL,
          tagline_words TEXT NOT NULL,
          description_words TEXT NOT NULL,
          name_phrase TEXT NOT NULL,
          document TEXT NOT NULL
        );
        CREATE INDEX tools_name_order ON tools (name_key, slug);
        CREATE INDEX tools_newest_order ON tools (created_at DESC, slug);
        CREATE INDEX tools_pricing ON tools (pricing_model);
        CREATE INDEX tools_open_source ON tools (open_source);

        CREATE TABLE tool_categories (
          category TEXT NOT NULL,
          tool_id INTEGER NOT NULL REFERENCES tools (id) ON DELETE CASCADE,
          PRIMARY KEY (category, tool_id)
        ) WITHOUT ROWID;
        CREATE INDEX tool_categories_by_tool ON tool_categories (tool_id, category);
        CREATE TABLE tool_tags (
          tag TEXT NOT NULL,
          tool_id INTEGER NOT NULL REFERENCES tools (id) ON DELETE CASCADE,
          PRIMARY KEY (tag, tool_id)
        ) WITHOUT ROWID;
        CREATE INDEX tool_tags_by_tool ON tool_tags (tool_id);
        CREATE TABLE tool_platforms (
          platform TEXT NOT NULL,
          tool_id INTEGER NOT NULL REFERENCES tools (id) ON DELETE CASCADE,
          PRIMARY KEY (platform, tool_id)
        ) WITHOUT ROWID;
        CREATE INDEX tool_platforms_by_tool ON tool_platforms (tool_id, platform);

        -- Which tools contain every query word as a word prefix. The words are already
        -- [a-z0-9]+, so the ascii tokenizer splits them exactly as the API does; only
        -- membership is needed (ranking reads the tools row), hence detail=none.
        CREATE VIRTUAL TABLE tools_fts USING fts5 (
          name_words, tag_words, tagline_words, description_words,
          content = 'tools', content_rowid = 'id',
          tokenize = 'ascii', detail = 'none', prefix = '1 2 3'
        );
        CREATE TRIGGER tools_fts_insert AFTER INSERT ON tools BEGIN
          INSERT INTO tools_fts (rowid, name_words, tag_words, tagline_words, description_words)
          VALUES (new.id, new.name_words, new.tag_words, new.tagline_words, new.description_words);
        END;
        CREATE TRIGGER tools_fts_delete AFTER DELETE ON tools BEGIN
          INSERT INTO tools_fts (tools_fts, rowid, name_words, tag_words, tagline_words, description_words)
          VALUES ('delete', old.id, old.name_words, old.tag_words, old.tagline_words, old.description_words);
        END;
        CREATE TRIGGER tools_fts_update AFTER UPDATE ON tools BEGIN
          INSERT INTO tools_fts (tools_fts, rowid, name_words, tag_words, tagline_words, description_words)
          VALUES ('delete', old.id, old.name_words, old.tag_words, old.tagline_words, old.description_words);
          INSERT INTO tools_fts (rowid, name_words, tag_words, tagline_words, description_words)
          VALUES (new.id, new.name_words, new.tag_words, new.tagline_words, new.description_words);
        END;

        -- Seeding: the version applied and every slug ever seeded (deleted seed tools stay deleted).
        CREATE TABLE seed_state (
          id INTEGER PRIMARY KEY CHECK (id = 1),
          version INTEGER NOT NULL
        );
        CREATE TABLE seeded_slugs (slug TEXT PRIMARY KEY) WITHOUT ROWID;

        -- Facts about the store itself, e.g. that the NeDB files were imported.
        CREATE TABLE store_meta (key TEXT PRIMARY KEY, value TEXT NOT NULL) WITHOUT ROWID;
      `);
    },
  },
  {
    version: 2,
    description: 'submissions: suggested tools waiting for moderation, apart from the tools',
    up(db) {
      db.exec(`
        CREATE TABLE submissions (
          id TEXT PRIMARY KEY,
          status TEXT NOT NULL CHECK (status IN ('pending', 'approved', 'rejected')),
          submitted_at TEXT NOT NULL,
          decided_at TEXT,
          rejection_reason TEXT,
          tool_slug TEXT,
          tool TEXT NOT NULL
        ) WITHOUT ROWID;
        CREATE INDEX submissions_by_status ON submissions (status, submitted_at DESC, id);
      `);
    },
  },
];
