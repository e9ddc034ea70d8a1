import type { PricingModel, ToolCategory, ToolPlatform } from '@codiesvibe/shared/domain';

/** How a category reads in a sentence. */
export const CATEGORY_NAMES: Record<ToolCategory, string> = {
  'code-completion': 'code completion',
  'chat-assistant': 'chat assistant',
  'coding-agent': 'coding agent',
  'code-review': 'code review',
  testing: 'testing',
  documentation: 'documentation',
  terminal: 'terminal',
  ide: 'IDE',
  'self-hosted-model': 'self-hosted model',
  'app-builder': 'app builder',
  security: 'security',
  devops: 'DevOps',
};

/** How a platform reads after "works in". */
export const PLATFORM_NAMES: Record<ToolPlatform, string> = {
  vscode: 'VS Code',
  jetbrains: 'JetBrains IDEs',
  neovim: 'Neovim',
  cli: 'the command line',
  web: 'the browser',
  desktop: 'a desktop app',
  'browser-extension': 'a browser extension',
  api: 'an API',
  github: 'GitHub',
};

export const PRICING_NAMES: Record<PricingModel, string> = {
  free: 'free',
  freemium: 'free tier',
  paid: 'paid',
  'open-source': 'open source',
};
