import {
  PRICING_MODELS,
  TOOL_CATEGORIES,
  TOOL_PLATFORMS,
  type FacetCount,
  type ToolFacets,
} from '@codiesvibe/shared/domain';

/** Counts per facet value, indexed like the vocabularies (`TOOL_CATEGORIES[k]` has `categories[k]`). */
export interface FacetTallies {
  categories: readonly number[];
  pricing: readonly number[];
  platforms: readonly number[];
  total: number;
}

/**
 * The `ToolFacets` answer of every adapter: every value of each vocabulary in its display order,
 * zero counts included, so clients get a stable shape.
 */
export function facetsOfCounts(tallies: FacetTallies): ToolFacets {
  const counted = <T extends string>(vocabulary: readonly T[], counts: readonly number[]): FacetCount<T>[] =>
    vocabulary.map((value, index) => ({ value, count: counts[index] ?? 0 }));
  return {
    categories: counted(TOOL_CATEGORIES, tallies.categories),
    pricing: counted(PRICING_MODELS, tallies.pricing),
    platforms: counted(TOOL_PLATFORMS, tallies.platforms),
    total: tallies.total,
  };
}

/** The counts of a vocabulary from value → count pairs (values outside the vocabulary are ignored). */
export function tallyOf(vocabulary: readonly string[], counts: ReadonlyMap<string | null, number>): number[] {
  return vocabulary.map((value) => counts.get(value) ?? 0);
}
