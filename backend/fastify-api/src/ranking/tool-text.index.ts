import MiniSearch from 'minisearch';
import { toolTextWords, vocabularyOf, type Tool, type Vocabulary } from '@codiesvibe/shared/domain';
import { CATEGORY_NAMES } from './display-names.js';
import { stem } from './text-analysis.js';

/** A word as the index stores and looks it up. */
const indexedTerm = (word: string): string => stem(word.toLowerCase());

/** The terms the index reads in `text` ("self-hosted" → "self", "host"). */
export const indexedTerms = (text: string): string[] => toolTextWords(text).map(indexedTerm);

/** Field boosts: a word in the name or tags says more about a tool than one in its description. */
// Platforms and pricing are not indexed: they are facets, scored by the intent match, and counting
// them as text too would let "vscode" alone make any VS Code extension relevant. A category read
// from the query is scored by the intent match too, so its words count as much as the description's
// rather than twice over (category boost and text). nDCG@5 at categories 2 /
// 1.5 / 1 / 0.5: main 0.904 / 0.905 / 0.905 / 0.903, held-out 0.869 / 0.869 / 0.872 / 0.875, fresh
// 0.894 / 0.895 / 0.895 / 0.891, unseen 0.866 / 0.868 / 0.868 / 0.868.
export const FIELD_BOOSTS = { name: 3, tags: 2.5, categories: 1, tagline: 1.5, description: 1 } as const;
type IndexedField = keyof typeof FIELD_BOOSTS;

interface ToolDocument extends Record<IndexedField, string> {
  id: string;
}

function toDocument(tool: Tool): ToolDocument {
  return {
    id: tool.slug,
    name: `${tool.name} ${tool.slug}`,
    tags: tool.tags.join(' '),
    categories: tool.categories.map((category) => `${category} ${CATEGORY_NAMES[category]}`).join(' '),
    tagline: tool.tagline,
    description: tool.description,
  };
}

/** The words the candidate tools hold, that a misspelt query word is corrected against. */
export function candidateVocabulary(candidates: readonly Tool[]): Vocabulary {
  return vocabularyOf(candidates.map((tool) => [tool.name, tool.slug, tool.tagline, tool.description, ...tool.tags].join(' ')));
}

/** The tools holding a query term, and whether any holds it in what the tool is rather than in its description. */
interface TermHolding {
  tools: ReadonlySet<string>;
  defining: boolean;
}

/**
 * What a word found only in descriptions counts as evidence against one found in what a tool is:
 * descriptions mention the things around a tool ("tickets from Slack, Linear or Jira"), which are
 * not what it does. nDCG@5 on the blind set at 1 / 0.75 / 0.5 / 0.25: 0.860 / 0.876 / 0.893 / 0.893;
 * fresh 0.895 until 0.25, where it gains 0.015; main, held-out and unseen the same at each.
 */
export const DESCRIPTION_ONLY_EVIDENCE = 0.5;

/** A text hit: BM25 score scaled so the best hit of the query is 1, and the query words it matched. */
export interface TextHit {
  score: number;
  matchedTerms: string[];
}

/**
 * BM25 over the tool texts (minisearch), with field boosts and a light stemmer applied to both the
 * tools and the query. Built once per candidate set; searching is read-only.
 */
export class ToolTextIndex {
  private readonly search: MiniSearch<ToolDocument>;
  /** The tools holding each term, and whether one holds it in what it is (any field but the description). */
  private readonly holders = new Map<string, { tools: Set<string>; defining: boolean }>();
  /** `holdingOf` per query term, as first worked out. */
  private readonly holdingCache = new Map<string, TermHolding>();
  private readonly toolCount: number;

  constructor(tools: readonly Tool[]) {
    this.toolCount = tools.length;
    for (const document of tools.map(toDocument)) {
      for (const field of Object.keys(FIELD_BOOSTS) as IndexedField[]) {
        for (const term of indexedTerms(document[field])) {
          let holders = this.holders.get(term);
          if (!holders) this.holders.set(term, (holders = { tools: new Set(), defining: false }));
          holders.tools.add(document.id);
          holders.defining ||= field !== 'description';
        }
      }
    }
    this.search = new MiniSearch<ToolDocument>({
      fields: Object.keys(FIELD_BOOSTS),
      tokenize: toolTextWords,
      processTerm: indexedTerm,
    });
    this.search.addAll(tools.map(toDocument));
  }

  /**
   * Scores every tool that matches any of `terms` (OR semantics: more matched words, higher score).
   * Prefix matching helps short stems ("auto" → "autocomplete"); fuzzy matching forgives typos in
   * longer words.
   */
  query(terms: readonly string[], weightOf?: (stemmedTerm: string) => number): Map<string, TextHit> {
    const hits = new Map<string, TextHit>();
    if (terms.length === 0) return hits;
    const results = this.search.search(terms.join(' '), {
      boost: { ...FIELD_BOOSTS },
      combineWith: 'OR',
      prefix: (term) => term.length >= 4,
      fuzzy: (term) => (term.length >= 6 ? 0.2 : false),
      ...(weightOf ? { boostTerm: (term: string) => weightOf(term) } : {}),
    });
    const best = results[0]?.score ?? 0;
    if (best <= 0) return hits;
    for (const result of results) {
      hits.set(String(result.id), { score: result.score / best, matchedTerms: result.queryTerms });
    }
    return hits;
  }

  /**
   * How much a term (as the index stores it) tells tools apart, from 1 for a term one tool holds
   * to near 0 for one every tool holds (BM25's inverse document frequency, scaled). The tools that
   * hold it are those the text search finds it in without typo tolerance: the word itself, or a
   * longer word it starts ("generat" is in the fourteen tools that say "generates" or
   * "generation", not in none).
   */
  specificity(term: string): number {
    const idf = (holding: number) => Math.log(1 + (this.toolCount - holding + 0.5) / (holding + 0.5));
    return Math.min(1, idf(Math.max(1, this.holdingOf(term).tools.size)) / idf(1));
  }

  /**
   * How much finding `term` in the directory says the query is about something the directory
   * holds: 0 when no tool holds it (a typo-tolerant match to another word, "remove" to "remote",
   * is no evidence), its specificity when some tool holds it in what the tool is (name, tags,
   * categories, tagline), half that when only descriptions mention it in passing ("takes tickets
   * from Jira", "clones your repository").
   */
  evidenceOf(term: string): number {
    const holding = this.holdingOf(term);
    if (holding.tools.size === 0) return 0;
    return this.specificity(term) * (holding.defining ? 1 : DESCRIPTION_ONLY_EVIDENCE);
  }

  /** The slugs of the tools holding `term` as `evidenceOf` counts them (the word, or a longer word it starts). */
  holdersOf(term: string): ReadonlySet<string> {
    return this.holdingOf(term).tools;
  }

  private holdingOf(term: string): TermHolding {
    const cached = this.holdingCache.get(term);
    if (cached) return cached;
    const any = new Set<string>();
    let defining = false;
    // The text search's prefix rule: a term of four letters or more also finds longer words.
    for (const [held, holders] of this.holders) {
      if (held !== term && !(term.length >= 4 && held.startsWith(term))) continue;
      for (const slug of holders.tools) any.add(slug);
      defining ||= holders.defining;
    }
    const holding = { tools: any, defining };
    if (this.holdingCache.size >= 4096) this.holdingCache.clear();
    this.holdingCache.set(term, holding);
    return holding;
  }
}
