import type { ToolCategory, ToolPlatform } from '../domain/vocabulary.js';

// Word pools of the synthetic tool generator. They read like a real directory of AI developer
// tools, so text search, facets and ranking in benches see realistic term frequencies rather
// than random strings.

/** First halves of tool names (two-word names never collide with the bundled seed's slugs). */
export const NAME_FIRSTS = [
  'Quill', 'Nimbus', 'Vector', 'Zephyr', 'Cobalt', 'Lumen', 'Tandem', 'Harbor', 'Orbit', 'Pixel',
  'Granite', 'Ember', 'Falcon', 'Juniper', 'Kestrel', 'Meridian', 'Nova', 'Onyx', 'Prism', 'Quartz',
  'Raven', 'Sable', 'Tidal', 'Umbra', 'Vesper', 'Willow', 'Axiom', 'Beacon', 'Cinder', 'Delta',
  'Echo', 'Fathom', 'Glacier', 'Helix', 'Iris', 'Jasper', 'Krypton', 'Lattice', 'Mosaic', 'Nebula',
  'Opal', 'Pulsar', 'Quasar', 'Rune', 'Sierra', 'Talon', 'Unity', 'Vortex', 'Wren', 'Xenon',
] as const;

export const NAME_SECONDS = [
  'Forge', 'Pilot', 'Lens', 'Smith', 'Mind', 'Scribe', 'Shift', 'Sense', 'Flow', 'Craft',
  'Bench', 'Guard', 'Wright', 'Loop', 'Stack', 'Spark', 'Grid', 'Deck', 'Works', 'Labs',
  'Agent', 'Coder', 'Assist', 'Review', 'Shell', 'Studio', 'Mate', 'Sprout', 'Wave', 'Bridge',
] as const;

export const DOMAINS = ['dev', 'ai', 'io', 'com', 'app', 'sh'] as const;

export const LICENSES = ['MIT', 'Apache-2.0', 'GPL-3.0', 'AGPL-3.0', 'BSD-3-Clause', 'MPL-2.0'] as const;

export const MONTHLY_PRICES = [5, 8, 9, 10, 12, 15, 19, 20, 25, 29, 39, 49, 99] as const;

/** What a tool of a category does, for taglines, descriptions and tags. */
export interface CategoryWords {
  taglines: readonly string[];
  sentences: readonly string[];
  tags: readonly string[];
  platforms: readonly ToolPlatform[];
}

export const CATEGORY_WORDS: Record<ToolCategory, CategoryWords> = {
  'code-completion': {
    taglines: ['Inline code completion that predicts your next edit', 'Fast multi-line autocomplete for every language', 'Context-aware code suggestions as you type'],
    sentences: [
      'Completes whole functions and blocks as you type, using the open files as context.',
      'Predicts the next edit from your recent changes and offers it with a single keystroke.',
      'Indexes the repository locally so suggestions follow your naming and patterns.',
    ],
    tags: ['autocomplete', 'inline-suggestions', 'multi-line', 'next-edit', 'local-index'],
    platforms: ['vscode', 'jetbrains', 'neovim'],
  },
  'chat-assistant': {
    taglines: ['A chat assistant that knows your codebase', 'Ask questions about your code in plain language', 'Conversational help for debugging and design'],
    sentences: [
      'Answers questions about the codebase in a chat panel, citing the files it read.',
      'Explains unfamiliar code, error messages and stack traces step by step.',
      'Drafts snippets, regular expressions and SQL queries from a short description.',
    ],
    tags: ['chat', 'explain-code', 'debugging', 'q-and-a', 'multi-model'],
    platforms: ['web', 'vscode', 'desktop'],
  },
  'coding-agent': {
    taglines: ['An autonomous coding agent that ships pull requests', 'Agent that plans and edits across many files', 'Delegate whole issues to an AI engineer'],
    sentences: [
      'Takes an issue, plans the change, edits files across the repository and runs the tests.',
      'Works in a sandbox with a shell and a browser, and opens a pull request when done.',
      'Keeps a task list, asks before risky commands and can be interrupted at any step.',
    ],
    tags: ['agent', 'autonomous', 'pull-requests', 'multi-file-edits', 'planning'],
    platforms: ['cli', 'github', 'web'],
  },
  'code-review': {
    taglines: ['AI code review on every pull request', 'Automated review comments that catch real bugs', 'Pull request summaries and line-by-line review'],
    sentences: [
      'Reviews every pull request, summarises the change and comments on risky lines.',
      'Learns the team conventions from accepted and dismissed review comments.',
      'Flags missing tests, unsafe error handling and performance regressions in review.',
    ],
    tags: ['code-review', 'pull-requests', 'pr-summary', 'linting', 'quality-gates'],
    platforms: ['github', 'web', 'api'],
  },
  testing: {
    taglines: ['Generates unit tests that actually run', 'AI test generation and maintenance', 'Find untested paths and write the tests for them'],
    sentences: [
      'Writes unit and integration tests for uncovered code and keeps them passing.',
      'Repairs flaky end-to-end tests by updating selectors and waits automatically.',
      'Records real traffic and turns it into regression tests with mocks.',
    ],
    tags: ['test-generation', 'unit-tests', 'coverage', 'e2e-testing', 'regression'],
    platforms: ['cli', 'jetbrains', 'vscode'],
  },
  documentation: {
    taglines: ['Documentation that writes and updates itself', 'Docs generated from your code and kept in sync', 'Answer questions from your documentation'],
    sentences: [
      'Generates reference documentation and docstrings from the source code.',
      'Detects when documentation drifts from the code and proposes an update.',
      'Turns the repository into a searchable wiki with architecture diagrams.',
    ],
    tags: ['docs', 'docstrings', 'knowledge-base', 'wiki', 'onboarding'],
    platforms: ['web', 'github', 'vscode'],
  },
  terminal: {
    taglines: ['An AI-native terminal', 'Natural language to shell commands', 'Command-line assistant for everyday tasks'],
    sentences: [
      'Turns a plain-language request into a shell command and explains it before running.',
      'Suggests fixes when a command fails and remembers the workflows you repeat.',
      'Pipes files and command output into a model from the command line.',
    ],
    tags: ['shell', 'command-line', 'natural-language', 'bash', 'productivity'],
    platforms: ['cli', 'desktop'],
  },
  ide: {
    taglines: ['An AI-first code editor', 'The editor built around an AI pair programmer', 'A fast editor with agents built in'],
    sentences: [
      'A full editor with AI completion, chat and an agent mode that edits many files.',
      'Keeps extensions, themes and keybindings from the editor you already use.',
      'Shows every AI edit as a reviewable diff before it is applied.',
    ],
    tags: ['editor', 'agent-mode', 'diff-review', 'extensions', 'pair-programming'],
    platforms: ['desktop', 'web'],
  },
  'self-hosted-model': {
    taglines: ['Run coding models on your own hardware', 'Self-hosted inference for private code', 'Local LLMs for developers'],
    sentences: [
      'Serves open-weight coding models locally with an OpenAI-compatible API.',
      'Runs on a laptop GPU or a server, so source code never leaves the network.',
      'Quantises models automatically to fit the available memory.',
    ],
    tags: ['local-llm', 'self-hosted', 'privacy', 'open-weights', 'gpu'],
    platforms: ['cli', 'api', 'desktop'],
  },
  'app-builder': {
    taglines: ['Build full-stack apps from a prompt', 'Describe an app and get it deployed', 'From idea to working prototype in minutes'],
    sentences: [
      'Generates a full-stack web application from a description and deploys it in one click.',
      'Edits the running app through chat while showing the code it changes.',
      'Connects a database, authentication and payments without leaving the browser.',
    ],
    tags: ['prototyping', 'full-stack', 'no-code', 'deployment', 'web-apps'],
    platforms: ['web', 'browser-extension'],
  },
  security: {
    taglines: ['Find and fix vulnerabilities with AI', 'Security scanning that explains the fix', 'Secure code review for every commit'],
    sentences: [
      'Scans code and dependencies for vulnerabilities and proposes a patch for each finding.',
      'Detects leaked secrets and injection risks before they reach the main branch.',
      'Prioritises findings by reachability so teams fix what can actually be exploited.',
    ],
    tags: ['sast', 'vulnerabilities', 'secrets-detection', 'supply-chain', 'compliance'],
    platforms: ['github', 'cli', 'api'],
  },
  devops: {
    taglines: ['AI for infrastructure and incidents', 'Explain and fix failing pipelines', 'An assistant for Kubernetes and the cloud'],
    sentences: [
      'Explains failing CI pipelines and suggests the change that makes them pass.',
      'Diagnoses Kubernetes clusters and writes the manifests to fix what it finds.',
      'Summarises incidents from logs and metrics and drafts the postmortem.',
    ],
    tags: ['ci-cd', 'kubernetes', 'infrastructure-as-code', 'incident-response', 'observability'],
    platforms: ['cli', 'api', 'web'],
  },
};

/** Tags any tool may carry, beside those of its categories. */
export const GENERAL_TAGS = [
  'typescript', 'python', 'rust', 'go', 'java', 'enterprise', 'open-core', 'byok', 'mcp',
  'team-plan', 'offline', 'soc2', 'fine-tuning', 'multi-language', 'monorepo',
] as const;

export const CLOSING_SENTENCES = [
  'Works with models from several vendors, or your own key.',
  'Offers a team plan with single sign-on and audit logs.',
  'Popular with small teams that want results without configuration.',
  'Supports large monorepos and polyglot codebases.',
  'Integrates with the issue tracker and chat tools the team already uses.',
] as const;
