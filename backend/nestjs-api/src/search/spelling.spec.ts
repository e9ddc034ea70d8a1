import { describe, expect, it } from 'vitest';
import { alignment, closestTerm, correctedQuery, hasPrefix, type Vocabulary } from './spelling.js';

function vocabularyOf(counts: Record<string, number>): Vocabulary {
  const terms = Object.keys(counts).sort();
  return { terms, counts: terms.map((term) => counts[term]!) };
}

const DIRECTORY = vocabularyOf({
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
    const tie = vocabularyOf({ tests: 1, texts: 4 });
    expect(closestTerm('tezts', tie)).toBe('texts');
    expect(closestTerm('tezts', vocabularyOf({ tests: 2, texts: 2 }))).toBe('tests');
  });

  it('allows two edits from 8 letters on', () => {
    expect(correctedQuery('complteoin', DIRECTORY)).toBe('completion');
    expect(closestTerm('termnl', DIRECTORY)).toBeUndefined();
  });
});

describe('spelling: its building blocks', () => {
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
