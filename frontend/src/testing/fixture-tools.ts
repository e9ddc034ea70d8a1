import type { PricingModel, Tool, ToolCategory, ToolPlatform } from '@codiesvibe/shared/domain';

type Row = [
  slug: string,
  name: string,
  tagline: string,
  categories: ToolCategory[],
  pricing: PricingModel,
  platforms: ToolPlatform[],
  openSource: boolean,
  tags: string[],
];

// A small directory for tests and the stand-in server: enough tools (24) for two pages of 20,
// with every filter value used at least once.
const ROWS: Row[] = [
  ['github-copilot', 'GitHub Copilot', 'AI pair programmer that suggests code in your editor', ['code-completion', 'chat-assistant'], 'paid', ['vscode', 'jetbrains', 'neovim'], false, ['autocomplete', 'pair-programming']],
  ['cursor', 'Cursor', 'The AI-first code editor built on VS Code', ['ide', 'coding-agent'], 'freemium', ['desktop'], false, ['editor', 'agent']],
  ['continue', 'Continue', 'Open-source AI code assistant for VS Code and JetBrains', ['code-completion', 'chat-assistant'], 'open-source', ['vscode', 'jetbrains'], true, ['autocomplete', 'local-models']],
  ['aider', 'Aider', 'AI pair programming in your terminal with git integration', ['coding-agent', 'terminal'], 'open-source', ['cli'], true, ['git', 'pair-programming']],
  ['tabby', 'Tabby', 'Self-hosted AI coding assistant', ['code-completion', 'self-hosted-model'], 'open-source', ['vscode', 'jetbrains', 'neovim'], true, ['self-hosted', 'autocomplete']],
  ['codeium', 'Codeium', 'Free AI code completion and chat', ['code-completion'], 'free', ['vscode', 'jetbrains', 'neovim', 'web'], false, ['autocomplete']],
  ['coderabbit', 'CodeRabbit', 'AI code reviews on every pull request', ['code-review'], 'freemium', ['github'], false, ['pull-requests', 'review']],
  ['qodo', 'Qodo', 'Generates meaningful unit tests for your code', ['testing', 'code-review'], 'freemium', ['vscode', 'jetbrains'], false, ['unit-tests']],
  ['mintlify', 'Mintlify', 'Beautiful documentation that writes itself', ['documentation'], 'freemium', ['web', 'github'], false, ['docs']],
  ['warp', 'Warp', 'The terminal reimagined with AI built in', ['terminal'], 'freemium', ['desktop', 'cli'], false, ['shell']],
  ['ollama', 'Ollama', 'Run large language models locally', ['self-hosted-model'], 'open-source', ['cli', 'api', 'desktop'], true, ['local-models', 'llm']],
  ['bolt-new', 'Bolt.new', 'Prompt, run, edit and deploy full-stack web apps', ['app-builder'], 'freemium', ['web'], false, ['prototyping']],
  ['snyk-code', 'Snyk Code', 'AI-powered static analysis for security issues', ['security', 'code-review'], 'freemium', ['vscode', 'jetbrains', 'github'], false, ['sast', 'vulnerabilities']],
  ['k8sgpt', 'K8sGPT', 'Diagnoses Kubernetes clusters in plain English', ['devops'], 'open-source', ['cli'], true, ['kubernetes']],
  ['claude-code', 'Claude Code', 'Agentic coding tool that lives in your terminal', ['coding-agent', 'terminal'], 'paid', ['cli'], false, ['agent']],
  ['cody', 'Cody', 'AI coding assistant that knows your whole codebase', ['chat-assistant', 'code-completion'], 'freemium', ['vscode', 'jetbrains', 'web'], false, ['code-search']],
  ['openhands', 'OpenHands', 'Open platform for autonomous software agents', ['coding-agent'], 'open-source', ['web', 'cli'], true, ['agent', 'autonomous']],
  ['supermaven', 'Supermaven', 'Fast code completion with a huge context window', ['code-completion'], 'freemium', ['vscode', 'jetbrains', 'neovim'], false, ['autocomplete']],
  ['phind', 'Phind', 'AI search engine for developers', ['chat-assistant'], 'freemium', ['web', 'vscode'], false, ['search']],
  ['lm-studio', 'LM Studio', 'Discover, download and run local LLMs', ['self-hosted-model'], 'free', ['desktop'], false, ['local-models']],
  ['codium-pr-agent', 'PR-Agent', 'Open-source tool for AI pull request reviews', ['code-review'], 'open-source', ['github', 'cli'], true, ['pull-requests', 'review']],
  ['devin', 'Devin', 'An autonomous AI software engineer', ['coding-agent'], 'paid', ['web'], false, ['agent', 'autonomous']],
  ['pieces', 'Pieces', 'On-device copilot that remembers your workflow', ['chat-assistant'], 'free', ['desktop', 'browser-extension', 'vscode'], false, ['snippets']],
  ['semgrep', 'Semgrep Assistant', 'AI triage and fixes for code security findings', ['security'], 'paid', ['github', 'cli'], false, ['sast']],
];

/** Fresh copies of the fixture tools (tests may mutate them). */
export function fixtureTools(): Tool[] {
  return ROWS.map(([slug, name, tagline, categories, pricing, platforms, openSource, tags], index) => {
    const created = new Date(Date.UTC(2025, 0, 1 + index)).toISOString();
    return {
      slug,
      name,
      tagline,
      description: `${name}: ${tagline}.\n\nUsed by teams that want ${categories.join(' and ').replace(/-/g, ' ')} help.`,
      website: `https://example.com/${slug}`,
      ...(openSource ? { repository: `https://github.com/example/${slug}`, license: 'Apache-2.0' } : {}),
      categories,
      tags,
      pricing: pricing === 'paid' ? { model: pricing, monthlyPriceFrom: 10 } : { model: pricing },
      platforms,
      openSource,
      createdAt: created,
      updatedAt: created,
    };
  });
}
