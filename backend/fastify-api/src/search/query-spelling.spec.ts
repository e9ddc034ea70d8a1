import { describe, expect, it } from 'vitest';
import { makeTool } from '../../test/support/tool.fixture.js';
import { correctQuerySpelling } from './query-spelling.js';

const candidates = [
  makeTool({ slug: 'reviewbot', name: 'ReviewBot', tagline: 'AI code review for pull requests', tags: ['code-review'] }),
  makeTool({ slug: 'pycomplete', name: 'PyComplete', tagline: 'Python autocomplete', tags: ['python'] }),
];

describe('correctQuerySpelling: AI search reads misspelt words as its candidates spell them', () => {
  it('corrects words of letters and keeps the rest of the query as typed', () => {
    expect(correctQuerySpelling('Code Reveiw for my pull requets', candidates)).toBe('code review for my pull requests');
    expect(correctQuerySpelling('like pycomplete but for pyhton', candidates)).toBe('like pycomplete but for python');
  });

  it('leaves known words, words with digits or symbols, and words nothing is close to', () => {
    expect(correctQuerySpelling('code review', candidates)).toBeUndefined();
    expect(correctQuerySpelling('figma gpt4 node.js', candidates)).toBeUndefined();
    expect(correctQuerySpelling('reveiw', [])).toBeUndefined();
  });
});
