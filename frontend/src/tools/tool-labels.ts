import type { PricingModel, ToolCategory, ToolPlatform, ToolSort } from '@codiesvibe/shared/domain';

// The vocabularies live in @codiesvibe/shared/domain next to zod schemas; importing their values
// would pull zod into the bundle, so the app keeps display labels keyed by the shared types. A
// `Record` over the union makes the compiler reject a missing or unknown value.

export const CATEGORY_LABELS: Record<ToolCategory, string> = {
  'code-completion': 'Code completion',
  'chat-assistant': 'Chat assistant',
  'coding-agent': 'Coding agent',
  'code-review': 'Code review',
  testing: 'Testing',
  documentation: 'Documentation',
  terminal: 'Terminal',
  ide: 'IDE',
  'self-hosted-model': 'Self-hosted model',
  'app-builder': 'App builder',
  security: 'Security',
  devops: 'DevOps',
};

export const PRICING_LABELS: Record<PricingModel, string> = {
  free: 'Free',
  freemium: 'Freemium',
  paid: 'Paid',
  'open-source': 'Open source',
};

export const PLATFORM_LABELS: Record<ToolPlatform, string> = {
  vscode: 'VS Code',
  jetbrains: 'JetBrains',
  neovim: 'Neovim',
  cli: 'CLI',
  web: 'Web',
  desktop: 'Desktop',
  'browser-extension': 'Browser extension',
  api: 'API',
  github: 'GitHub',
};

export const SORT_LABELS: Record<ToolSort, string> = {
  relevance: 'Best match',
  name: 'Name (A–Z)',
  newest: 'Newest',
};

/** The keys of a label map, in declaration order (the display order of the shared vocabularies). */
export function labelKeys<K extends string>(labels: Record<K, string>): K[] {
  return Object.keys(labels) as K[];
}

export const CATEGORIES = labelKeys(CATEGORY_LABELS);
export const PRICING_MODELS = labelKeys(PRICING_LABELS);
export const PLATFORMS = labelKeys(PLATFORM_LABELS);
export const SORTS = labelKeys(SORT_LABELS);

/** Type guard: is `value` one of the keys of `labels`? */
export function isLabelKey<K extends string>(labels: Record<K, string>, value: string): value is K {
  return Object.prototype.hasOwnProperty.call(labels, value);
}
