import { describe, expect, it } from 'vitest';
import { ToolSearchIndex, type IndexedToolRow } from './tool-search-index.js';

/** A row of the index; rows with the same tagline and no query word in the name score the same. */
function row(id: number, slug: string, tagline: string, name = slug): IndexedToolRow {
  return {
    id,
    slug,
    pricing_model: 'free',
    open_source: 1,
    name_words: ` ${name} `,
    tag_words: '  ',
    tagline_words: ` ${tagline} `,
    description_words: '  ',
    name_phrase: ` ${name} `,
  };
}

describe('ToolSearchIndex', () => {
  it('breaks score ties by slug whatever order the rows arrive in, page after page', () => {
    // Ids (and the order the rows are given) run against the slug order.
    const slugs = ['delta', 'charlie', 'bravo', 'alpha', 'echo', 'alpha-two'];
    const index = new ToolSearchIndex(
      slugs.map((slug, at) => row(at + 1, slug, 'code review bot')),
      [],
      [],
    );
    const idOf = new Map(slugs.map((slug, at) => [slug, at + 1]));
    const bySlug = [...slugs].sort().map((slug) => idOf.get(slug));

    const first = index.rank({}, ['review'], undefined, 2);
    expect(first.total).toBe(6);
    expect(first.ids).toEqual(bySlug.slice(0, 3));
    expect(first.positions.map((position) => position.slug)).toEqual(['alpha', 'alpha-two', 'bravo']);

    // The cursor is the last shown position (slug order continues from there).
    const second = index.rank({}, ['review'], first.positions[1], 2);
    expect(second.ids).toEqual(bySlug.slice(2, 5));
    const rest = index.rank({}, ['review'], second.positions[1], 10);
    expect(rest.ids).toEqual(bySlug.slice(4));
  });

  it('ranks a higher score before a smaller slug', () => {
    const index = new ToolSearchIndex([row(1, 'aaa', 'review'), row(2, 'zzz', 'review', 'review')], [], []);
    expect(index.rank({}, ['review'], undefined, 5).ids).toEqual([2, 1]);
  });
});
