import { vocabularyOf } from '@codiesvibe/shared/domain';
import { describe, expect, it } from 'vitest';
import { correctedQuery } from './spelling.js';

describe('correctedQuery: the directory reads a query that matched nothing again', () => {
  const directory = vocabularyOf(['AI code review for pull requests', 'Terminal coding agent', 'Python test generation']);

  it('corrects typos, leaves out words no tool has and ignores stop words, as the search tokenizes', () => {
    expect(correctedQuery('The Code Reviw', directory)).toBe('code review');
    expect(correctedQuery('terminl agent for xqzvwk', directory)).toBe('terminal agent');
  });

  it('answers undefined when every word is known or nothing would remain', () => {
    expect(correctedQuery('pyth test', directory)).toBeUndefined();
    expect(correctedQuery('xqzvwk', directory)).toBeUndefined();
  });
});
