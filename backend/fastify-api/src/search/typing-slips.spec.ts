import { describe, expect, it } from 'vitest';
import { typingSlips } from './typing-slips.js';

describe('typingSlips: how many slips of the fingers turn a word into what was typed', () => {
  it('counts one for a neighbouring key, a vowel for a vowel, a dropped, doubled or swapped letter', () => {
    expect(typingSlips('test', 'test')).toBe(0);
    expect(typingSlips('tesr', 'test')).toBe(1); // r is next to t
    expect(typingSlips('documantation', 'documentation')).toBe(1);
    expect(typingSlips('reviwer', 'reviewer')).toBe(1);
    expect(typingSlips('ollamma', 'ollama')).toBe(1);
    expect(typingSlips('secuirty', 'security')).toBe(1);
    expect(typingSlips('analisys', 'analysis')).toBe(2); // i and y sound alike
  });

  it('counts two for a change no slip explains', () => {
    expect(typingSlips('spends', 'sends')).toBe(2); // p is far from s and e
    expect(typingSlips('stale', 'style')).toBe(2);
    expect(typingSlips('going', 'doing')).toBe(2);
  });
});
