import { toolTextWords } from './tool-text.js';

/**
 * Spelling correction against the words tools hold, once for both searches: the directory's `q`
 * (nestjs-api: a query that matches nothing is read again as the directory spells it) and AI
 * search (fastify-api: query words its candidates do not hold are corrected before ranking).
 */

/** The directory's words, sorted, and how many tools hold each. */
export interface Vocabulary {
  /** Sorted, so the words a prefix matches are one contiguous range. */
  terms: readonly string[];
  /** `counts[k]`: how many tools hold `terms[k]`. */
  counts: ArrayLike<number>;
}

/**
 * Edits a word may need to be corrected: none below 4 letters (`css` is not a typo of `cms`), one
 * up to 7 letters, two from 8 on, as search engines commonly allow.
 */
export function allowedEdits(length: number): number {
  if (length < 4) return 0;
  return length < 8 ? 1 : 2;
}

/**
 * `words` with each word no term starts with replaced by the closest term, or left out when none
 * is close and `dropUnknown` is set (kept otherwise). Undefined when nothing changed or nothing
 * would remain.
 */
export function correctWords(words: readonly string[], vocabulary: Vocabulary, options: { dropUnknown: boolean }): string[] | undefined {
  let changed = false;
  const kept: string[] = [];
  for (const word of words) {
    if (hasPrefix(vocabulary.terms, word)) {
      if (!kept.includes(word)) kept.push(word);
      continue;
    }
    // Only words of letters are misspelt words: a number or a version ("1765012345", "gpt5") is
    // never replaced by a neighbour ("1765012344"), only left out when dropUnknown says so.
    const replacement = /^[a-z]+$/.test(word) ? closestTerm(word, vocabulary) : undefined;
    if (replacement === undefined && !options.dropUnknown) {
      if (!kept.includes(word)) kept.push(word);
      continue;
    }
    changed = true;
    if (replacement !== undefined && !kept.includes(replacement)) kept.push(replacement);
  }
  return changed && kept.length > 0 ? kept : undefined;
}

/** The vocabulary of some texts (each counted once per text), as `toolTextWords` cuts them. */
export function vocabularyOf(texts: Iterable<string>): Vocabulary {
  const counts = new Map<string, number>();
  for (const text of texts) for (const word of new Set(toolTextWords(text))) counts.set(word, (counts.get(word) ?? 0) + 1);
  const terms = [...counts.keys()].sort();
  return { terms, counts: terms.map((term) => counts.get(term)!) };
}

/** True when some term starts with `prefix` (binary search over the sorted terms). */
export function hasPrefix(sortedTerms: readonly string[], prefix: string): boolean {
  const first = lowerBound(sortedTerms, prefix);
  return first < sortedTerms.length && sortedTerms[first]!.startsWith(prefix);
}

/** The first index whose value is not below `value` (binary search over sorted strings). */
export function lowerBound(sorted: readonly string[], value: string): number {
  let low = 0;
  let high = sorted.length;
  while (low < high) {
    const middle = (low + high) >>> 1;
    if (sorted[middle]! < value) low = middle + 1;
    else high = middle;
  }
  return low;
}

/**
 * The term nearest to `token`: fewest edits (a swap of two neighbours counts as one), within
 * `allowedEdits`. A longer term whose start is that close also counts (`typscr` → `typescript`),
 * after a whole word at the same number of edits. Then the word more tools hold, then the
 * alphabet, so every replica and adapter gives the same answer.
 */
export function closestTerm(token: string, vocabulary: Vocabulary): string | undefined {
  const limit = allowedEdits(token.length);
  if (limit === 0) return undefined;
  let best = -1;
  let bestCost = Infinity;
  vocabulary.terms.forEach((term, index) => {
    if (term.length < token.length - limit || term.length < 3) return;
    const { whole, prefix } = alignment(token, term, limit);
    const cost = Math.min(whole * 2, prefix * 2 + 1);
    if (cost > limit * 2 + 1) return;
    // Terms come sorted, so on equal cost and count the earlier one stays.
    if (cost < bestCost || (cost === bestCost && vocabulary.counts[index]! > vocabulary.counts[best]!)) {
      best = index;
      bestCost = cost;
    }
  });
  return best < 0 ? undefined : vocabulary.terms[best];
}

const ROWS: [Int32Array, Int32Array, Int32Array] = [new Int32Array(64), new Int32Array(64), new Int32Array(64)];

/**
 * Optimal string alignment distance (insertions, deletions, substitutions and swaps of
 * neighbours) of `token` to the whole `term` and to its closest shorter start, each `limit + 1`
 * when more than `limit`. The last row of the table holds the distance to every start of `term`.
 */
export function alignment(token: string, term: string, limit: number): { whole: number; prefix: number } {
  const over = limit + 1;
  // Three rows reused from call to call: a search compares one word with every term of a vocabulary.
  if (ROWS[0].length <= term.length) for (const row of [0, 1, 2] as const) ROWS[row] = new Int32Array(2 * (term.length + 1));
  let [beforePrevious, previous, current] = ROWS;
  for (let j = 0; j <= term.length; j++) previous[j] = j;
  for (let i = 1; i <= token.length; i++) {
    current[0] = i;
    let rowMinimum = i;
    for (let j = 1; j <= term.length; j++) {
      let cost = Math.min(previous[j]! + 1, current[j - 1]! + 1, previous[j - 1]! + (token[i - 1] === term[j - 1] ? 0 : 1));
      if (i > 1 && j > 1 && token[i - 1] === term[j - 2] && token[i - 2] === term[j - 1]) cost = Math.min(cost, beforePrevious[j - 2]! + 1);
      current[j] = cost;
      if (cost < rowMinimum) rowMinimum = cost;
    }
    if (rowMinimum > limit) return { whole: over, prefix: over };
    [beforePrevious, previous, current] = [previous, current, beforePrevious];
  }
  let prefix = over;
  for (let j = Math.max(1, token.length - limit); j < term.length; j++) prefix = Math.min(prefix, previous[j]!);
  return { whole: Math.min(previous[term.length]!, over), prefix };
}
