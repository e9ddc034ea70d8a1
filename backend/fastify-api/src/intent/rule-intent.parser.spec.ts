import { describe, expect, it } from 'vitest';
import { normalizeQuery, parseQuery, tokenize } from './rule-intent.parser.js';

describe('parseQuery', () => {
  it('reads platform, pricing and category from a typical query', () => {
    const { intent, searchTerms } = parseQuery('free VS Code extension for writing unit tests');
    expect(intent.platforms).toEqual(['vscode']);
    expect(intent.pricing).toEqual(['free', 'open-source']);
    expect(intent.categories).toEqual(['testing']);
    expect(intent.openSource).toBeUndefined();
    expect(intent.text).toBe('extension writing');
    expect(searchTerms).toEqual(expect.arrayContaining(['unit', 'tests', 'test', 'extension', 'writing']));
    expect(searchTerms).not.toContain('free');
  });

  it('reads a bank as a wish for self-hosted, open-source tools', () => {
    const { intent, searchTerms } = parseQuery('self-hosted code assistant for a bank');
    expect(intent.openSource).toBe(true);
    expect(intent.categories).toEqual(['code-completion', 'chat-assistant']);
    expect(searchTerms).toEqual(expect.arrayContaining(['self-hosted', 'on-prem', 'assistant']));
  });

  it('maps IDE product names to their platform', () => {
    expect(parseQuery('autocomplete for IntelliJ').intent.platforms).toEqual(['jetbrains']);
    expect(parseQuery('pycharm plugin').intent.platforms).toEqual(['jetbrains']);
    expect(parseQuery('nvim plugin').intent.platforms).toEqual(['neovim']);
    expect(parseQuery('Visual Studio Code').intent.platforms).toEqual(['vscode']);
  });

  it('reads a category in its other word forms', () => {
    expect(parseQuery('documenting legacy codebases').intent.categories).toEqual(['documentation']);
    expect(parseQuery('code reviewers').intent.categories).toEqual(['code-review']);
    expect(parseQuery('reviewed by AI').intent.categories).toEqual(['code-review']);
    expect(parseQuery('AI testers').intent.categories).toEqual(['testing']);
  });

  it('notes the languages and frameworks a query names', () => {
    expect(parseQuery('ai for writing SQL').codeLanguages).toEqual(['sql']);
    expect(parseQuery('C++ and Next.js help').codeLanguages).toEqual(['c++', 'next.js']);
    expect(parseQuery('go to the spring sale').codeLanguages).toBeUndefined();
  });

  it('reads "free tier" as freemium, not as free only', () => {
    expect(parseQuery('chat assistant with a free tier').intent.pricing).toEqual(['freemium', 'free']);
  });

  it('reads "open source" before what the tool works on as a topic, not as the license', () => {
    const scanner = parseQuery('malware detection in open source packages');
    expect(scanner.intent.openSource).toBeUndefined();
    expect(scanner.requiredOpenSource).toBeUndefined();
    expect(scanner.searchTerms).toEqual(expect.arrayContaining(['open', 'source', 'packages']));
    expect(parseQuery('open source license compliance').requiredOpenSource).toBeUndefined();
    expect(parseQuery('open source code review bot').requiredOpenSource).toBe(true);
  });

  it('lets an explicit "closed source" win over an implied open-source wish', () => {
    expect(parseQuery('proprietary on-prem assistant').intent.openSource).toBe(false);
  });

  it('reads a terminal agent as both a platform and categories', () => {
    const { intent } = parseQuery('agent that works in my terminal');
    expect(intent.platforms).toEqual(['cli']);
    expect(intent.categories).toEqual(expect.arrayContaining(['terminal', 'coding-agent']));
  });

  it('keeps unknown words as free text and drops stop words', () => {
    const { intent } = parseQuery('Best tool for Rust and Kotlin');
    expect(intent).toEqual({ categories: [], platforms: [], pricing: [], text: 'rust kotlin' });
  });

  it('never throws, whatever the input', () => {
    for (const query of ['', '   ', '???', '"); drop table tools; --', 'ü'.repeat(500), '\u0000\u0001']) {
      expect(() => parseQuery(query)).not.toThrow();
    }
  });
});

describe('normalizeQuery and tokenize', () => {
  it('folds case, accents and spacing', () => {
    expect(normalizeQuery('  Café   CODE\tReview ')).toBe('cafe code review');
  });

  it('keeps language names with symbols whole', () => {
    expect(tokenize('c++ and c# with node.js.')).toEqual(['c++', 'c#', 'node.js']);
  });
});

describe('parseQuery: the tool a user wants to replace', () => {
  it('names the tool without the qualifiers written before it, and reads those as intent', () => {
    const open = parseQuery('open source cursor alternative');
    expect(open.similarTo).toBe('cursor');
    expect(open.intent.openSource).toBe(true);
    const free = parseQuery('best free v0 alternative');
    expect(free.similarTo).toBe('v0');
    expect(free.intent.pricing).toEqual(['free', 'open-source']);
    expect(parseQuery('i need a cursor alternative').similarTo).toBe('cursor');
  });

  it('names the tool without the qualifiers written after it either, but keeps its own words', () => {
    const free = parseQuery('github copilot free alternative');
    expect(free.similarTo).toBe('github copilot');
    expect(free.intent.pricing).toEqual(['free', 'open-source']);
    // "open source" read as a tool name led to Sourcery ("source" starts its name).
    const open = parseQuery('cursor open source alternative');
    expect(open.similarTo).toBe('cursor');
    expect(open.requiredOpenSource).toBe(true);
    // A stop word after the name may be part of it.
    expect(parseQuery('like claude code but open source').similarTo).toBe('claude code');
  });

  it('keeps a tool name whose first word is not a qualifier whole', () => {
    expect(parseQuery('github copilot alternative').similarTo).toBe('github copilot');
    expect(parseQuery('open source claude code alternative').similarTo).toBe('claude code');
  });

  it('reads the other ways people ask for something like a tool', () => {
    expect(parseQuery('alternative for cursor').similarTo).toBe('cursor');
    expect(parseQuery('apps like lovable').similarTo).toBe('lovable');
    expect(parseQuery('a cursor-like editor').similarTo).toBe('cursor');
    expect(parseQuery('what can I use rather than tabnine?').similarTo).toBe('tabnine');
    // "I'd like" is a wish, not a comparison.
    expect(parseQuery("i'd like an assistant in my terminal").similarTo).toBeUndefined();
  });

  it('reads "cheaper than X" as something like X that costs less', () => {
    const { similarTo, intent } = parseQuery('cheaper than cursor');
    expect(similarTo).toBe('cursor');
    expect(intent.pricing).toEqual(['free', 'open-source']);
    expect(parseQuery('something better than copilot for jetbrains').similarTo).toBe('copilot');
  });

  it('reads "like X but ..." as wanting something like X that differs', () => {
    const { similarTo, intent } = parseQuery('like claude code but open source');
    expect(similarTo).toBe('claude code');
    expect(intent.openSource).toBe(true);
  });
});

describe('parseQuery: qualifiers in front of a name', () => {
  it('gives the ranker the words besides the qualifiers, which may name a tool', () => {
    expect(parseQuery('open source devin').qualifiedName).toBe('devin');
    expect(parseQuery('the best open source claude code').qualifiedName).toBe('claude code');
    expect(parseQuery('agent for tests').qualifiedName).toBeUndefined();
  });
});

describe('parseQuery: what the user does not want', () => {
  it('reads "not cloud-based" and "without internet" as a wish for tools that run locally', () => {
    for (const query of [
      'code assistant that is not cloud-based',
      'chatbot without internet',
      'no internet access',
      'code completion without sending code to the cloud',
      'never uploads our data to third-party servers',
    ]) {
      const { intent, searchTerms } = parseQuery(query);
      expect(intent.openSource).toBe(true);
      expect(searchTerms).toEqual(expect.arrayContaining(['self-hosted', 'local']));
      expect(searchTerms).not.toContain('cloud');
      expect(searchTerms).not.toContain('internet');
    }
  });

  it('does not search for what follows "not", "no" or "without"', () => {
    const { intent, searchTerms } = parseQuery('coding agent without vscode, not a terminal');
    expect(intent.platforms).toEqual([]);
    expect(searchTerms).not.toContain('vscode');
    expect(searchTerms).not.toContain('terminal');
  });

  it('tells the ranker what the user does not want, up to a two-word name', () => {
    expect(parseQuery("an editor that isn't a vscode fork").unwanted).toEqual(['vscode fork']);
    expect(parseQuery('coding agent without vscode, not a terminal').unwanted).toEqual(['vscode', 'terminal']);
    expect(parseQuery('agent not in vscode').unwanted).toEqual(['vscode']);
    expect(parseQuery('coding agent for vscode').unwanted).toBeUndefined();
  });

  it('reads running without a GPU as running on the CPU', () => {
    const { searchTerms } = parseQuery('run llms without a gpu');
    expect(searchTerms).toContain('cpu');
    expect(searchTerms).not.toContain('gpu');
  });

  it('reads "not open source" as closed source', () => {
    expect(parseQuery('not open source code review').requiredOpenSource).toBe(false);
  });

  it('keeps wishes phrased with a negation', () => {
    expect(parseQuery('build an app with no code').intent.categories).toEqual(['app-builder']);
    expect(parseQuery('a chat assistant at no cost').intent.pricing).toEqual(['free', 'open-source']);
    // A team without engineers wants what non-developers use, and nobody to leave out.
    const team = parseQuery('our team has no engineers and needs a web app');
    expect(team.intent.categories).toEqual(['app-builder']);
    expect(team.unwanted).toBeUndefined();
    expect(parseQuery("I'm not a developer").intent.categories).toEqual(['app-builder']);
  });
});

describe('parseQuery: running models locally', () => {
  it('reads local model runners as a category, not as a wish for open source', () => {
    for (const query of ['local llm', 'run LLMs locally on my laptop', 'run AI models offline', 'serving llms']) {
      const { intent } = parseQuery(query);
      expect(intent.categories).toContain('self-hosted-model');
    }
    expect(parseQuery('local llm').intent.openSource).toBeUndefined();
  });

  it('reads "locally" and "on my own computer" as running on the user\'s machine', () => {
    expect(parseQuery('something like chatgpt that runs locally').searchTerms).toContain('local');
    expect(parseQuery('a chatbot on my own computer').intent.platforms).toEqual(['desktop']);
  });
});

describe('parseQuery: editors, copilots and deploying', () => {
  it('reads an IDE plugin as a tool for the editors people have, not as an editor', () => {
    for (const query of ['IDE plugin for autocomplete', 'extension for my editor']) {
      const { intent } = parseQuery(query);
      expect(intent.platforms).toEqual(['vscode', 'jetbrains', 'neovim']);
      expect(intent.categories).not.toContain('ide');
    }
    expect(parseQuery('AI editor').intent.categories).toEqual(['ide']);
  });

  it('reads a copilot as a code assistant, and still searches for the word', () => {
    const { intent, searchTerms } = parseQuery('selfhosted copilot');
    expect(intent.categories).toEqual(['code-completion', 'chat-assistant']);
    expect(searchTerms).toContain('copilot');
  });

  it('leaves deploying an app to the text, not to DevOps tools', () => {
    expect(parseQuery('deploys apps').intent.categories).toEqual([]);
    expect(parseQuery('kubernetes troubleshooting').intent.categories).toEqual(['devops']);
  });
});

describe('parseQuery: a monthly budget', () => {
  it('reads "under $20 a month" and its variants as a price limit, not as words to search', () => {
    const under = parseQuery('coding assistant cheaper than $20 a month');
    expect(under.monthlyBudget).toEqual({ amount: 20, inclusive: false });
    expect(under.searchTerms).not.toContain('20');
    expect(under.searchTerms).not.toContain('month');
    expect(parseQuery('code review under 15 dollars per month').monthlyBudget).toEqual({ amount: 15, inclusive: false });
    expect(parseQuery('ide up to $20/month').monthlyBudget).toEqual({ amount: 20, inclusive: true });
  });

  it('reads no budget in numbers that are not prices', () => {
    expect(parseQuery('agent that finishes in under 5 minutes').monthlyBudget).toBeUndefined();
    expect(parseQuery('starcoder2 up to 15b').monthlyBudget).toBeUndefined();
  });
});

describe('parseQuery: questions, comparisons and the words every tool shares', () => {
  it('searches neither question words nor what is left of contractions', () => {
    expect(parseQuery('how do I find bugs in my code').searchTerms).toEqual(['bugs']);
    expect(parseQuery("what's the best one? i'm new").searchTerms).toEqual(['one', 'new']);
  });

  it('reads "X vs Y" as the two tools, and still reads "vs code" as the editor', () => {
    expect(parseQuery('cursor vs. windsurf').searchTerms).toEqual(['cursor', 'windsurf']);
    expect(parseQuery('claude code versus codex').searchTerms).toEqual(['claude', 'codex']);
    expect(parseQuery('vs code agent').intent.platforms).toEqual(['vscode']);
  });

  it('reads "cheaper" and "affordable" as a price wish', () => {
    expect(parseQuery('devin but cheaper').intent.pricing).toEqual(['free', 'open-source']);
    expect(parseQuery('affordable code review').intent.pricing).toEqual(['free', 'open-source']);
  });

  it('reads an operating system as the desktop platform', () => {
    expect(parseQuery('windows desktop app').intent.platforms).toEqual(['desktop']);
    expect(parseQuery('mac app for local models').intent.platforms).toEqual(['desktop']);
  });

  it('reads a query of nothing but shared words ("best AI for coding") as asking for coding assistants', () => {
    for (const query of ['best AI for coding', 'AI tools for developers', 'AI']) {
      const { intent } = parseQuery(query);
      expect(intent.categories).toEqual(['code-completion', 'chat-assistant', 'coding-agent']);
    }
    expect(parseQuery('coding agent').intent.categories).toEqual(['coding-agent']);
  });
});

describe('parseQuery: how names are spelt', () => {
  it('reads editor names and features with a hyphen, a space or neither', () => {
    for (const query of ['vs-code extension', 'visual-studio-code extension']) expect(parseQuery(query).intent.platforms).toEqual(['vscode']);
    expect(parseQuery('neo-vim plugin').intent.platforms).toEqual(['neovim']);
    expect(parseQuery('jet brains plugin').intent.platforms).toEqual(['jetbrains']);
    expect(parseQuery('auto complete').intent.categories).toEqual(['code-completion']);
    expect(parseQuery('an open source co-pilot').intent.categories).toEqual(['code-completion', 'chat-assistant']);
  });

  it('reads "A.I." as "ai"', () => {
    expect(normalizeQuery('A.I. code review')).toBe('ai code review');
    expect(parseQuery('A.I. code review').searchTerms).not.toContain('a.i');
  });
});

describe('parseQuery: upgrades and containers', () => {
  it('reads migrating or upgrading code as code transformation', () => {
    expect(parseQuery('migrate from java 8 to 17').searchTerms).toEqual(expect.arrayContaining(['upgrade', 'transformation', 'java']));
  });

  it('reads converting or rewriting code into another language as a migration, done by agents', () => {
    for (const query of ['convert javascript to typescript', 'rewrite this jquery code in react', 'python 2 to 3 converter', 'c++ to rust translation']) {
      const { intent, searchTerms } = parseQuery(query);
      expect(searchTerms, query).toEqual(expect.arrayContaining(['upgrade', 'transformation']));
      expect(intent.categories, query).toEqual(['coding-agent']);
    }
  });

  it('leaves converting anything but code alone ("convert pdf to word")', () => {
    for (const query of ['convert pdf to word', 'translate my app into french', 'currency converter']) {
      expect(parseQuery(query).searchTerms, query).not.toContain('transformation');
    }
  });

  it('reads scanning a Docker image as container security, not DevOps', () => {
    const { intent, searchTerms } = parseQuery('scan docker images');
    expect(intent.categories).toEqual(['security']);
    expect(searchTerms).toContain('container');
  });
});
