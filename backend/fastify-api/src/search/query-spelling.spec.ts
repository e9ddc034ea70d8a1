import { describe, expect, it } from 'vitest';
import { makeTool } from '../../test/support/tool.fixture.js';
import { correctQuerySpelling } from './query-spelling.js';

const candidates = [
  makeTool({
    slug: 'reviewbot',
    name: 'ReviewBot',
    tagline: 'AI code review for pull requests',
    tags: ['code-review'],
  }),
  makeTool({ slug: 'pycomplete', name: 'PyComplete', tagline: 'Python autocomplete', tags: ['python'] }),
  makeTool({ slug: 'mods', name: 'Mods', tagline: 'Pipe data to an interpreter', tags: ['tests'] }),
];

describe('correctQuerySpelling: AI search reads misspelt words as its candidates spell them', () => {
  it('corrects words of letters and keeps the rest of the query as typed', () => {
    expect(correctQuerySpelling('Code Reveiw for my pull requets', candidates)).toBe(
      'code review for my pull requests',
    );
    expect(correctQuerySpelling('like pycomplete but for pyhton', candidates)).toBe(
      'like pycomplete but for python',
    );
  });

  it('leaves known words, words with digits or symbols, and words nothing is close to', () => {
    expect(correctQuerySpelling('code review', candidates)).toBeUndefined();
    expect(correctQuerySpelling('figma gpt4 node.js', candidates)).toBeUndefined();
    expect(correctQuerySpelling('reveiw', [])).toBeUndefined();
  });

  it('does not turn English words the tools do not use into other words', () => {
    // Close only to the start of a longer word, or one letter from another short word.
    expect(correctQuerySpelling('chatbot without internet', candidates)).toBeUndefined();
    expect(correctQuerySpelling('why are my pods crashing', candidates)).toBeUndefined();
    expect(correctQuerySpelling('keep docs up to date', candidates)).toBeUndefined();
  });

  it('leaves English words one letter from a tool word when no slip of the fingers makes them', () => {
    const tools = [
      makeTool({ slug: 'styler', tagline: 'sends style fixes while doing reviews', tags: ['inference'] }),
    ];
    // "p" is nowhere near "s" or "e", "a" is no neighbour of "y", "g" none of "d".
    expect(correctQuerySpelling('team spends time on stale docs going nowhere', tools)).toBeUndefined();
    // Seen in the seed data before: "apple" became "apply", "internal" "external".
    const seedWords = [makeTool({ slug: 'applier', tagline: 'apply changes to external services' })];
    expect(correctQuerySpelling('fast inference on apple silicon for internal docs', seedWords)).toBeUndefined();
    // A phrase the rules read stays as written: "difference between" is a comparison.
    expect(correctQuerySpelling('difference between ollama and jan', tools)).toBeUndefined();
  });

  it('corrects slips of the fingers, in any form of the word', () => {
    const tools = [
      makeTool({ slug: 'scanner', tagline: 'container security with autocomplete', tags: ['security'] }),
    ];
    expect(correctQuerySpelling('secuirty for contianers', tools)).toBe('security for container');
    expect(correctQuerySpelling('autocomplate', tools)).toBe('autocomplete');
  });

  it('still corrects two swapped letters in a short word', () => {
    expect(correctQuerySpelling('unit tset', candidates)).toBe('unit tests');
  });

  it('leaves words the intent rules read, even when a tool word is one letter away', () => {
    // "online" reads as the web platform; "inline" would lose that.
    const inline = [makeTool({ slug: 'inliner', tagline: 'inline suggestions' })];
    expect(correctQuerySpelling('online ide', inline)).toBeUndefined();
  });

  it('joins two words the tools write as one, or a tool name split and mistyped', () => {
    const tools = [
      makeTool({ slug: 'github-copilot', name: 'GitHub Copilot' }),
      makeTool({ slug: 'coderabbit', name: 'CodeRabbit', tagline: 'AI chat about local code' }),
    ];
    expect(correctQuerySpelling('co-pilot', tools)).toBe('copilot');
    expect(correctQuerySpelling('code rabit for gitlab', tools)).toBe('coderabbit for gitlab');
    // The start of a longer word of the tools, as a typed word may be one.
    const v0 = [makeTool({ slug: 'v0', tagline: 'apps from prompts or screenshots' })];
    expect(correctQuerySpelling('screen shot to html', v0)).toBe('screenshot to html');
    // Both words are the tools' own: "ai chat" asks for a chat, not for a tool named AIChat.
    expect(correctQuerySpelling('ai chat for local code', [...tools, makeTool({ slug: 'aichat', name: 'AIChat' })])).toBeUndefined();
  });

  it('reads a tool name of several words written as one as the tool writes it', () => {
    const tools = [
      makeTool({ slug: 'lm-studio', name: 'LM Studio' }),
      makeTool({ slug: 'llama-cpp', name: 'llama.cpp' }),
    ];
    expect(correctQuerySpelling('lmstudio vs llamacpp', tools)).toBe('lm studio vs llama.cpp');
  });
});
