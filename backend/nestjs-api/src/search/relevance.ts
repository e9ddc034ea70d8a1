import { toolTextWords, type Tool } from '@codiesvibe/shared/domain';

export { normalizeText } from '@codiesvibe/shared/domain';

/**
 * Full-text matching and relevance scoring of tools. Both storage adapters only narrow the
 * candidates with their own index (`searchTermsOf` is stored with every record); the final
 * match and the score are computed here, so MongoDB and the embedded store rank identically.
 */

/** Words too common to say anything about a tool; ignored unless the query has nothing else. */
const STOP_WORDS = new Set([
  'a', 'an', 'and', 'are', 'as', 'at', 'be', 'by', 'for', 'from', 'in', 'into', 'is', 'it', 'of',
  'on', 'or', 'that', 'the', 'this', 'to', 'with', 'your', 'you', 'can', 'its',
]);

/** At most this many query words count: longer queries are cut, not refused. */
export const MAX_QUERY_TOKENS = 12;

/** Words of a text: the shared tool-text tokenizer, so punctuation never matches. */
export const tokenize = toolTextWords;

/** The words of a query that take part in matching (deduplicated, stop words dropped). */
export function queryTokens(query: string): string[] {
  const all = [...new Set(tokenize(query))];
  const meaningful = all.filter((token) => !STOP_WORDS.has(token));
  return (meaningful.length > 0 ? meaningful : all).slice(0, MAX_QUERY_TOKENS);
}

type SearchableFields = Pick<Tool, 'slug' | 'name' | 'tagline' | 'description' | 'tags'>;

/** Every word a query may match, stored with the record so a database index can narrow candidates. */
export function searchTermsOf(tool: SearchableFields): string[] {
  const text = [tool.slug, tool.name, tool.tagline, tool.description, ...tool.tags].join(' ');
  return [...new Set(tokenize(text))].sort();
}

/** True when every query word is a prefix of some term of the record (`typ` matches `typescript`). */
export function matchesQuery(terms: readonly string[], tokens: readonly string[]): boolean {
  return tokens.every((token) => terms.some((term) => term.startsWith(token)));
}

/** How much a word counts, by where it is found; an exact word beats a prefix. */
export const FIELD_WEIGHTS = {
  name: { exact: 10, prefix: 6 },
  tags: { exact: 5, prefix: 3 },
  tagline: { exact: 3, prefix: 2 },
  description: { exact: 1, prefix: 0.5 },
} as const;
export type WeightedField = keyof typeof FIELD_WEIGHTS;

/** Added when the query words appear in this order inside the name, or are the whole name. */
export const PHRASE_IN_NAME_BONUS = 8;
export const EXACT_NAME_BONUS = 15;

function fieldScore(words: readonly string[], token: string, weights: { exact: number; prefix: number }): number {
  if (words.includes(token)) return weights.exact;
  return words.some((word) => word.startsWith(token)) ? weights.prefix : 0;
}

/** The words of each weighted field of a tool; the name field includes the slug. */
export function weightedFieldsOf(tool: SearchableFields): Record<WeightedField, string[]> {
  return {
    name: tokenize(`${tool.name} ${tool.slug}`),
    tags: tool.tags.flatMap((tag) => tokenize(tag)),
    tagline: tokenize(tool.tagline),
    description: tokenize(tool.description),
  };
}

/** The words of the name alone, as the phrase bonuses compare them with the query. */
export function namePhraseOf(tool: Pick<Tool, 'name'>): string {
  return tokenize(tool.name).join(' ');
}

/**
 * The relevance of a tool for query words: per word, the weight of each field it appears in
 * (name > tags > tagline > description, exact > prefix), plus bonuses when the whole query is the
 * name or part of it. Rounded to 1/1000 so the value survives a JSON round trip in a cursor.
 * This is the definition every adapter implements (the embedded store in SQL); tests compare
 * their scores with it.
 */
export function relevanceScore(tool: SearchableFields, tokens: readonly string[]): number {
  if (tokens.length === 0) return 0;
  const words = weightedFieldsOf(tool);
  let score = 0;
  for (const token of tokens) {
    for (const field of Object.keys(FIELD_WEIGHTS) as WeightedField[]) {
      score += fieldScore(words[field], token, FIELD_WEIGHTS[field]);
    }
  }
  return roundedScore(score + nameBonusOf(` ${namePhraseOf(tool)} `, ` ${tokens.join(' ')} `));
}

/**
 * The phrase bonus of a name for a query; both are words joined by single spaces with a space at
 * each end (as the embedded store keeps `name_phrase`), so `includes` finds whole words only.
 */
export function nameBonusOf(spacedName: string, spacedPhrase: string): number {
  if (spacedName === spacedPhrase) return EXACT_NAME_BONUS;
  return spacedName.includes(spacedPhrase) ? PHRASE_IN_NAME_BONUS : 0;
}

/** A score rounded to 1/1000, so the value survives a JSON round trip in a cursor. */
export function roundedScore(score: number): number {
  return Math.round(score * 1000) / 1000;
}
