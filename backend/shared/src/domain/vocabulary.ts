// The directory's fixed vocabularies, free of any dependency so a browser bundle can import them
// without pulling in a schema library.

/** The fixed category vocabulary of the directory. Order is the display order. */
export const TOOL_CATEGORIES = [
  'code-completion',
  'chat-assistant',
  'coding-agent',
  'code-review',
  'testing',
  'documentation',
  'terminal',
  'ide',
  'self-hosted-model',
  'app-builder',
  'security',
  'devops',
] as const;
export type ToolCategory = (typeof TOOL_CATEGORIES)[number];

export const PRICING_MODELS = ['free', 'freemium', 'paid', 'open-source'] as const;
export type PricingModel = (typeof PRICING_MODELS)[number];

export const TOOL_PLATFORMS = [
  'vscode',
  'jetbrains',
  'neovim',
  'cli',
  'web',
  'desktop',
  'browser-extension',
  'api',
  'github',
] as const;
export type ToolPlatform = (typeof TOOL_PLATFORMS)[number];

export const TOOL_SORTS = ['relevance', 'name', 'newest'] as const;
export type ToolSort = (typeof TOOL_SORTS)[number];

/** Slugs and tags: lower-case words of a-z and 0-9 joined by single dashes. */
export const SLUG_PATTERN = /^[a-z0-9]+(?:-[a-z0-9]+)*$/;
