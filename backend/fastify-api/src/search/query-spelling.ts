import { closestTerm, hasPrefix, type Tool, type Vocabulary } from '@codiesvibe/shared/domain';
import { candidateVocabulary } from '../ranking/tool-text.index.js';
import { normalizeQuery, tokenize } from '../intent/rule-intent.parser.js';

/**
 * The query with its misspelt words corrected against the words the candidate tools hold
 * ("code reveiw bot" → "code review bot"), or undefined when every word is known or has nothing
 * close. Only words of letters are corrected ("c++", "gpt4" and "node.js" are left as written),
 * and a word no tool is close to stays: the ranker ignores it. The rest of the query is kept as
 * typed, so phrase rules ("alternative to", "like X but") still read it. `vocabulary` is
 * `candidateVocabulary(candidates)`, passed when the caller keeps it (the ranker does, per set).
 */
export function correctQuerySpelling(query: string, candidates: readonly Tool[], vocabulary?: Vocabulary): string | undefined {
  const normalized = normalizeQuery(query);
  const words = tokenize(normalized).filter((word) => /^[a-z]+$/.test(word));
  if (words.length === 0 || candidates.length === 0) return undefined;
  vocabulary ??= candidateVocabulary(candidates);
  let corrected = normalized;
  for (const word of new Set(words)) {
    if (hasPrefix(vocabulary.terms, word)) continue;
    const replacement = closestTerm(word, vocabulary);
    if (replacement !== undefined) corrected = corrected.replace(new RegExp(`(?<![a-z0-9])${word}(?![a-z0-9])`, 'g'), replacement);
  }
  return corrected === normalized ? undefined : corrected;
}
