import {
  lowerBound,
  PRICING_MODELS,
  TOOL_CATEGORIES,
  TOOL_PLATFORMS,
  type ToolFacets,
  type ToolFilters,
} from '@codiesvibe/shared/domain';
import { FIELD_WEIGHTS, nameBonusOf, roundedScore, type WeightedField } from '../../search/relevance.js';
import type { Vocabulary } from '../../search/spelling.js';
import { facetsOfCounts } from '../facet-counts.js';
import type { ToolRow } from './tool-row.js';

/**
 * The embedded store's search index, held in each process: which tools contain each word and in
 * which fields (posting lists), the same the other way round (each tool's words, so a broad word
 * after a rare one is checked on the few survivors instead of scanning its postings), and each
 * tool's facet values as bit masks. A text query costs one pass over the postings of its rarest
 * word, then per other word the cheaper of a posting scan or a lookup per survivor; it scores
 * with the shared formula of search/relevance.ts (same values as `relevanceScore`), keeps the
 * best `limit + 1` in a bounded list and counts facets over the match set. All per-query state
 * lives in typed arrays allocated once per snapshot, so a query allocates nothing in proportion
 * to the directory. Only the records of the page are read from SQLite afterwards.
 *
 * It is a snapshot: the repository rebuilds it after its own writes and when another replica
 * committed (SQLite's data_version), before answering the next query.
 */

/** One row per tool, as read from the `tools` table and its facet tables. */
export type IndexedToolRow = { id: number } & Pick<
  ToolRow,
  | 'slug'
  | 'pricing_model'
  | 'open_source'
  | 'name_words'
  | 'tag_words'
  | 'tagline_words'
  | 'description_words'
  | 'name_phrase'
>;

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
/** The exact-word bit of the name field: the phrase bonuses need every query word there. */
const EXACT_NAME_BIT = 1;

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

/**
 * A survivor is checked through its own word list instead of the word's postings when the
 * postings outnumber the survivors by this factor (a lookup costs a binary search in ~40 words).
 */
const LOOKUP_FACTOR = 8;

/** Bit of each vocabulary value; values outside the vocabulary have none (never filtered or counted). */
const bitOf = (vocabulary: readonly string[]) =>
  new Map(vocabulary.map((value, index) => [value, 1 << index]));
const CATEGORY_BIT = bitOf(TOOL_CATEGORIES);
const PLATFORM_BIT = bitOf(TOOL_PLATFORMS);
const PRICING_INDEX = new Map<string, number>(PRICING_MODELS.map((value, index) => [value, index]));
const NO_PRICING = 255;

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

/** A query word resolved against the term list: its prefix range and where its exact term is. */
interface WordRange {
  token: string;
  first: number;
  end: number;
  /** The term equal to the word (it sorts first in its own range), or -1. */
  exact: number;
  postings: number;
}

/** The non-text filters as masks over the per-tool facet arrays; undefined: not filtered. */
interface FacetFilter {
  categories: number | undefined;
  platforms: number | undefined;
  /** Bit per pricing model index. */
  pricing: number | undefined;
  openSource: number | undefined;
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
  /** Postings of term k: `#postings[#termStart[k] .. #termStart[k + 1]]`, each `tool << 4 | fields`, by tool. */
  readonly #termStart: Int32Array;
  readonly #postings: Int32Array;
  /** Built on the first query that matches nothing (see search/spelling.ts). */
  #vocabulary: Vocabulary | undefined;
  /** Words of tool t: `#toolWords[#toolStart[t] .. #toolStart[t + 1]]`, each `term << 4 | fields`, by term. */
  readonly #toolStart: Int32Array;
  readonly #toolWords: Int32Array;
  /** Per-query scratch (queries run one at a time in this process), reused across queries. */
  readonly #score: Float64Array;
  /** This word's field hits per tool; back to 0 after each word. */
  readonly #hits: Uint8Array;
  /** How many query words so far were exact words of the tool's name. */
  readonly #exactInName: Uint8Array;
  /** `#stamp` marks the survivors of the current step, so no per-query clearing pass is needed. */
  readonly #mark: Uint32Array;
  #stamp = 0;
  /** The survivors (positions), and room to collect the next step's. */
  #survivors: Int32Array;
  #spare: Int32Array;
  /** The counts over every tool (the home page's facets), computed once per snapshot. */
  #allFacets: ToolFacets | undefined;

  constructor(
    unorderedRows: readonly IndexedToolRow[],
    categories: Iterable<{ tool_id: number; category: string }>,
    platforms: Iterable<{ tool_id: number; platform: string }>,
  ) {
    // Tools are numbered in slug order, so the tie-break of the relevance order compares two
    // numbers instead of two strings (broad searches tie by the thousand). Rows read in slug
    // order already cost one pass here.
    const rows = [...unorderedRows].sort((a, b) => (a.slug < b.slug ? -1 : a.slug > b.slug ? 1 : 0));
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
    // Words get a provisional number in order of appearance; sorted numbers replace them below.
    const numberOf = new Map<string, number>();
    const words: string[] = [];
    let toolWords = new Int32Array(Math.max(16, size * 48));
    const toolStart = new Int32Array(size + 1);
    const fieldsOfWord = new Map<number, number>();
    let count = 0;
    rows.forEach((row, tool) => {
      this.#ids[tool] = row.id;
      this.#slugs[tool] = row.slug;
      this.#namePhrases[tool] = row.name_phrase;
      this.#pricing[tool] = PRICING_INDEX.get(row.pricing_model) ?? NO_PRICING;
      this.#openSource[tool] = row.open_source;
      positionOfId.set(row.id, tool);
      fieldsOfWord.clear();
      FIELDS.forEach((field, bit) => {
        for (const word of (row[COLUMN_OF[field]] as string).split(' ')) {
          if (!word) continue;
          let number = numberOf.get(word);
          if (number === undefined) {
            number = words.length;
            numberOf.set(word, number);
            words.push(word);
          }
          fieldsOfWord.set(number, (fieldsOfWord.get(number) ?? 0) | (1 << bit));
        }
      });
      if (count + fieldsOfWord.size > toolWords.length) {
        const grown = new Int32Array(Math.max(toolWords.length * 2, count + fieldsOfWord.size));
        grown.set(toolWords);
        toolWords = grown;
      }
      for (const [number, fields] of fieldsOfWord) toolWords[count++] = (number << FIELD_BITS) | fields;
      toolStart[tool + 1] = count;
    });
    for (const { tool_id, category } of categories) {
      const tool = positionOfId.get(tool_id);
      if (tool !== undefined) this.#categories[tool]! |= CATEGORY_BIT.get(category) ?? 0;
    }
    for (const { tool_id, platform } of platforms) {
      const tool = positionOfId.get(tool_id);
      if (tool !== undefined) this.#platforms[tool]! |= PLATFORM_BIT.get(platform) ?? 0;
    }

    const order = Array.from(words.keys()).sort((a, b) => (words[a]! < words[b]! ? -1 : 1));
    const sortedNumber = new Int32Array(words.length);
    order.forEach((provisional, sorted) => (sortedNumber[provisional] = sorted));
    this.#terms = order.map((provisional) => words[provisional]!);
    this.#toolStart = toolStart;
    this.#toolWords = toolWords.slice(0, count);
    const termStart = new Int32Array(words.length + 1);
    for (let tool = 0; tool < size; tool++) {
      const slice = this.#toolWords.subarray(toolStart[tool], toolStart[tool + 1]);
      for (let at = 0; at < slice.length; at++) {
        const term = sortedNumber[slice[at]! >>> FIELD_BITS]!;
        slice[at] = (term << FIELD_BITS) | (slice[at]! & FIELD_MASK);
        termStart[term + 1]!++;
      }
      slice.sort();
    }
    for (let term = 0; term < words.length; term++) termStart[term + 1]! += termStart[term]!;
    this.#termStart = termStart;
    // Filled tool by tool, so every posting list is in tool order.
    const fill = termStart.slice(0, words.length);
    this.#postings = new Int32Array(count);
    for (let tool = 0; tool < size; tool++) {
      for (let at = toolStart[tool]!, stop = toolStart[tool + 1]!; at < stop; at++) {
        const word = this.#toolWords[at]!;
        this.#postings[fill[word >>> FIELD_BITS]!++] = (tool << FIELD_BITS) | (word & FIELD_MASK);
      }
    }
    this.#score = new Float64Array(size);
    this.#hits = new Uint8Array(size);
    this.#exactInName = new Uint8Array(size);
    this.#mark = new Uint32Array(size);
    this.#survivors = new Int32Array(size);
    this.#spare = new Int32Array(size);
  }

  /**
   * The best `limit + 1` matches of a text query in relevance order (score descending, slug
   * ascending) strictly after `after`, with the total number of matches. Bounded: one pass over
   * the matches keeps a sorted list of at most `limit + 1` entries.
   */
  rank(
    filters: ToolFilters,
    tokens: readonly string[],
    after: RankPosition | undefined,
    limit: number,
  ): RankedIds {
    const matches = this.#matching(filters, tokens);
    const survivors = this.#survivors;
    const keep = limit + 1;
    const best: number[] = [];
    const score = this.#score;
    const slugs = this.#slugs;
    // a ranks before b (tools are numbered in slug order)
    const before = (a: number, b: number) => score[a]! > score[b]! || (score[a] === score[b] && a < b);
    for (let at = 0; at < matches; at++) {
      const tool = survivors[at]!;
      if (after && !(score[tool]! < after.key || (score[tool] === after.key && slugs[tool]! > after.slug)))
        continue;
      if (best.length === keep && !before(tool, best[keep - 1]!)) continue;
      let place = best.length === keep ? keep - 1 : best.length;
      while (place > 0 && before(tool, best[place - 1]!)) {
        best[place] = best[place - 1]!;
        place--;
      }
      best[place] = tool;
    }
    return {
      ids: best.map((tool) => this.#ids[tool]!),
      positions: best.map((tool) => ({ key: score[tool]!, slug: slugs[tool]! })),
      total: matches,
    };
  }

  /** Every word, sorted, with how many tools hold it (one posting per tool and word). */
  vocabulary(): Vocabulary {
    if (!this.#vocabulary) {
      const counts = new Int32Array(this.#terms.length);
      for (let term = 0; term < counts.length; term++) counts[term] = this.#termStart[term + 1]! - this.#termStart[term]!;
      this.#vocabulary = { terms: this.#terms, counts };
    }
    return this.#vocabulary;
  }

  /** Counts per category, pricing model and platform among the matches, every vocabulary value included. */
  facets(filters: ToolFilters, tokens: readonly string[]): ToolFacets {
    const unfiltered =
      tokens.length === 0 &&
      !filters.category?.length &&
      !filters.platform?.length &&
      !filters.pricing?.length &&
      filters.openSource === undefined;
    if (unfiltered) return (this.#allFacets ??= this.#countFacets(filters, tokens));
    return this.#countFacets(filters, tokens);
  }

  #countFacets(filters: ToolFilters, tokens: readonly string[]): ToolFacets {
    const matches = this.#matching(filters, tokens);
    const survivors = this.#survivors;
    const categories = new Int32Array(TOOL_CATEGORIES.length);
    const platforms = new Int32Array(TOOL_PLATFORMS.length);
    const pricing = new Int32Array(PRICING_MODELS.length);
    for (let at = 0; at < matches; at++) {
      const tool = survivors[at]!;
      countBits(this.#categories[tool]!, categories);
      countBits(this.#platforms[tool]!, platforms);
      const model = this.#pricing[tool]!;
      if (model < pricing.length) pricing[model]!++;
    }
    return facetsOfCounts({
      categories: [...categories],
      pricing: [...pricing],
      platforms: [...platforms],
      total: matches,
    });
  }

  /**
   * The tools matching every filter, left in `#survivors[0 .. returned count)` with their scores
   * in `#score`: every query word a prefix of one of the tool's words, OR within a facet, AND
   * across. `tokens` empty: every tool passes the text part. Tag filters are not held here; the
   * caller answers them in SQL.
   */
  #matching(filters: ToolFilters, tokens: readonly string[]): number {
    const facet: FacetFilter = {
      categories: maskOf(filters.category, CATEGORY_BIT),
      platforms: maskOf(filters.platform, PLATFORM_BIT),
      pricing: filters.pricing?.length
        ? filters.pricing.reduce((mask, model) => mask | pricingBit(PRICING_INDEX.get(model)), 0)
        : undefined,
      openSource: filters.openSource === undefined ? undefined : filters.openSource ? 1 : 0,
    };
    if (tokens.length === 0) {
      let count = 0;
      for (let tool = 0; tool < this.size; tool++)
        if (this.#passes(tool, facet)) this.#survivors[count++] = tool;
      return count;
    }
    // Rarest word first: it bounds the survivors every later word is checked on.
    const ranges = tokens.map((token) => this.#rangeOf(token)).sort((a, b) => a.postings - b.postings);
    let count = this.#firstWord(ranges[0]!, facet);
    for (const range of ranges.slice(1)) {
      if (count === 0) break;
      count = count * LOOKUP_FACTOR < range.postings ? this.#lookUpWord(range, count) : this.#scanWord(range);
    }
    const phrase = ` ${tokens.join(' ')} `;
    const survivors = this.#survivors;
    for (let at = 0; at < count; at++) {
      const tool = survivors[at]!;
      // The phrase bonuses need every word as a whole word of the name; skip the string test otherwise.
      const bonus =
        this.#exactInName[tool] === tokens.length ? nameBonusOf(this.#namePhrases[tool]!, phrase) : 0;
      this.#score[tool] = roundedScore(this.#score[tool]! + bonus);
    }
    return count;
  }

  #passes(tool: number, facet: FacetFilter): boolean {
    return (
      (facet.categories === undefined || (this.#categories[tool]! & facet.categories) !== 0) &&
      (facet.platforms === undefined || (this.#platforms[tool]! & facet.platforms) !== 0) &&
      (facet.pricing === undefined || (pricingBit(this.#pricing[tool]) & facet.pricing) !== 0) &&
      (facet.openSource === undefined || this.#openSource[tool] === facet.openSource)
    );
  }

  /** A fresh stamp for the next step's survivors; clears the marks when the counter would wrap. */
  #nextStamp(): number {
    if (this.#stamp === 0xffffffff) {
      this.#mark.fill(0);
      this.#stamp = 0;
    }
    return ++this.#stamp;
  }

  /** The first (rarest) word: scan its postings, keep the tools that pass the facet filters. */
  #firstWord(range: WordRange, facet: FacetFilter): number {
    const { hits, postings } = { hits: this.#hits, postings: this.#postings };
    const touched = this.#spare;
    let touchedCount = 0;
    for (let term = range.first; term < range.end; term++) {
      const shift = term === range.exact ? 0 : FIELD_BITS;
      for (let at = this.#termStart[term]!, stop = this.#termStart[term + 1]!; at < stop; at++) {
        const posting = postings[at]!;
        const tool = posting >>> FIELD_BITS;
        if (hits[tool] === 0) touched[touchedCount++] = tool;
        hits[tool]! |= (posting & FIELD_MASK) << shift;
      }
    }
    const stamp = this.#nextStamp();
    const survivors = this.#survivors;
    let count = 0;
    for (let at = 0; at < touchedCount; at++) {
      const tool = touched[at]!;
      const hit = hits[tool]!;
      hits[tool] = 0;
      if (!this.#passes(tool, facet)) continue;
      this.#score[tool] = CONTRIBUTION[hit]!;
      this.#exactInName[tool] = hit & EXACT_NAME_BIT;
      this.#mark[tool] = stamp;
      survivors[count++] = tool;
    }
    return count;
  }

  /** A later word over its postings: survivors it touches stay. */
  #scanWord(range: WordRange): number {
    const { hits, postings, mark } = { hits: this.#hits, postings: this.#postings, mark: this.#mark };
    const current = this.#stamp;
    const touched = this.#spare;
    let touchedCount = 0;
    for (let term = range.first; term < range.end; term++) {
      const shift = term === range.exact ? 0 : FIELD_BITS;
      for (let at = this.#termStart[term]!, stop = this.#termStart[term + 1]!; at < stop; at++) {
        const posting = postings[at]!;
        const tool = posting >>> FIELD_BITS;
        if (mark[tool] !== current) continue;
        if (hits[tool] === 0) touched[touchedCount++] = tool;
        hits[tool]! |= (posting & FIELD_MASK) << shift;
      }
    }
    const stamp = this.#nextStamp();
    for (let at = 0; at < touchedCount; at++) {
      const tool = touched[at]!;
      this.#keep(tool, hits[tool]!, stamp);
      hits[tool] = 0;
    }
    // The touched tools are the new survivors: swap the buffers.
    this.#spare = this.#survivors;
    this.#survivors = touched;
    return touchedCount;
  }

  /** A later word checked per survivor in the survivor's own sorted word list. */
  #lookUpWord(range: WordRange, count: number): number {
    const { toolStart, toolWords, survivors } = {
      toolStart: this.#toolStart,
      toolWords: this.#toolWords,
      survivors: this.#survivors,
    };
    const firstKey = range.first << FIELD_BITS;
    const stamp = this.#nextStamp();
    let kept = 0;
    for (let at = 0; at < count; at++) {
      const tool = survivors[at]!;
      let low = toolStart[tool]!;
      let high = toolStart[tool + 1]!;
      const stop = high;
      while (low < high) {
        const middle = (low + high) >>> 1;
        if (toolWords[middle]! < firstKey) low = middle + 1;
        else high = middle;
      }
      let hit = 0;
      for (; low < stop; low++) {
        const term = toolWords[low]! >>> FIELD_BITS;
        if (term >= range.end) break;
        hit |= (toolWords[low]! & FIELD_MASK) << (term === range.exact ? 0 : FIELD_BITS);
      }
      if (hit === 0) continue;
      this.#keep(tool, hit, stamp);
      survivors[kept++] = tool; // in place: kept never overtakes at
    }
    return kept;
  }

  /** A survivor of a later word: add its contribution and mark it for the next step. */
  #keep(tool: number, hit: number, stamp: number): void {
    this.#score[tool]! += CONTRIBUTION[hit]!;
    this.#exactInName[tool]! += hit & EXACT_NAME_BIT;
    this.#mark[tool] = stamp;
  }

  /** The range of terms starting with `token` (terms are [a-z0-9]+, and `{` sorts after `z`). */
  #rangeOf(token: string): WordRange {
    const first = lowerBound(this.#terms, token);
    const end = lowerBound(this.#terms, `${token}{`);
    return {
      token,
      first,
      end,
      exact: first < end && this.#terms[first] === token ? first : -1,
      postings: this.#termStart[end]! - this.#termStart[first]!,
    };
  }
}

function maskOf(values: readonly string[] | undefined, bits: Map<string, number>): number | undefined {
  if (!values?.length) return undefined;
  return values.reduce((mask, value) => mask | (bits.get(value) ?? 0), 0);
}

/** The bit of a pricing model index; none for a model outside the vocabulary. */
function pricingBit(index: number | undefined): number {
  return index === undefined || index >= PRICING_MODELS.length ? 0 : 1 << index;
}

/** Adds one to the count of every set bit, visiting set bits only (lowest first). */
function countBits(mask: number, counts: Int32Array): void {
  for (let rest = mask; rest !== 0; rest &= rest - 1) counts[31 - Math.clz32(rest & -rest)]!++;
}

