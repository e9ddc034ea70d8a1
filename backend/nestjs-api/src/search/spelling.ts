import { correctWords, type Vocabulary } from '@codiesvibe/shared/domain';
import { queryTokens } from './relevance.js';

/**
 * "Did you mean": a query that matches no tool because of a typo or a word no tool uses is read
 * again with each word no tool has (not even as a prefix) replaced by the closest word the
 * directory holds, or left out when none is close. The directory search matches every word as a
 * prefix (AND), so one unknown word empties the result; users expect the typo forgiven instead.
 */

export type { Vocabulary };

/**
 * The query to search instead of `query`, or undefined when there is nothing to correct (every
 * word is known) or nothing would remain. Words keep their order, normalized as the search
 * normalizes them.
 */
export function correctedQuery(query: string, vocabulary: Vocabulary): string | undefined {
  return correctWords(queryTokens(query), vocabulary, { dropUnknown: true })?.join(' ');
}
