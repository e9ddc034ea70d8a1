import { describe, expect, it } from 'vitest';
import { loadSeedTools } from '../../test/support/seed-tools.js';
import { shuffled } from '../../test/support/shuffled.js';
import { makeTool } from '../../test/support/tool.fixture.js';
import { parseQuery } from '../intent/rule-intent.parser.js';
import { ToolRanker } from './tool-ranker.js';

const tools = [
  makeTool({
    slug: 'testpilot',
    name: 'TestPilot',
    tagline: 'Generates unit tests in VS Code',
    categories: ['testing'],
    tags: ['unit-tests', 'test-generation'],
    platforms: ['vscode'],
    pricing: { model: 'free' },
  }),
  makeTool({
    slug: 'qa-cloud',
    name: 'QA Cloud',
    tagline: 'Hosted end-to-end testing platform',
    categories: ['testing'],
    tags: ['e2e'],
    platforms: ['web'],
    pricing: { model: 'paid' },
  }),
  makeTool({
    slug: 'tabby',
    name: 'Tabby',
    tagline: 'Self-hosted AI coding assistant',
    description: 'Run code completion on your own servers, on-prem.',
    categories: ['code-completion', 'chat-assistant'],
    tags: ['self-hosted', 'privacy'],
    platforms: ['vscode', 'jetbrains'],
    pricing: { model: 'open-source' },
    openSource: true,
  }),
  makeTool({
    slug: 'cloud-chat',
    name: 'Cloud Chat',
    tagline: 'Chat assistant in the browser',
    categories: ['chat-assistant'],
    pricing: { model: 'freemium' },
  }),
];

function rank(query: string, ranker = new ToolRanker()) {
  const { intent, searchTerms } = parseQuery(query);
  return ranker.rank(tools, { intent, searchTerms, limit: 10 });
}

describe('ToolRanker', () => {
  it('reads "open source X" for a closed X as wanting X without it, and keeps an X that fits', () => {
    const ranker = new ToolRanker();
    const alternatives = ranker.rank(tools, { ...parseQuery('open source qa cloud'), limit: 10 });
    expect(alternatives.map((result) => result.tool.slug)).not.toContain('qa-cloud');
    expect(alternatives[0]?.tool.slug).toBe('testpilot');
    expect(alternatives[0]?.reasons).toContain('like QA Cloud');
    const fits = ranker.rank(tools, { ...parseQuery('open source tabby'), limit: 10 });
    expect(fits[0]?.tool.slug).toBe('tabby');
  });

  it('puts the tool that fits text and intent first, with reasons', () => {
    const [first, second] = rank('free vscode extension for writing tests');
    expect(first?.tool.slug).toBe('testpilot');
    expect(first?.reasons).toEqual(
      expect.arrayContaining(['category: testing', 'works in VS Code', 'pricing: free']),
    );
    expect(second?.tool.slug).toBe('qa-cloud');
    expect(first!.score).toBeGreaterThan(second!.score);
  });

  it('prefers the self-hosted open-source assistant for a bank', () => {
    expect(rank('self-hosted code assistant for a bank')[0]?.tool.slug).toBe('tabby');
  });

  it('puts every tool with the license a query names before any without it, and only boosts an implied one', () => {
    const pilot = makeTool({
      slug: 'pair-pilot',
      name: 'Pair Pilot',
      tagline: 'Your AI pair programmer for chat and completion',
      categories: ['code-completion', 'chat-assistant'],
      tags: ['pair-programming'],
      pricing: { model: 'paid' },
      openSource: false,
    });
    const ranker = new ToolRanker();
    const named = ranker.rank([...tools, pilot], { ...parseQuery('open source ai pair programmer'), limit: 10 });
    const firstClosed = named.findIndex((result) => !result.tool.openSource);
    expect(named[0]?.tool.slug).toBe('tabby');
    expect(named.slice(firstClosed).every((result) => !result.tool.openSource)).toBe(true);
    expect(named.map((result) => result.tool.slug)).toContain('pair-pilot');
    // Without the license named, the closer text match wins.
    expect(ranker.rank([...tools, pilot], { ...parseQuery('ai pair programmer'), limit: 10 })[0]?.tool.slug).toBe('pair-pilot');
    // "proprietary" names the other license.
    expect(ranker.rank([...tools, pilot], { ...parseQuery('proprietary ai pair programmer'), limit: 10 })[0]?.tool.slug).toBe('pair-pilot');
    // "on-prem" implies open source without naming it: a commercial tool that matches better may lead.
    expect(parseQuery('on-prem ai pair programmer').requiredOpenSource).toBeUndefined();
  });

  it('gives a free tier half the credit of free', () => {
    const results = rank('free chat assistant');
    const cloudChat = results.find((result) => result.tool.slug === 'cloud-chat');
    expect(cloudChat?.reasons).toContain('has a free tier');
  });

  it('counts a word the user typed above two words the vocabulary added', () => {
    const wiki = makeTool({ slug: 'wiki', name: 'Wiki', tagline: 'wiki pages', categories: ['documentation'] });
    const helper = makeTool({ slug: 'helper', name: 'Helper', tagline: 'assistant helper', categories: ['documentation'] });
    const intent = { categories: [], platforms: [], pricing: [], text: 'wiki' };
    const query = { intent, searchTerms: ['wiki', 'assistant', 'helper'], limit: 2 };
    const ranker = new ToolRanker();
    // Without knowing what was typed, two matched words beat one.
    expect(ranker.rank([wiki, helper], query).map((result) => result.tool.slug)).toEqual(['helper', 'wiki']);
    const typed = ranker.rank([wiki, helper], { ...query, typedTerms: ['wiki'] });
    expect(typed.map((result) => result.tool.slug)).toEqual(['wiki', 'helper']);
  });

  it('tells typed words from added ones when it parses a query', () => {
    const parsed = parseQuery('Self-hosted wiki for the team');
    expect(parsed.typedTerms).toEqual(['self-hosted', 'wiki', 'team']);
    expect(parsed.searchTerms).toEqual(expect.arrayContaining(['on-prem', 'privacy', 'wiki']));
  });

  it('does not match the stop words inside a hyphenated word ("on" in on-prem) against every tool', () => {
    const words = [
      makeTool({ slug: 'prem-box', tagline: 'On-prem code assistant' }),
      makeTool({ slug: 'web-thing', tagline: 'Runs on the web for your team' }),
    ];
    const query = { intent: { categories: [], platforms: [], pricing: [], text: '' }, searchTerms: ['on-prem', 'bring-your-own'], limit: 5 };
    expect(new ToolRanker().rank(words, query).map((result) => result.tool.slug)).toEqual(['prem-box']);
  });

  it('leaves out tools with no relevance and respects the limit', () => {
    expect(rank('kubernetes')).toEqual([]);
    const { intent, searchTerms } = parseQuery('assistant');
    expect(new ToolRanker().rank(tools, { intent, searchTerms, limit: 1 })).toHaveLength(1);
  });

  it('does not let a pure pricing match float an unrelated tool up', () => {
    const slugs = rank('free e2e testing').map((result) => result.tool.slug);
    expect(slugs).not.toContain('cloud-chat');
  });

  it('ignores intent boosts in baseline mode', () => {
    const baseline = new ToolRanker({ useIntent: false });
    const [first] = rank('free vscode tests', baseline);
    expect(first?.reasons.some((reason) => reason.startsWith('works in'))).toBe(false);
  });

  it('blends semantic scores when embeddings are given', () => {
    const { intent, searchTerms } = parseQuery('privacy');
    const semanticScores = new Map([
      ['cloud-chat', 1],
      ['tabby', 0],
    ]);
    const [first] = new ToolRanker({ semanticWeight: 0.9 }).rank(tools, {
      intent,
      searchTerms,
      semanticScores,
      limit: 5,
    });
    expect(first?.tool.slug).toBe('cloud-chat');
  });

  it('sees a changed tool, because the index is keyed by updatedAt', () => {
    const ranker = new ToolRanker();
    const { intent, searchTerms } = parseQuery('kubernetes');
    expect(ranker.rank(tools, { intent, searchTerms, limit: 5 })).toEqual([]);
    const changed = tools.map((tool) =>
      tool.slug === 'qa-cloud'
        ? { ...tool, tags: ['kubernetes'], updatedAt: '2026-02-01T00:00:00.000Z' }
        : tool,
    );
    expect(ranker.rank(changed, { intent, searchTerms, limit: 5 })[0]?.tool.slug).toBe('qa-cloud');
  });

  it('ranks a candidate set the same in any order, and corrects spelling against a changed tool', () => {
    const ranker = new ToolRanker();
    const query = { ...parseQuery('self hosted assistant'), limit: 10 };
    const slugs = (list: typeof tools) => ranker.rank(list, query).map((result) => result.tool.slug);
    const inOrder = slugs(tools);
    expect(inOrder[0]).toBe('tabby');
    // The same set in another order (retrieval orders by relevance, differently for each query).
    expect(slugs([...tools].reverse())).toEqual(inOrder);
    expect(ranker.vocabularyFor([...tools].reverse()).terms).toContain('hosted');
    const changed = tools.map((tool) => (tool.slug === 'qa-cloud' ? { ...tool, tags: ['kubernetes'], updatedAt: '2026-02-01T00:00:00.000Z' } : tool));
    expect(ranker.vocabularyFor(changed).terms).toContain('kubernetes');
    expect(ranker.vocabularyFor(tools).terms).not.toContain('kubernetes');
  });
});

describe('ToolRanker over the seed tools in shuffled orders', () => {
  const seedTools = loadSeedTools();
  const orders = [seedTools, [...seedTools].reverse(), ...[1, 2, 3, 4, 5].map((seed) => shuffled(seedTools, seed))];

  it.each(['alternative to github', 'alternative to bolt', 'gemini alternative', 'open source cursor alternative', 'free code review bot'])(
    'gives "%s" the same top result and the same ranking',
    (query) => {
      // A ranker per order: one ranker keeps the text index of the first order it saw of a set.
      const rankings = orders.map((order) => new ToolRanker().rank(order, { ...parseQuery(query), limit: 10 }));
      expect(rankings[0]!.length).toBeGreaterThan(0);
      for (const ranking of rankings.slice(1)) expect(ranking).toEqual(rankings[0]);
    },
  );

  it('reads "alternative to github" as GitHub Spark, and never lists it', () => {
    const [first, ...rest] = new ToolRanker().rank(shuffled(seedTools, 7), { ...parseQuery('alternative to github'), limit: 10 });
    expect(first?.reasons[0]).toBe('like GitHub Spark');
    expect([first, ...rest].map((result) => result?.tool.slug)).not.toContain('github-spark');
  });

  it('lists neither Bolt.new nor bolt.diy as an alternative to "bolt", which names both', () => {
    const slugs = new ToolRanker().rank(seedTools, { ...parseQuery('alternative to bolt'), limit: 10 }).map((result) => result.tool.slug);
    expect(slugs.length).toBeGreaterThan(0);
    expect(slugs).not.toContain('bolt-new');
    expect(slugs).not.toContain('bolt-diy');
  });

  it('puts first the tools most like the one named, by whole tags and its first category', () => {
    // Void is a VS Code fork and an editor like Cursor; Continue only shares words such as "mode".
    const [first] = new ToolRanker().rank(seedTools, { ...parseQuery('like cursor but open source'), limit: 5 });
    expect(first?.tool.slug).toBe('void');
  });

  it('answers "open source alternative to bolt" with bolt.diy, the open-source Bolt', () => {
    const [first] = new ToolRanker().rank(seedTools, { ...parseQuery('open source alternative to bolt'), limit: 10 });
    expect(first?.tool.slug).toBe('bolt-diy');
    expect(first?.reasons[0]).toBe('like Bolt.new');
  });
});

describe('ToolRanker: words in another form', () => {
  it('finds the documentation tools for "documentation", which their texts say as "documents" and "docs"', () => {
    const slugs = new ToolRanker().rank(loadSeedTools(), { ...parseQuery('documentation site generator with AI chat'), limit: 5 }).map((result) => result.tool.slug);
    expect(slugs[0]).toBe('mintlify');
  });
});

describe('ToolRanker: queries the directory has nothing for', () => {
  const seedTools = loadSeedTools();
  const rankSeed = (query: string) => new ToolRanker().rank(seedTools, { ...parseQuery(query), limit: 5 });

  it('answers nothing when most of what the user typed matches no tool', () => {
    expect(rankSeed('photo editing')).toEqual([]);
    expect(rankSeed('video game engine')).toEqual([]);
  });

  it('counts a word found only by typo tolerance as unknown ("remove" is not "remote")', () => {
    expect(rankSeed('remove photo backgrounds')).toEqual([]);
  });

  it('weighs a word only descriptions mention in passing at half a word tools are defined by', () => {
    // Jules "clones your GitHub repository"; Keploy records "database queries": neither is about it.
    expect(rankSeed('voice cloning')).toEqual([]);
    expect(rankSeed('database backup tool')).toEqual([]);
    // Slack is one of Devin's tags, and the same two-word shape is answered.
    expect(rankSeed('slack bot')[0]?.tool.slug).toBe('devin');
  });

  it('counts a word as common when many tools hold words it starts ("generator": generates, generation)', () => {
    expect(rankSeed('logo design generator')).toEqual([]);
    expect(rankSeed('unit test generator')[0]?.tool.slug).toMatch(/^(qodo|diffblue-cover|keploy)$/);
  });

  it('takes a kind of tool read from the query as evidence, not as a pass', () => {
    // "agents" reads coding agents, but travel and booking are what the user wants.
    expect(rankSeed('travel agents booking software')).toEqual([]);
    expect(rankSeed('agents that fix failing builds').length).toBeGreaterThan(0);
  });

  it('weighs what one tool holds, not common words scattered over several tools\' descriptions', () => {
    // "small" is in one description and "business" in another: no tool is about accounting.
    expect(rankSeed('accounting software for a small business')).toEqual([]);
    expect(rankSeed('customer support ticketing system like zendesk')).toEqual([]);
    // vLLM holds both "fast" and "inference": one tool about what is asked.
    expect(rankSeed('fast inference on apple silicon')[0]?.tool.slug).toBe('vllm');
  });

  it('takes a platform, price or license read from the query as evidence, not as a pass', () => {
    // "api" and "online" are platforms, but the weather and the courses are what the user wants.
    expect(rankSeed('weather forecast api')).toEqual([]);
    expect(rankSeed('online course platform for teachers')).toEqual([]);
    // A facet still outweighs one word no tool holds: the free tools, not nothing.
    expect(rankSeed('free for students').length).toBeGreaterThan(0);
    expect(rankSeed('open source devin').length).toBeGreaterThan(0);
  });

  it('still answers a query with a word no tool uses when the rest says what it wants', () => {
    expect(rankSeed('kotlin unit tests for my startup')[0]?.tool.slug).toBe('diffblue-cover');
    expect(rankSeed('run llms without a gpu').length).toBeGreaterThan(0);
    // "slack" is a word one tool holds: it outweighs the unknown "bot", as "editing" does not "photo".
    expect(rankSeed('slack bot')[0]?.tool.slug).toBe('devin');
    // Version numbers are no topic, and a rule that reads "migrate" knows what it is about.
    expect(rankSeed('migrate from java 8 to 17')[0]?.tool.slug).toBe('amazon-q-developer');
    // Converting code is migrating it: the code transformation tool first, not a Python tool.
    expect(rankSeed('convert python 2 to python 3')[0]?.tool.slug).toBe('amazon-q-developer');
    expect(rankSeed('convert pdf to word')).toEqual([]);
  });

  it('answers code in a language no tool names as "AI for coding" is answered, not with nothing', () => {
    const sql = rankSeed('ai for writing sql');
    expect(sql.length).toBeGreaterThan(0);
    for (const { tool } of sql) expect(tool.categories).toEqual(expect.arrayContaining([expect.stringMatching(/code-completion|chat-assistant|coding-agent/)]));
    expect(sql.map((result) => result.tool.slug)).toEqual(rankSeed('best AI for coding').map((result) => result.tool.slug));
    // "queries" is a word of Keploy's description only: no more a topic than "writing".
    expect(rankSeed('sql queries').map((result) => result.tool.slug)).toEqual(sql.map((result) => result.tool.slug));
    // A language some tool names is searched as a word ("c++" is llama.cpp's); no language, no rescue.
    expect(rankSeed('c++ inference')[0]?.tool.slug).toBe('llama-cpp');
    expect(rankSeed('photo editing')).toEqual([]);
    // Words that say something are ranked as usual: Swimm documents legacy code, in COBOL too.
    expect(rankSeed('help me understand a legacy cobol code base')[0]?.tool.slug).toBe('swimm');
  });

  it('answers a query whose known words are specific, though as many others are unknown', () => {
    // "fast" and "inference" are held by few tools; "apple" and "silicon" by none.
    expect(rankSeed('fast inference on apple silicon').map((result) => result.tool.slug).slice(0, 2)).toEqual(['vllm', 'llama-cpp']);
  });

  it('still answers a query that names a tool, whatever else it says', () => {
    expect(rankSeed('zed shortcuts')[0]?.tool.slug).toBe('zed');
  });

  it('puts tools that are what the user does not want last ("an editor that isn\'t a vscode fork")', () => {
    const slugs = rankSeed("an editor that isn't a vscode fork").map((result) => result.tool.slug);
    expect(slugs[0]).toBe('zed');
    for (const fork of ['cursor', 'windsurf', 'void', 'trae', 'kiro']) expect(slugs).not.toContain(fork);
    // What a description says a tool does not need is no reason to push it down.
    expect(rankSeed('run llms without a gpu').map((result) => result.tool.slug)).toContain('localai');
  });

  it('answers a query that names only a platform with every tool that runs there', () => {
    // Tabby runs in Neovim without saying "Neovim" in its text.
    expect(rankSeed('Neovim').map((result) => result.tool.slug)).toEqual(['github-copilot', 'tabby']);
  });

  it('still answers when embeddings may know what the words do not', () => {
    const query = { ...parseQuery('photo editing'), semanticScores: new Map([['zed', 0.6]]), limit: 5 };
    expect(new ToolRanker().rank(seedTools, query).map((result) => result.tool.slug)).toContain('zed');
  });
});

describe('ToolRanker: a monthly budget', () => {
  const priced = [
    makeTool({ slug: 'ten', name: 'Ten', tagline: 'AI editor', pricing: { model: 'paid', monthlyPriceFrom: 10 } }),
    makeTool({ slug: 'twenty', name: 'Twenty', tagline: 'AI editor', pricing: { model: 'paid', monthlyPriceFrom: 20 } }),
    makeTool({ slug: 'unpriced', name: 'Unpriced', tagline: 'AI editor', pricing: { model: 'paid' } }),
    makeTool({ slug: 'libre', name: 'Libre', tagline: 'AI editor', pricing: { model: 'open-source' }, openSource: true }),
  ];
  const ranked = (query: string) => new ToolRanker().rank(priced, { ...parseQuery(query), limit: 10 });

  it('puts tools priced within "under $20 a month" first, saying what they cost, and one at $20 below them', () => {
    const results = ranked('editor under $20 a month');
    expect(results.slice(0, 2).map((result) => result.tool.slug).sort()).toEqual(['libre', 'ten']);
    expect(results.find((result) => result.tool.slug === 'ten')?.reasons).toContain('from $10 a month');
    expect(ranked('editor up to $20 a month').slice(0, 3).map((result) => result.tool.slug)).toContain('twenty');
  });
});

describe('ToolRanker ties', () => {
  it('orders tools with equal scores by name, case and accents aside, whatever the locale', () => {
    const named = ['Zed', 'eclipse', 'alpha', 'Éclair', 'Alpha'].map((name, index) =>
      makeTool({ slug: `tool-${index}`, name, tagline: 'editor' }),
    );
    const ranked = new ToolRanker().rank(named, { ...parseQuery('editor'), limit: 10 });
    expect(ranked.map((result) => result.tool.name)).toEqual(['Alpha', 'alpha', 'Éclair', 'eclipse', 'Zed']);
    expect(new Set(ranked.map((result) => result.score)).size).toBe(1);
  });
});
