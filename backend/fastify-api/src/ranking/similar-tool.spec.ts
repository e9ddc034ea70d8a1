import { describe, expect, it } from 'vitest';
import { loadSeedTools } from '../../test/support/seed-tools.js';
import { shuffled } from '../../test/support/shuffled.js';
import { makeTool } from '../../test/support/tool.fixture.js';
import { expandSimilarTo, findNamedTool, findNamedTools, likeness } from './similar-tool.js';

const tools = [
  makeTool({
    slug: 'bolt-new',
    name: 'Bolt.new',
    categories: ['app-builder'],
    tags: ['full-stack', 'webcontainers'],
  }),
  makeTool({ slug: 'github-copilot', name: 'GitHub Copilot' }),
  makeTool({ slug: 'v0', name: 'v0' }),
];

describe('findNamedTool', () => {
  it('finds a tool by its name or slug however it is written', () => {
    expect(findNamedTool(tools, 'bolt.new')?.slug).toBe('bolt-new');
    expect(findNamedTool(tools, 'bolt new')?.slug).toBe('bolt-new');
    expect(findNamedTool(tools, 'github copilot')?.slug).toBe('github-copilot');
    expect(findNamedTool(tools, 'V0')?.slug).toBe('v0');
  });

  it('accepts a distinctive part of the name, but not a short fragment', () => {
    expect(findNamedTool(tools, 'copilot')?.slug).toBe('github-copilot');
    expect(findNamedTool(tools, 'git')).toBeUndefined();
    expect(findNamedTool(tools, 'emacs')).toBeUndefined();
  });

  it('falls back to the last words when the whole phrase names no tool', () => {
    expect(findNamedTool(tools, 'vs code copilot')?.slug).toBe('github-copilot');
    expect(findNamedTool(tools, 'source bolt.new')?.slug).toBe('bolt-new');
    expect(findNamedTool(tools, 'my favourite editor')).toBeUndefined();
  });
});

describe('findNamedTool among several tools the words name', () => {
  const seedTools = loadSeedTools();
  const orders = [seedTools, [...seedTools].reverse(), ...[1, 2, 3, 4, 5].map((seed) => shuffled(seedTools, seed))];
  const namedIn = (name: string) => new Set(orders.map((order) => findNamedTool(order, name)?.slug));

  it('takes the name the words cover the most of, in every candidate order', () => {
    // GitHub Spark (11 letters) before GitHub Copilot (13); Gemini CLI before Gemini Code Assist.
    expect(namedIn('github')).toEqual(new Set(['github-spark']));
    expect(namedIn('gemini')).toEqual(new Set(['gemini-cli']));
    // Bolt.new and bolt.diy are as long: bolt.diy says it is a version of Bolt.new.
    expect(namedIn('bolt')).toEqual(new Set(['bolt-new']));
  });

  it('gives every tool the name fits as closely, the one the others are a version of first', () => {
    for (const order of orders)
      expect(findNamedTools(order, 'bolt').map((tool) => tool.slug)).toEqual(['bolt-new', 'bolt-diy']);
    expect(findNamedTools(seedTools, 'github').map((tool) => tool.slug)).toEqual(['github-spark']);
  });

  it('takes an exact name before a longer name that contains it, and a name before a slug', () => {
    const claude = [makeTool({ slug: 'claude-code', name: 'Claude Code' }), makeTool({ slug: 'claude', name: 'Claude' })];
    expect(findNamedTool(claude, 'claude')?.slug).toBe('claude');
    expect(findNamedTool([...claude].reverse(), 'claude')?.slug).toBe('claude');
    const llm = [makeTool({ slug: 'llm', name: 'LLM Runner' }), makeTool({ slug: 'llm-cli', name: 'LLM' })];
    expect(findNamedTool(llm, 'llm')?.slug).toBe('llm-cli');
    expect(findNamedTool([...llm].reverse(), 'llm')?.slug).toBe('llm-cli');
  });
});

describe('expandSimilarTo', () => {
  it("searches for the named tool's categories and tags unless the user named categories", () => {
    const none = { categories: [], platforms: [], pricing: [], text: '' };
    expect(expandSimilarTo(tools[0]!, none, ['free'])).toEqual({
      intent: { ...none, categories: ['app-builder'] },
      searchTerms: ['free', 'full', 'stack', 'webcontainers'],
    });
    expect(expandSimilarTo(tools[0]!, { ...none, categories: ['ide'] }, []).intent.categories).toEqual([
      'ide',
    ]);
  });
});

describe('likeness', () => {
  it('is the share of the named tool\'s tags a tool has whole, plus a quarter for its first category', () => {
    const cursor = makeTool({ slug: 'cursor', categories: ['ide', 'coding-agent'], tags: ['editor', 'vscode-fork', 'agent-mode', 'multi-model'] });
    const fork = makeTool({ slug: 'void', categories: ['ide'], tags: ['editor', 'vscode-fork', 'privacy'] });
    const agent = makeTool({ slug: 'continue', categories: ['coding-agent'], tags: ['agent', 'chat'] });
    expect(likeness(fork, cursor)).toBe(0.5 + 0.25);
    expect(likeness(agent, cursor)).toBe(0);
  });
});
