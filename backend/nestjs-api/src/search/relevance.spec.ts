import { describe, expect, it } from 'vitest';
import { matchesQuery, normalizeText, queryTokens, relevanceScore, searchTermsOf, tokenize } from './relevance.js';

const tool = (name: string, tagline: string, description: string, tags: string[] = []) => ({
  slug: tokenize(name).join('-'),
  name,
  tagline,
  description,
  tags,
});

describe('text normalisation', () => {
  it('lowercases, strips accents and splits on punctuation', () => {
    expect(normalizeText('Café ÉLAN')).toBe('cafe elan');
    expect(tokenize('llama.cpp, C/C++ & Next.js!')).toEqual(['llama', 'cpp', 'c', 'c', 'next', 'js']);
  });

  it('drops stop words and duplicates from queries, unless nothing else is left', () => {
    expect(queryTokens('the agent for the terminal agent')).toEqual(['agent', 'terminal']);
    expect(queryTokens('the')).toEqual(['the']);
    expect(queryTokens('  ')).toEqual([]);
  });
});

describe('matching', () => {
  const terms = searchTermsOf(tool('Aider', 'Pair programming in your terminal', 'Git native.', ['local-models']));

  it('requires every query word to prefix some term', () => {
    expect(matchesQuery(terms, ['term', 'pair'])).toBe(true);
    expect(matchesQuery(terms, ['terminal', 'browser'])).toBe(false);
    expect(matchesQuery(terms, ['local', 'models'])).toBe(true);
  });
});

describe('relevanceScore', () => {
  it('ranks a name match above a description match', () => {
    const byName = tool('Terminal Buddy', 'A helper', 'Does things.');
    const byDescription = tool('Helper', 'A helper', 'Runs in the terminal.');
    expect(relevanceScore(byName, ['terminal'])).toBeGreaterThan(relevanceScore(byDescription, ['terminal']));
  });

  it('ranks an exact word above a prefix', () => {
    const exact = tool('X', 'test runner', 'x');
    const prefix = tool('Y', 'testing runner', 'y');
    expect(relevanceScore(exact, ['test'])).toBeGreaterThan(relevanceScore(prefix, ['test']));
  });

  it('gives the exact name the biggest bonus', () => {
    const exact = tool('Claude Code', 'Agent', 'An agent.');
    const partial = tool('Claude Code Router', 'Agent', 'An agent.');
    expect(relevanceScore(exact, ['claude', 'code'])).toBeGreaterThan(relevanceScore(partial, ['claude', 'code']));
  });

  it('is zero for an empty query and rounded to thousandths', () => {
    const sample = tool('Abc', 'abc', 'abcdef', ['abc']);
    expect(relevanceScore(sample, [])).toBe(0);
    const score = relevanceScore(sample, ['abc']);
    expect(Math.round(score * 1000) / 1000).toBe(score);
  });
});
