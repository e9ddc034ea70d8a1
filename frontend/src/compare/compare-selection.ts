/** A comparison needs two tools and shows at most four side by side (a fifth column stops fitting). */
export const COMPARE_MIN = 2;
export const COMPARE_MAX = 4;

const SLUG = /^[a-z0-9]+(?:-[a-z0-9]+)*$/;

/**
 * How many slugs of a link are looked up: a few more than fit, so unknown ones in a shared link
 * make room for the next, without letting a crafted link send dozens of requests.
 */
export const COMPARE_LOOKUP_MAX = COMPARE_MAX * 2;

/** The tools a compare URL asks for, and what it asked for that cannot be shown. */
export interface CompareRequest {
  /** Distinct slugs to look up, in the URL's order, at most {@link COMPARE_LOOKUP_MAX}. */
  slugs: string[];
  /** Slugs beyond the lookup limit: left out without a lookup. */
  overflow: string[];
  /** Values that cannot be tool slugs at all (shown back to the user as typed, shortened). */
  invalid: string[];
}

/**
 * Reads `?tools=a,b,c` (repeated `tools=` parameters work too). Duplicates collapse; values that
 * are not slugs and slugs beyond the lookup limit are reported rather than silently lost, so a
 * shared link that asks for too much still opens with what it can show.
 */
export function parseCompareRequest(search: string): CompareRequest {
  const values = new URLSearchParams(search)
    .getAll('tools')
    .flatMap((value) => value.split(','))
    .map((value) => value.trim().toLowerCase())
    .filter(Boolean);
  const slugs: string[] = [];
  const overflow: string[] = [];
  const invalid: string[] = [];
  for (const value of new Set(values)) {
    if (!SLUG.test(value) || value.length > 80)
      invalid.push(value.length > 40 ? `${value.slice(0, 39)}…` : value);
    else if (slugs.length < COMPARE_LOOKUP_MAX) slugs.push(value);
    else overflow.push(value);
  }
  return { slugs, overflow, invalid };
}

/** The query string of a comparison (`?tools=a,b`), or '' for none. Slugs need no escaping. */
export function formatCompareSearch(slugs: readonly string[]): string {
  return slugs.length ? `?tools=${slugs.join(',')}` : '';
}
