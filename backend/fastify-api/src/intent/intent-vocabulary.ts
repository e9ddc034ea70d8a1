import type { PricingModel, ToolCategory, ToolPlatform } from '@codiesvibe/shared/domain';

/**
 * One phrase family of the rule-based intent parser: what users write, what it means for the
 * structured intent, and which words the text search should also look for.
 */
export interface IntentRule {
  /** Matched against the lower-cased query; the whole match is taken out of the intent text. */
  pattern: RegExp;
  categories?: ToolCategory[];
  platforms?: ToolPlatform[];
  pricing?: PricingModel[];
  openSource?: boolean;
  /**
   * The query names the license itself ("open source", "proprietary"), rather than implying it
   * ("self-hosted" suggests open source, but a self-hostable commercial tool still answers it).
   */
  namesLicense?: true;
  /** Words added to the text query, so the tool texts are searched with our vocabulary. */
  expandTo?: string[];
  /**
   * Whether the matched words stay in the text search too. True for words that describe what a
   * tool does ("tests"), false for words that only filter ("free", "vs code").
   */
  keepText?: boolean;
  /**
   * The pattern's `unwanted` group names what the user does not want ("vscode fork" in "isn't a
   * vscode fork"): tools that are that rank after the others.
   */
  negates?: true;
}

/**
 * Programming, query and markup languages and the best-known frameworks and data formats: words
 * that say a query is about writing code even when no tool names them ("ai for writing sql"), so
 * the assistants that write any code answer it (see the ranker). Words that are common English too
 * ("go", "c", "r", "express", "spring", "rails") are left out.
 */
export const CODE_LANGUAGES: ReadonlySet<string> = new Set(
  (
    'sql mysql postgres postgresql plsql tsql nosql sqlite mongodb redis graphql ' +
    'python javascript typescript java kotlin scala groovy clojure swift objective-c dart flutter ' +
    'rust golang c++ cpp c# csharp f# php ruby perl lua haskell elixir erlang ocaml julia matlab ' +
    'fortran cobol vba wasm webassembly solidity bash zsh powershell html css scss sass regex ' +
    'yaml json xml toml latex react vue angular svelte jquery django flask fastapi laravel symfony ' +
    'nodejs node.js deno nextjs next.js nuxt dotnet pandas numpy pytorch tensorflow jupyter ' +
    'dockerfile ansible'
  ).split(' '),
);

/** Any of `CODE_LANGUAGES` as a whole word of a query ("c++" and "node.js" included). */
const CODE_LANGUAGE_WORD = `(?<![\\w.+#-])(${[...CODE_LANGUAGES].map((word) => word.replace(/[.+#]/g, '\\$&')).join('|')})(?![\\w+#-])`;

/*
 * Order matters: longer, more specific phrases come first so that "free tier" is read before
 * "free" and "code review" before "review". Every pattern uses word boundaries and not the `g`
 * flag: a rule reads the query once, then every phrase it matched leaves the text.
 */
export const INTENT_RULES: readonly IntentRule[] = [
  // Pricing and licensing.
  { pattern: /\b(free tier|free plan|freemium)\b/, pricing: ['freemium', 'free'] },
  {
    pattern: /\b(closed[- ]source|proprietary|(not|non)[- ](open[- ]?source|oss))\b/,
    openSource: false,
    namesLicense: true,
  },
  // "open source" before a noun such as "packages" names what the tool works on, not its license:
  // "malware detection in open source packages" wants a scanner of any license.
  {
    pattern:
      /\b(open[- ]?source|oss|foss|libre)\b(?! (packages?|dependenc\w*|librar\w*|projects?|repos|repositor\w*|maintainers?|contribut\w*|communit\w*|ecosystems?|supply[- ]chains?|components?|licen[cs]\w*))/,
    openSource: true,
    namesLicense: true,
  },
  {
    pattern:
      /\b(free|no cost|costs? nothing|gratis|without paying|cheap|cheaper|cheapest|inexpensive|affordable|low[- ]cost|budget|zero cost)\b/,
    pricing: ['free', 'open-source'],
  },
  { pattern: /\b(paid|commercial|premium)\b/, pricing: ['paid'] },
  // Before the self-hosting words it holds ("run models locally" is a model runner).
  {
    pattern:
      /\b(local (llms?|models?)|runs? (llms?|models?) locally|llms? locally|self[- ]?hosted (llms?|models?)|open[- ]weights?|local inference|(run|running|runs|serve|serving) (open |local |ai |language |large language )?(llms?|models?))\b/,
    categories: ['self-hosted-model'],
    expandTo: ['local', 'models', 'llm'],
    keepText: true,
  },
  {
    pattern:
      /\b(self[- ]?hosted|self[- ]?host(ing)?|on[- ]?prem(ise|ises)?|air[- ]?gapped|offline|banks?|banking|regulated|hipaa|gdpr|compliance|data (never|doesn'?t|does not) leave\w*|own (servers?|infrastructure|hardware|network|gpus?)|private|privacy|locally|on[- ]device|behind (a|the|our) firewall|(no|without( an?| any)?) (internet|network|cloud|connection)( access| connection)?|(not|never) (in the cloud|online|cloud[- ]?(based|hosted)?|hosted)|non[- ]?cloud|(without|never|not|no) [a-z' ]{0,30}?\b(to|in|on|through|via|over) (the |a |any )?(cloud|internet|online services?|third[- ]part(y|ies)( servers?)?)( servers?)?)\b/,
    openSource: true,
    expandTo: ['self-hosted', 'on-prem', 'privacy', 'local'],
  },
  // Before the platforms, so "build a web app" is read as an app builder, not as the web platform.
  {
    pattern:
      /\b(app builders?|build(ing)? (an? |my )?(web |mobile |full-?stack )?(apps?|websites?|mvp|prototypes?|saas)|no-?code|low-?code|without (coding|code|writing code)|prototyp\w*|full-?stack apps?|website builder|non-?(developers?|coders?|technical)|(no|without( any)?) (engineers?|developers?|coders?|programmers?|technical (skills?|people|staff|team))|(not|non|never) (a |an )?(engineers?|developers?|coders?|programmers?))\b/,
    categories: ['app-builder'],
    expandTo: ['app', 'builder', 'generation'],
    keepText: true,
  },
  // Without a GPU, models run on the CPU of ordinary hardware.
  {
    pattern:
      /\b((no|without( an?| any)?|(does|do)(n'?t| not) (need|require)( an?)?) (dedicated |discrete )?gpus?( required)?|cpu[- ]only|on (the |a )?cpus?|consumer hardware)\b/,
    expandTo: ['cpu', 'consumer', 'hardware'],
  },
  // What the user does not want ("not cloud-based", "isn't a vscode fork") is no word to search
  // for: a tool that mentions it is no better an answer. After the rules that read a negation as a
  // wish ("no-code", "no cost", "without internet"), before those that would read the words as one.
  {
    pattern:
      /\b(?:not|no|non|without|never|isn'?t|aren'?t|(?:does|do)(?:n'?t| not) (?:need|want|use|require))[- ](?:(?:an?|any|the|in|on|from|by|for|made by|based on) )*(?<unwanted>[a-z0-9][\w.+-]*(?: (?!(?:and|or|but|with|for|in|on|that|which|to|by)\b)[a-z0-9][\w.+-]*)?)/,
    negates: true,
  },
  // Platforms.
  // A plugin for an IDE runs inside the editors people already have; it is not an editor itself.
  {
    pattern:
      /\b((ides?|editors?) (plugins?|extensions?|add-?ons?|integrations?)|(plugins?|extensions?|add-?ons?) for (my |an? |the |your )?(ides?|editors?))\b/,
    platforms: ['vscode', 'jetbrains', 'neovim'],
  },
  { pattern: /\b(vs[- ]?code|visual[- ]studio[- ]code)\b/, platforms: ['vscode'], expandTo: ['vscode'] },
  // A comparison ("cursor vs windsurf"): the tools compared are the content. After "vs code".
  { pattern: /\b(vs\.?|versus|compared (to|with)|comparison|comparing|difference between)(?=\s|$)/ },
  {
    pattern:
      /\b(intellij( idea)?|jet[- ]?brains|pycharm|webstorm|goland|rider|phpstorm|clion|rubymine|android studio)\b/,
    platforms: ['jetbrains'],
    // A tool named after the IDE family is made for it: worth a text match, unlike "web" or "cli".
    expandTo: ['jetbrains', 'intellij'],
  },
  { pattern: /\b(neo[- ]?vim|nvim|vim)\b/, platforms: ['neovim'], expandTo: ['neovim'] },
  { pattern: /\b(browser extension|chrome extension|firefox extension)\b/, platforms: ['browser-extension'] },
  {
    pattern: /\b(command[- ]line|terminal|shell|cli)\b/,
    platforms: ['cli'],
    categories: ['terminal'],
    expandTo: ['terminal', 'cli'],
    keepText: true,
  },
  { pattern: /\b(in the browser|browser[- ]based|web[- ]based|online|web app)\b/, platforms: ['web'] },
  {
    pattern:
      /\b(desktop apps?|desktop|(mac|macos|windows|linux)( apps?)?|on my (own )?(laptop|computer|machine|mac|pc))\b/,
    platforms: ['desktop'],
    expandTo: ['desktop', 'computer'],
  },
  {
    pattern: /\b(github|pull requests?|prs?)\b/,
    platforms: ['github'],
    expandTo: ['github', 'pull-request'],
    keepText: true,
  },
  { pattern: /\b(api|sdk)\b/, platforms: ['api'], keepText: true },
  // Categories: what the tool should do.
  {
    pattern: /\b(code review(s|ers?)?|review(s|ing|ed|ers?)?)\b/,
    categories: ['code-review'],
    expandTo: ['review'],
    keepText: true,
  },
  {
    pattern: /\b(auto[- ]?complet\w*|code completions?|completions?|tab complet\w*|inline suggestions?)\b/,
    categories: ['code-completion'],
    expandTo: ['completion', 'autocomplete'],
    keepText: true,
  },
  {
    pattern: /\b(agents?|agentic|autonomous\w*|multi-file|implement\w* features?)\b/,
    categories: ['coding-agent'],
    expandTo: ['agent'],
    keepText: true,
  },
  {
    pattern: /\b(unit tests?|test generation|test(s|ing|ed|ers?)?|e2e|end-to-end|qa|coverage)\b/,
    categories: ['testing'],
    expandTo: ['test', 'testing'],
    keepText: true,
  },
  {
    pattern: /\b(docs|document(ation|ing|ed)?|docstrings?|readmes?|api reference|comments)\b/,
    categories: ['documentation'],
    expandTo: ['documentation', 'docs'],
    keepText: true,
  },
  {
    pattern: /\b(security|secure|vulnerabilit\w*|scan(s|ning|ners?)?|sast|secrets?|cves?|exploits?|appsec|injection)\b/,
    categories: ['security'],
    expandTo: ['security', 'vulnerability'],
    keepText: true,
  },
  // Moving code to a new version or language is what code transformation and upgrade tools do,
  // and coding agents (since 2026-12-08: the labelled sets are the same with and without them).
  { pattern: /\b(migrat\w*|upgrad\w*|port(ing)? (it |my \w+ |the \w+ )?(to|from))\b/, categories: ['coding-agent'], expandTo: ['upgrade', 'transformation'], keepText: true },
  // Converting or rewriting code into another language or framework ("convert javascript to
  // typescript", "rewrite this jquery code in react") is a migration too: only when a language is
  // named, so "convert pdf to word" stays a query the directory has nothing for.
  {
    pattern: new RegExp(`\\b(convert\\w*|rewrit\\w*|translat\\w*|transpil\\w*)\\b(?:(?=.*${CODE_LANGUAGE_WORD})|(?<=${CODE_LANGUAGE_WORD}.*))`),
    categories: ['coding-agent'],
    expandTo: ['upgrade', 'transformation'],
    keepText: true,
  },
  // A Docker image is a container image: scanning one is container security, not DevOps.
  { pattern: /\b((docker|container|oci) images?|containers?)\b/, expandTo: ['container'], keepText: true },
  {
    pattern:
      /\b(devops|ci\/cd|ci|cd|infrastructure|kubernetes|k8s|terraform|docker|incidents?|pipelines?|cloud ops)\b/,
    categories: ['devops'],
    expandTo: ['devops', 'infrastructure'],
    keepText: true,
  },
  {
    pattern: /\b(ides?|code editors?|editors?)\b/,
    categories: ['ide'],
    expandTo: ['ide', 'editor'],
    keepText: true,
  },
  // "code" alone is a stop word, but a code assistant is a completion or chat tool, not any assistant;
  // so is a copilot, GitHub's or another ("self-hosted copilot").
  {
    pattern: /\b(cod(e|ing) (assistants?|helpers?|copilots?)|ai pair programmers?|co-?pilots?)\b/,
    categories: ['code-completion', 'chat-assistant'],
    expandTo: ['assistant', 'completion'],
    keepText: true,
  },
  {
    pattern: /\b(chat\w*|assistants?|ask questions|explain\w* code)\b/,
    categories: ['chat-assistant'],
    expandTo: ['chat', 'assistant'],
    keepText: true,
  },
];

/**
 * A query of nothing but words every tool shares ("best AI for coding", "AI tools for
 * developers") asks for what the directory is about: assistants that write code with you. The
 * parser reads it so only when no other rule read anything and no other word is left.
 */
export const GENERAL_CODING_RULE: IntentRule = {
  pattern: /\b(ai|cod(e|es|ing|ers?)|program(s|ming|mers?)?|developers?|devs?|software)\b/,
  categories: ['code-completion', 'chat-assistant', 'coding-agent'],
  expandTo: ['assistant', 'completion', 'agent'],
};

/**
 * "alternative to X", "instead of X", "similar to X", "apps like X", "cheaper than X", "X
 * alternatives", "X-like", "like X but ...": the user names a tool and wants others like it.
 * Group 1 is the tool's name as written (at most three words), possibly led by qualifiers ("open
 * source cursor alternative") the parser gives back. A comparative ("cheaper than X") stays in the
 * query: it says how the answer should differ.
 */
export const SIMILAR_TO_PATTERNS: readonly RegExp[] = [
  /\b(?:alternatives? (?:to|for)|instead of|rather than|similar to|replacements? (?:for|of)|replace|competitors? (?:of|to)|(?:something|anything|tools?|apps?|editors?|ides?|agents?|assistants?|extensions?|plugins?|services?|products?|platforms?|options?|ones?|models?|programs?) like|(?<=\b(?:\w+er|more \w+|less \w+) )than)\s+([a-z0-9][\w.+-]*(?:\s+[a-z0-9][\w.+-]*){0,2}?)(?=\s+(?:for|with|that|which|in|on|but|and|to)\b|[?!,.]|\s*$)/,
  /\b([a-z0-9][\w.+]*)-like\b/,
  /\b([a-z0-9][\w.+-]*(?:\s+[a-z0-9][\w.+-]*){0,3}?)\s+(?:alternatives?|competitors?|replacements?)\b/,
  // "like claude code but open source": the words after "but" say how it should differ.
  /\blike\s+([a-z0-9][\w.+-]*(?:\s+[a-z0-9][\w.+-]*){0,2}?)(?=\s+but\b)/,
];

/**
 * Words that carry no meaning for ranking tools: grammar, politeness, and words every tool in the
 * directory shares ("ai", "tool", "code").
 */
export const STOP_WORDS: ReadonlySet<string> = new Set(
  (
    'a an and are as at be best better but by can could do does for from get good great give help i ' +
    'if in into is it its me my need needs of on or our please recommend recommendation should show ' +
    'some something that the their them there these this those to tool tools us use using want was ' +
    'we what which who will with would you your looking find like any ai app apps software ' +
    'thing things way ways alternative alternatives similar top' +
    ' code coding developer developers dev devs programming' +
    // Question words ("how do i ...", "why is my ..."): what follows says what the user wants.
    ' how why where when whats am been has have had just really very so than too also about more most' +
    // Negations are read by the rules ("not cloud-based"); alone ("no" of a no-code tag) they say nothing.
    ' no not' +
    // What is left of contractions ("it's", "i'm", "don't") once the apostrophe splits them.
    ' s m d t ll ve re don doesn isn aren won'
  ).split(' '),
);

/**
 * A monthly budget: "under $20 a month", "less than 15 dollars/month", "at most $10". Group 1
 * says whether the limit itself is allowed, group 2 is the amount. A bare number needs a currency
 * or "a month" ("under 5 minutes" is no price).
 */
export const PRICE_CEILING_PATTERN =
  /\b(under|below|less than|cheaper than|at most|up to|no more than|max(?:imum)?|within)\s+(?:\$\s*(\d+(?:\.\d+)?)|(\d+(?:\.\d+)?)\s*(?:\$|dollars?|usd|bucks|(?=(?:\s*(?:a|per|\/)\s*(?:month|mo)\b))))(?:\s*(?:a|per|\/)\s*(?:month|mo)\b)?/;
