import { describe, expect, it } from 'vitest';
import { stem } from './text-analysis.js';

describe('stem', () => {
  it('brings the forms of a word together: plurals, -ing, -ed', () => {
    expect(new Set(['tests', 'testing', 'tested', 'test'].map(stem))).toEqual(new Set(['test']));
    expect(stem('libraries')).toBe('library');
  });

  it('brings a verb in -ate and its noun in -ation together ("documentation" meets "documents")', () => {
    expect(
      new Set(['generate', 'generates', 'generated', 'generating', 'generation', 'generations'].map(stem)),
    ).toEqual(new Set(['gener']));
    expect(stem('documentation')).toBe(stem('documents'));
    expect(stem('automation')).toBe(stem('automated'));
  });

  it('leaves short words that only look like -ate words alone', () => {
    expect(stem('update')).toBe('update');
    expect(stem('creates')).toBe('create');
    expect(stem('migration')).toBe('migration');
  });
});
