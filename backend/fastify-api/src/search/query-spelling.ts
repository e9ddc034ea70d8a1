import {
  alignment,
  allowedEdits,
  closestTerm,
  hasPrefix,
  lowerBound,
  vocabularyOf,
  type Tool,
  type Vocabulary,
} from '@codiesvibe/shared/domain';
import { candidateVocabulary } from '../ranking/tool-text.index.js';
import { INTENT_RULES, STOP_WORDS } from '../intent/intent-vocabulary.js';
import { normalizeQuery, tokenize } from '../intent/rule-intent.parser.js';
import { stem } from '../ranking/text-analysis.js';
import { typingSlips } from './typing-slips.js';

/**
 * The query with its misspelt words corrected against the words the candidate tools hold
 * ("code reveiw bot" → "code review bot"), or undefined when every word is known or has nothing
 * close. Only words of letters are corrected ("c++", "gpt4" and "node.js" are left as written),
 * and a word no tool is close to stays: the ranker ignores it. The rest of the query is kept as
 * typed, so phrase rules ("alternative to", "like X but") still read it. `vocabulary` is
 * `candidateVocabulary(candidates)`, passed when the caller keeps it (the ranker does, per set).
 */
export function correctQuerySpelling(
  query: string,
  candidates: readonly Tool[],
  vocabulary?: Vocabulary,
): string | undefined {
  const normalized = normalizeQuery(query);
  if (candidates.length === 0 || !/[a-z]/.test(normalized)) return undefined;
  const words = tokenize(normalized).filter((word) => /^[a-z]+$/.test(word));
  vocabulary ??= candidateVocabulary(candidates);
  let corrected = joinSplitWords(normalized, candidates, vocabulary);
  const { joinedNames } = namesOf(candidates, vocabulary);
  const read = wordsReadByPhrases(normalized);
  for (const word of new Set(words)) {
    if (hasPrefix(vocabulary.terms, word) || isIntentWord(word) || read.has(word)) continue;
    const name = joinedNames.get(word);
    if (name !== undefined) {
      corrected = corrected.replace(new RegExp(`(?<![a-z0-9])${word}(?![a-z0-9])`, 'g'), name);
      continue;
    }
    const replacement = closestTerm(word, vocabulary);
    if (replacement !== undefined && isLikelyTypo(word, replacement))
      corrected = corrected.replace(new RegExp(`(?<![a-z0-9])${word}(?![a-z0-9])`, 'g'), replacement);
  }
  return corrected === normalized ? undefined : corrected;
}

/**
 * Two words the tools write as one ("co-pilot", "web containers"), or as a tool's name mistyped
 * ("code rabit"), joined when one of them is no word of the tools: apart they match nothing, or
 * something else. Two words the tools use are left apart: "ai chat" is no request for AIChat, nor
 * "local ai" for LocalAI.
 */
function joinSplitWords(query: string, candidates: readonly Tool[], vocabulary: Vocabulary): string {
  // Words of two letters or more, with whether the tools use each: most queries have no unknown one.
  const words = [...query.matchAll(/[a-z0-9]+/g)].map((match) => {
    const text = match[0];
    const letters = text.length >= 2 && /^[a-z]+$/.test(text);
    return { text, start: match.index, end: match.index + text.length, letters, known: !letters || isTerm(vocabulary, text) };
  });
  if (words.every((word) => word.known)) return query;
  // Only a name is looked for mistyped, among the names' words with the same first letter (the
  // first word of a split name is typed right, or two wrongs would not be worth guessing at).
  let names: ReadonlyMap<string, Vocabulary> | undefined;
  // A long query may repeat a pair: each is looked up once.
  const readAs = new Map<string, string | undefined>();
  const lookUp = (together: string): string | undefined => {
    // Whole, or the start of a longer word ("screen shot" of "screenshots"), as a typed word may be.
    if (isTerm(vocabulary, together) || (together.length >= 6 && hasPrefix(vocabulary.terms, together))) return together;
    if (together.length < 8) return undefined;
    names ??= namesOf(candidates, vocabulary).wordsByInitial;
    const sameInitial = names.get(together[0]!);
    const closest = sameInitial && closestTerm(together, sameInitial);
    return closest !== undefined && isLikelyTypo(together, closest) ? closest : undefined;
  };
  let joined = '';
  let copied = 0;
  for (let i = 0; i + 1 < words.length; i++) {
    const [first, second] = [words[i]!, words[i + 1]!];
    if (!first.letters || !second.letters || (first.known && second.known)) continue;
    if (second.start - first.end !== 1 || (query[first.end] !== ' ' && query[first.end] !== '-')) continue;
    const together = first.text + second.text;
    if (!readAs.has(together)) readAs.set(together, lookUp(together));
    const term = readAs.get(together);
    if (term === undefined) continue;
    joined += query.slice(copied, first.start) + term;
    copied = second.end;
    i += 1;
  }
  return joined + query.slice(copied);
}

/** What the candidates' names give the correction: their words, and the names written as one word. */
interface CandidateNames {
  /** The words of the names and slugs by first letter: a mistyped name is looked for among them. */
  wordsByInitial: ReadonlyMap<string, Vocabulary>;
  /** See `namesWrittenAsOneWord`. */
  joinedNames: Map<string, string>;
}

/**
 * The candidates' names, gathered once a candidate set: kept with the set's vocabulary, which the
 * ranker keeps per set (a caller that passes none builds both afresh).
 */
function namesOf(candidates: readonly Tool[], vocabulary: Vocabulary): CandidateNames {
  let names = NAMES_BY_VOCABULARY.get(vocabulary);
  if (!names) {
    names = {
      wordsByInitial: byInitial(vocabularyOf(candidates.map((tool) => `${tool.name} ${tool.slug}`))),
      joinedNames: namesWrittenAsOneWord(candidates),
    };
    NAMES_BY_VOCABULARY.set(vocabulary, names);
  }
  return names;
}

const NAMES_BY_VOCABULARY = new WeakMap<Vocabulary, CandidateNames>();

/** A vocabulary cut by first letter, each part still sorted. */
function byInitial(vocabulary: Vocabulary): Map<string, Vocabulary> {
  const parts = new Map<string, { terms: string[]; counts: number[] }>();
  vocabulary.terms.forEach((term, index) => {
    const part = parts.get(term[0]!) ?? { terms: [], counts: [] };
    part.terms.push(term);
    part.counts.push(vocabulary.counts[index]!);
    parts.set(term[0]!, part);
  });
  return parts;
}

/** Whether the tools use the word itself (a stop word counts as one: "ai", "code"). */
function isTerm(vocabulary: Vocabulary, word: string): boolean {
  return STOP_WORDS.has(word) || vocabulary.terms[lowerBound(vocabulary.terms, word)] === word;
}

/**
 * Tool names of several words, written as one ("lmstudio", "llamacpp", "claudecode"), mapped to
 * the name as the tools write it ("lm studio"), which no edit distance would find.
 */
function namesWrittenAsOneWord(candidates: readonly Tool[]): Map<string, string> {
  const names = new Map<string, string>();
  for (const tool of candidates) {
    const written = normalizeQuery(tool.name);
    const joined = written.replace(/[^a-z0-9]/g, '');
    if (joined !== written && /^[a-z]+$/.test(joined)) names.set(joined, written);
  }
  return names;
}

/** A word an intent rule reads on its own ("online", "offline", "hipaa"): the query means it. */
function isIntentWord(word: string): boolean {
  return ANY_INTENT_RULE.test(` ${word} `);
}

/** Every rule's pattern as one: a match of any is a match of this (one test a word, not one a rule). */
const ANY_INTENT_RULE = new RegExp(INTENT_RULES.map((rule) => `(?:${rule.pattern.source})`).join('|'));

/**
 * The words of the phrases the intent rules read in the query ("difference" of "difference
 * between", which alone is one letter or two from "inference"): the query means them as written.
 * Not what a negation takes: any words follow "not", typos included.
 */
function wordsReadByPhrases(query: string): Set<string> {
  const read = new Set<string>();
  for (const phrases of PHRASE_PATTERNS)
    for (const match of query.matchAll(phrases)) for (const word of tokenize(match[0])) read.add(word);
  return read;
}

const PHRASE_PATTERNS = INTENT_RULES.filter((rule) => !rule.negates).map(
  (rule) => new RegExp(rule.pattern.source, `${rule.pattern.flags}g`),
);

/**
 * Whether `word` is more likely `term` mistyped than an English word the tools happen not to use.
 * The tools' words are a small part of English, so most unknown words in a query are real words
 * ("internet", "company", "pods"), which a correction would turn into another meaning. A search
 * query is typed whole, so a typo is close to a whole word or its stem ("tset" / "tests"): only
 * close to the start of a longer one ("internet" / "interpreter", "company" / "companion",
 * "photo" / "prototyping") is not a typo. Under five letters, one changed letter turns a word into
 * another word too often ("pods" / "mods", "date" / "data", "game" / "gate"): only two swapped
 * neighbours are read as a typo there.
 */
function isLikelyTypo(word: string, term: string): boolean {
  // Another form of the same word ("heals" / "healing") reads as it.
  if (stem(word) === stem(term)) return true;
  const limit = allowedEdits(word.length);
  // Either form of the word against either of the term: "contianers" is "container" mistyped.
  const typedForms = [word, stem(word)];
  const close = [term, stem(term)].filter((form) =>
    typedForms.some(
      (typed) => alignment(typed, form, limit).whole <= limit && typingSlips(typed, form) <= limit,
    ),
  );
  if (word.length >= 5) return close.length > 0;
  const letters = (text: string) => [...text].sort().join('');
  return close.some((form) => form.length === word.length && letters(form) === letters(word));
}
