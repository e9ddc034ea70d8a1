import { describe, expect, it } from 'vitest';
import { alignment, closestTerm, correctWords, hasPrefix, vocabularyOf, type Vocabulary } from './spelling.js';

function withCounts(counts: Record<string, number>): Vocabulary {
  const terms = Object.keys(counts).sort();
  return { terms, counts: terms.map((term) => counts[term]!) };
}

const DIRECTORY = withCounts({
  review: 12,
  reviewer: 2,
  code: 40,
  completion: 9,
  typescript: 7,
  python: 11,
  security: 5,
  testing: 8,
  terminal: 6,
  cursor: 1,
  css: 3,
  cms: 2,
});

/** The words of `query` corrected as the directory corrects them (unknown words left out). */
const correctedQuery = (query: string, vocabulary: Vocabulary) =>
  correctWords(query.split(' ').filter(Boolean), vocabulary, { dropUnknown: true })?.join(' ');

describe('spelling: a query that matches nothing is read again as the directory spells it', () => {
  it('corrects a typo within one edit, a swap of neighbours counting as one', () => {
    expect(correctedQuery('code reviw', DIRECTORY)).toBe('code review');
    expect(correctedQuery('pyhton', DIRECTORY)).toBe('python');
    expect(correctedQuery('secruity', DIRECTORY)).toBe('security');
  });

  it('corrects the start of a longer word the user was still typing', () => {
    expect(correctedQuery('typscr', DIRECTORY)).toBe('typescript');
  });

  it('leaves out a word no tool has and none is close to, when another word remains', () => {
    expect(correctedQuery('security scanner', DIRECTORY)).toBe('security');
    expect(correctedQuery('scanner', DIRECTORY)).toBeUndefined();
  });

  it('changes nothing when every word is known, even as a prefix', () => {
    expect(correctedQuery('code rev', DIRECTORY)).toBeUndefined();
    expect(correctedQuery('', DIRECTORY)).toBeUndefined();
  });

  it('never corrects a word under 4 letters (css is not a typo of cms)', () => {
    expect(closestTerm('csx', DIRECTORY)).toBeUndefined();
    expect(correctedQuery('csx testing', DIRECTORY)).toBe('testing');
  });

  it('prefers the whole word, then the word more tools hold, then the alphabet', () => {
    expect(closestTerm('reviex', DIRECTORY)).toBe('review');
    const tie = withCounts({ tests: 1, texts: 4 });
    expect(closestTerm('tezts', tie)).toBe('texts');
    expect(closestTerm('tezts', withCounts({ tests: 2, texts: 2 }))).toBe('tests');
  });

  it('allows two edits from 8 letters on', () => {
    expect(correctedQuery('complteoin', DIRECTORY)).toBe('completion');
    expect(closestTerm('termnl', DIRECTORY)).toBeUndefined();
  });
});

describe('spelling: words the vocabulary lacks are kept when asked', () => {
  it('never replaces a word with digits by a neighbour, and leaves it out only when asked', () => {
    const numbered = withCounts({ '1765012344': 1, suggested: 1 });
    expect(correctWords(['suggested', '1765012345'], numbered, { dropUnknown: true })).toEqual(['suggested']);
    expect(correctWords(['suggested', '1765012345'], numbered, { dropUnknown: false })).toBeUndefined();
  });

  it('keeps a word with nothing close, and still corrects the others', () => {
    expect(correctWords(['figma', 'reviw'], DIRECTORY, { dropUnknown: false })).toEqual(['figma', 'review']);
    expect(correctWords(['figma', 'code'], DIRECTORY, { dropUnknown: false })).toBeUndefined();
  });
});

describe('spelling: its building blocks', () => {
  it('counts each word once per text, as toolTextWords cuts it', () => {
    expect(vocabularyOf(['Code review, code.', 'Self-hosted review'])).toEqual({
      terms: ['code', 'hosted', 'review', 'self'],
      counts: [1, 1, 2, 1],
    });
  });

  it('finds prefixes in sorted terms', () => {
    expect(hasPrefix(DIRECTORY.terms, 'rev')).toBe(true);
    expect(hasPrefix(DIRECTORY.terms, 'reviewers')).toBe(false);
    expect(hasPrefix([], 'a')).toBe(false);
  });

  it('measures the distance to the whole word and to its closest start', () => {
    expect(alignment('reviw', 'review', 1)).toEqual({ whole: 1, prefix: 1 });
    expect(alignment('typscr', 'typescript', 1)).toEqual({ whole: 2, prefix: 1 });
    expect(alignment('abcdef', 'uvwxyz', 1)).toEqual({ whole: 2, prefix: 2 });
  });
});
