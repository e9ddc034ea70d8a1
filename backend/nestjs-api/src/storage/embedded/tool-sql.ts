import type { ToolFilters } from '@codiesvibe/shared/domain';
import {
  EXACT_NAME_BONUS,
  FIELD_WEIGHTS,
  PHRASE_IN_NAME_BONUS,
  type WeightedField,
} from '../../search/relevance.js';

/**
 * The SQL of the embedded store's queries, built from the filters with bound parameters only.
 * Query words are [a-z0-9]+ (see `queryTokens`), so they are safe inside FTS5 string literals.
 */

/** A piece of SQL and the values of its `?` placeholders, in order. */
export interface SqlFragment {
  sql: string;
  params: unknown[];
}

const COLUMN_OF_FIELD: Record<WeightedField, string> = {
  name: 't.name_words',
  tags: 't.tag_words',
  tagline: 't.tagline_words',
  description: 't.description_words',
};

const placeholders = (values: readonly unknown[]): string => values.map(() => '?').join(', ');

/** The FTS5 query for "every word is a prefix of some word of the tool": `"code"* "revi"*`. */
export function ftsQueryOf(tokens: readonly string[]): string {
  return tokens.map((token) => `"${token}"*`).join(' ');
}

/**
 * The WHERE clause (on `tools t`) for `filters`: OR within a field, AND across fields, and every
 * query word as a word prefix through the FTS5 index. `TRUE` when nothing filters.
 */
export function whereOf(filters: ToolFilters, tokens: readonly string[]): SqlFragment {
  const conditions: string[] = [];
  const params: unknown[] = [];
  if (tokens.length > 0) {
    conditions.push('t.id IN (SELECT rowid FROM tools_fts WHERE tools_fts MATCH ?)');
    params.push(ftsQueryOf(tokens));
  }
  const viaTable = (values: readonly string[] | undefined, table: string, column: string) => {
    if (!values?.length) return;
    conditions.push(`t.id IN (SELECT tool_id FROM ${table} WHERE ${column} IN (${placeholders(values)}))`);
    params.push(...values);
  };
  viaTable(filters.category, 'tool_categories', 'category');
  viaTable(filters.tag, 'tool_tags', 'tag');
  viaTable(filters.platform, 'tool_platforms', 'platform');
  if (filters.pricing?.length) {
    conditions.push(`t.pricing_model IN (${placeholders(filters.pricing)})`);
    params.push(...filters.pricing);
  }
  if (filters.openSource !== undefined) {
    conditions.push('t.open_source = ?');
    params.push(filters.openSource ? 1 : 0);
  }
  return { sql: conditions.length > 0 ? conditions.join(' AND ') : 'TRUE', params };
}

/**
 * `relevanceScore` (search/relevance.ts) as an SQL expression on `tools t`: per query word and
 * field, the exact weight when the field has the word, else the prefix weight when a word of the
 * field starts with it; plus the phrase bonuses on the name. Same values, to the last digit.
 */
export function relevanceExpressionOf(tokens: readonly string[]): SqlFragment {
  const terms: string[] = [];
  const params: unknown[] = [];
  for (const token of tokens) {
    for (const field of Object.keys(FIELD_WEIGHTS) as WeightedField[]) {
      const { exact, prefix } = FIELD_WEIGHTS[field];
      const column = COLUMN_OF_FIELD[field];
      terms.push(
        `CASE WHEN instr(${column}, ?) THEN ${exact} WHEN instr(${column}, ?) THEN ${prefix} ELSE 0 END`,
      );
      params.push(` ${token} `, ` ${token}`);
    }
  }
  const phrase = ` ${tokens.join(' ')} `;
  terms.push(
    `CASE WHEN t.name_phrase = ? THEN ${EXACT_NAME_BONUS} WHEN instr(t.name_phrase, ?) THEN ${PHRASE_IN_NAME_BONUS} ELSE 0 END`,
  );
  params.push(phrase, phrase);
  return { sql: terms.join(' + '), params };
}
