import { describe, expect, it } from 'vitest';
import { makeTool } from '../../test/support/tool.fixture.js';
import { expandSimilarTo, findNamedTool } from './similar-tool.js';

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
