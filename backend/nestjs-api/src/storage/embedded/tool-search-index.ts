import {
  PRICING_MODELS,
  TOOL_CATEGORIES,
  TOOL_PLATFORMS,
  type FacetCount,
  type ToolFacets,
  type ToolFilters,
} from '@codiesvibe/shared/domain';
import {
  EXACT_NAME_BONUS,
  FIELD_WEIGHTS,
  PHRASE_IN_NAME_BONUS,
  type WeightedField,
} from '../../search/relevance.js';

/**
 * The embedded store's search index, held in each process: which tools contain each word and in
 * which fields, plus each tool's facet values as bit masks. A text query then costs one pass over
 * the posting lists of its words (no table rows read), scores every match with the shared formula
 * of search/relevance.ts (same values as `relevanceScore`), keeps only the best `limit + 1` in a
 * bounded list, and counts facets over the match set in the same pass. Only the records of the
 * page are read from SQLite afterwards. At 100,000 tools it holds about 30 MiB.
 *
 * It is a snapshot: the repository rebuilds it after its own writes and when another replica
 * committed (SQLite's data_version), before answering the next query.
 */

/** One row per tool, as read from the `tools` table and its facet tables. */
export interface IndexedToolRow {
  id: number;
  slug: string;
  pricing_model: string;
  open_source: number;
  name_words: string;
  tag_words: string;
  tagline_words: string;
  description_words: string;
  name_phrase: string;
}

/** Field bits of a posting, in the order of `FIELDS`. */
const FIELDS: readonly WeightedField[] = ['name', 'tags', 'tagline', 'description'];
const COLUMN_OF: Record<WeightedField, keyof IndexedToolRow> = {
  name: 'name_words',
  tags: 'tag_words',
  tagline: 'tagline_words',
  description: 'description_words',
};
const FIELD_BITS = 4;
const FIELD_MASK = (1 << FIELD_BITS) - 1;

/**
 * The score a word adds given which fields hold it exactly (low 4 bits) or as a prefix of a word
 * (high 4 bits): per field the exact weight, else the prefix weight. Precomputed for all 256.
 */
const CONTRIBUTION = Float64Array.from({ length: 256 }, (_, hits) => {
  let score = 0;
  FIELDS.forEach((field, bit) => {
    if (hits & (1 << bit)) score += FIELD_WEIGHTS[field].exact;
    else if (hits & (1 << (bit + FIELD_BITS))) score += FIELD_WEIGHTS[field].prefix;
  });
  return score;
});

/** Bit of each vocabulary value; values outside the vocabulary have none (never filtered or counted). */
const bitOf = (vocabulary: readonly string[]) => new Map(vocabulary.map((value, index) => [value, 1 << index]));
const CATEGORY_BIT = bitOf(TOOL_CATEGORIES);
const PLATFORM_BIT = bitOf(TOOL_PLATFORMS);
const PRICING_INDEX = new Map<string, number>(PRICING_MODELS.map((value, index) => [value, index]));

/** A place in the relevance order: the score, then the slug ascending. */
export interface RankPosition {
  key: number;
  slug: string;
}

/** The best matches after the cursor (at most `limit + 1`, best first) and how many match. */
export interface RankedIds {
  ids: number[];
  positions: RankPosition[];
  total: number;
}

export class ToolSearchIndex {
  readonly size: number;
  readonly #ids: Int32Array;
  readonly #slugs: string[];
  readonly #namePhrases: string[];
  readonly #categories: Uint32Array;
  readonly #platforms: Uint32Array;
  readonly #pricing: Uint8Array;
  readonly #openSource: Uint8Array;
  /** Every distinct word, sorted, so the words a prefix matches are one contiguous range. */
  readonly #terms: string[];
  /** Postings of term k: `#postings[#offsets[k] .. #offsets[k + 1]]`, each `tool << 4 | fields`. */
  readonly #offsets: Int32Array;
  readonly #postings: Int32Array;
  /** Per-query scratch, reused: the running score, how many words matched, this word's field hits. */
  readonly #score: Float64Array;
  readonly #matched: Uint8Array;
  readonly #hits: Uint8Array;
  /** The counts over every tool (the home page's facets), computed once per snapshot. */
  #allFacets: ToolFacets | undefined;

  constructor(
    rows: readonly IndexedToolRow[],
    categories: Iterable<{ tool_id: number; category: string }>,
    platforms: Iterable<{ tool_id: number; platform: string }>,
  ) {
    const size = rows.length;
    this.size = size;
    this.#ids = new Int32Array(size);
    this.#slugs = new Array<string>(size);
    this.#namePhrases = new Array<string>(size);
    this.#categories = new Uint32Array(size);
    this.#platforms = new Uint32Array(size);
    this.#pricing = new Uint8Array(size);
    this.#openSource = new Uint8Array(size);
    const positionOfId = new Map<number, number>();
    const postingsOf = new Map<string, number[]>();
    const fieldsOfWord = new Map<string, number>();
    rows.forEach((row, tool) => {
      this.#ids[tool] = row.id;
      this.#slugs[tool] = row.slug;
      this.#namePhrases[tool] = row.name_phrase;
      this.#pricing[tool] = PRICING_INDEX.get(row.pricing_model) ?? 255;
      this.#openSource[tool] = row.open_source;
      positionOfId.set(row.id, tool);
      fieldsOfWord.clear();
      FIELDS.forEach((field, bit) => {
        for (const word of (row[COLUMN_OF[field]] as string).split(' ')) {
          if (word) fieldsOfWord.set(word, (fieldsOfWord.get(word) ?? 0) | (1 << bit));
        }
      });
      for (const [word, fields] of fieldsOfWord) {
        let list = postingsOf.get(word);
        if (!list) postingsOf.set(word, (list = []));
        list.push((tool << FIELD_BITS) | fields);
      }
    });
    for (const { tool_id, category } of categories) {
      const tool = positionOfId.get(tool_id);
      if (tool !== undefined) this.#categories[tool]! |= CATEGORY_BIT.get(category) ?? 0;
    }
    for (const { tool_id, platform } of platforms) {
      const tool = positionOfId.get(tool_id);
      if (tool !== undefined) this.#platforms[tool]! |= PLATFORM_BIT.get(platform) ?? 0;
    }
    this.#terms = [...postingsOf.keys()].sort();
    this.#offsets = new Int32Array(this.#terms.length + 1);
    let total = 0;
    this.#terms.forEach((term, k) => {
      this.#offsets[k] = total;
      total += postingsOf.get(term)!.length;
    });
    this.#offsets[this.#terms.length] = total;
    this.#postings = new Int32Array(total);
    this.#terms.forEach((term, k) => this.#postings.set(postingsOf.get(term)!, this.#offsets[k]));
    this.#score = new Float64Array(size);
    this.#matched = new Uint8Array(size);
    this.#hits = new Uint8Array(size);
  }

  /**
   * The tools matching every filter, as positions in this index: every query word a prefix of
   * one of the tool's words (scored on the way), OR within a facet, AND across. `tokens` empty:
   * every tool passes the text part. Tag filters are not held here; the caller answers them in SQL.
   */
  #matching(filters: ToolFilters, tokens: readonly string[]): number[] {
    const wantCategories = maskOf(filters.category, CATEGORY_BIT);
    const wantPlatforms = maskOf(filters.platform, PLATFORM_BIT);
    const wantPricing = filters.pricing?.length ? new Set(filters.pricing.map((model) => PRICING_INDEX.get(model))) : undefined;
    const wantOpen = filters.openSource === undefined ? undefined : filters.openSource ? 1 : 0;
    const passes = (tool: number): boolean =>
      (wantCategories === undefined || (this.#categories[tool]! & wantCategories) !== 0) &&
      (wantPlatforms === undefined || (this.#platforms[tool]! & wantPlatforms) !== 0) &&
      (wantPricing === undefined || wantPricing.has(this.#pricing[tool])) &&
      (wantOpen === undefined || this.#openSource[tool] === wantOpen);
    if (tokens.length === 0) {
      const all: number[] = [];
      for (let tool = 0; tool < this.size; tool++) if (passes(tool)) all.push(tool);
      return all;
    }
    return this.#textMatches(tokens).filter(passes);
  }

  /** Positions of the tools holding every token as a word prefix; leaves each one's score in `#score`. */
  #textMatches(tokens: readonly string[]): number[] {
    const score = this.#score;
    const matched = this.#matched;
    const hits = this.#hits;
    score.fill(0);
    matched.fill(0);
    let survivors: number[] = [];
    tokens.forEach((token, done) => {
      const touched: number[] = [];
      const [first, end] = this.#termRange(token);
      for (let term = first; term < end; term++) {
        // The exact word sits at the start of its own prefix range.
        const shift = this.#terms[term] === token ? 0 : FIELD_BITS;
        for (let at = this.#offsets[term]!, stop = this.#offsets[term + 1]!; at < stop; at++) {
          const posting = this.#postings[at]!;
          const tool = posting >>> FIELD_BITS;
          if (matched[tool] !== done) continue; // missed an earlier word: out already
          if (hits[tool] === 0) touched.push(tool);
          hits[tool]! |= (posting & FIELD_MASK) << shift;
        }
      }
      for (const tool of touched) {
        matched[tool] = done + 1;
        score[tool]! += CONTRIBUTION[hits[tool]!]!;
        hits[tool] = 0;
      }
      survivors = touched;
    });
    const phrase = ` ${tokens.join(' ')} `;
    for (const tool of survivors) {
      const name = this.#namePhrases[tool]!;
      if (name === phrase) score[tool]! += EXACT_NAME_BONUS;
      else if (name.includes(phrase)) score[tool]! += PHRASE_IN_NAME_BONUS;
      score[tool] = Math.round(score[tool]! * 1000) / 1000;
    }
    return survivors;
  }

  /** The range of terms starting with `prefix` (terms are [a-z0-9]+, and `{` sorts after `z`). */
  #termRange(prefix: string): [number, number] {
    return [lowerBound(this.#terms, prefix), lowerBound(this.#terms, `${prefix}{`)];
  }

  /**
   * The best `limit + 1` matches of a text query in relevance order (score descending, slug
   * ascending) strictly after `after`, with the total number of matches. Bounded: one pass over
   * the matches keeps a sorted list of at most `limit + 1` entries.
   */
  rank(filters: ToolFilters, tokens: readonly string[], after: RankPosition | undefined, limit: number): RankedIds {
    const matches = this.#matching(filters, tokens);
    const keep = limit + 1;
    const best: number[] = [];
    const score = this.#score;
    const slugs = this.#slugs;
    // a ranks before b
    const before = (a: number, b: number) => score[a]! > score[b]! || (score[a] === score[b] && slugs[a]! < slugs[b]!);
    for (const tool of matches) {
      if (after && !(score[tool]! < after.key || (score[tool] === after.key && slugs[tool]! > after.slug))) continue;
      if (best.length === keep && !before(tool, best[keep - 1]!)) continue;
      let at = best.length === keep ? keep - 1 : best.length;
      while (at > 0 && before(tool, best[at - 1]!)) {
        best[at] = best[at - 1]!;
        at--;
      }
      best[at] = tool;
      if (best.length > keep) best.length = keep;
    }
    return {
      ids: best.map((tool) => this.#ids[tool]!),
      positions: best.map((tool) => ({ key: score[tool]!, slug: slugs[tool]! })),
      total: matches.length,
    };
  }

  /** Counts per category, pricing model and platform among the matches, every vocabulary value included. */
  facets(filters: ToolFilters, tokens: readonly string[]): ToolFacets {
    const unfiltered =
      tokens.length === 0 && !filters.category?.length && !filters.platform?.length && !filters.pricing?.length && filters.openSource === undefined;
    if (unfiltered) return (this.#allFacets ??= this.#countFacets(filters, tokens));
    return this.#countFacets(filters, tokens);
  }

  #countFacets(filters: ToolFilters, tokens: readonly string[]): ToolFacets {
    const matches = this.#matching(filters, tokens);
    const categories = new Array<number>(TOOL_CATEGORIES.length).fill(0);
    const platforms = new Array<number>(TOOL_PLATFORMS.length).fill(0);
    const pricing = new Array<number>(PRICING_MODELS.length).fill(0);
    for (const tool of matches) {
      countBits(this.#categories[tool]!, categories);
      countBits(this.#platforms[tool]!, platforms);
      const model = this.#pricing[tool]!;
      if (model < pricing.length) pricing[model]!++;
    }
    const counted = <T extends string>(vocabulary: readonly T[], counts: number[]): FacetCount<T>[] =>
      vocabulary.map((value, index) => ({ value, count: counts[index] ?? 0 }));
    return {
      categories: counted(TOOL_CATEGORIES, categories),
      pricing: counted(PRICING_MODELS, pricing),
      platforms: counted(TOOL_PLATFORMS, platforms),
      total: matches.length,
    };
  }
}

function maskOf(values: readonly string[] | undefined, bits: Map<string, number>): number | undefined {
  if (!values?.length) return undefined;
  return values.reduce((mask, value) => mask | (bits.get(value) ?? 0), 0);
}

function countBits(mask: number, counts: number[]): void {
  for (let bit = 0; mask !== 0; bit++, mask >>>= 1) if (mask & 1) counts[bit]!++;
}

/** The first index whose value is not below `value` (binary search over sorted strings). */
function lowerBound(sorted: readonly string[], value: string): number {
  let low = 0;
  let high = sorted.length;
  while (low < high) {
    const middle = (low + high) >>> 1;
    if (sorted[middle]! < value) low = middle + 1;
    else high = middle;
  }
  return low;
}
