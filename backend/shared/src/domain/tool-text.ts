/**
 * How tool text is cut into words, once for every service that matches words against tools: the
 * directory's full-text search (nestjs-api, whose embedded store's FTS5 `ascii` tokenizer splits
 * exactly the same way) and AI search's text ranking (fastify-api). A query is cut the same way as
 * the text it is matched against.
 */

/** Lowercase, accents removed: `Café Émoji` → `cafe emoji`. */
export function normalizeText(text: string): string {
  return text.normalize('NFKD').replace(/\p{M}+/gu, '').toLowerCase();
}

/**
 * The words of a text: runs of a-z and 0-9 after normalisation. Everything else separates, so
 * punctuation never matches, the tag `self-hosted` gives `self` and `hosted`, and `C++` gives `c`.
 */
export function toolTextWords(text: string): string[] {
  return normalizeText(text).split(/[^a-z0-9]+/).filter(Boolean);
}
