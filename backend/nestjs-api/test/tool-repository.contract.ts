import type { Tool, ToolFilters, ToolInput, ToolSort } from '@codiesvibe/shared/domain';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { matchesQuery, queryTokens, relevanceScore, searchTermsOf } from '../src/search/relevance.js';
import { loadSeedTools } from '../src/seed/seed-data.js';
import { DuplicateSlugError, InvalidCursorError, type ToolRepository } from '../src/storage/tool.repository.js';

/** Opens an empty repository whose clock is `now`; the suite closes it after each test. */
export type OpenRepository = (now: () => Date) => Promise<ToolRepository>;

/** A clock that advances one second per reading, so `newest` has a known order. */
export function steppingClock(start = Date.UTC(2026, 0, 1)): () => Date {
  let tick = 0;
  return () => new Date(start + 1000 * tick++);
}

const SEED = loadSeedTools();

export function sampleTool(slug: string, overrides: Partial<ToolInput> = {}): ToolInput {
  return {
    slug,
    name: `Sample ${slug}`,
    tagline: 'A sample tool for tests',
    description: 'Exists only inside the contract suite.',
    website: `https://example.com/${slug}`,
    categories: ['testing'],
    tags: ['sample'],
    pricing: { model: 'free' },
    platforms: ['cli'],
    openSource: false,
    ...overrides,
  };
}

/** Every item of a query, following cursors; `between` runs after each page (to insert records). */
export async function walkPages(
  repository: ToolRepository,
  filters: ToolFilters,
  sort: ToolSort,
  limit: number,
  between?: (pageIndex: number) => Promise<void>,
): Promise<Tool[]> {
  const items: Tool[] = [];
  let cursor: string | undefined;
  for (let pageIndex = 0; pageIndex < 1000; pageIndex++) {
    const page = await repository.list(filters, sort, cursor, limit);
    expect(page.items.length).toBeLessThanOrEqual(limit);
    items.push(...page.items);
    if (page.nextCursor === null) return items;
    cursor = page.nextCursor;
    await between?.(pageIndex);
  }
  throw new Error('pagination did not end');
}

const slugsOf = (tools: readonly Tool[]) => tools.map((tool) => tool.slug);

/**
 * The behaviour every ToolRepository adapter must show. Runs against the embedded store always
 * and against MongoDB when it is available.
 */
export function describeToolRepositoryContract(adapter: string, open: OpenRepository): void {
  describe(`ToolRepository contract: ${adapter}`, () => {
    let repository: ToolRepository;

    beforeEach(async () => {
      repository = await open(steppingClock());
      await repository.seed(SEED, 1);
    });
    afterEach(async () => {
      await repository.close();
    });

    describe('seeding', () => {
      it('inserts every seed tool once and does nothing for the same version again', async () => {
        expect((await repository.list({}, 'name', undefined, 100)).total).toBe(SEED.length);
        expect(await repository.seed(SEED, 1)).toEqual({ inserted: 0, version: 1, applied: false });
        expect((await repository.list({}, 'name', undefined, 100)).total).toBe(SEED.length);
      });

      it('on a new version adds new slugs only, keeps edits and does not bring back deleted tools', async () => {
        const [first, second] = SEED as [ToolInput, ToolInput];
        await repository.update(first.slug, { tagline: 'Edited by an admin' });
        await repository.delete(second.slug);
        const result = await repository.seed([...SEED, sampleTool('brand-new-seed-tool')], 2);
        expect(result).toEqual({ inserted: 1, version: 2, applied: true });
        expect((await repository.get(first.slug))?.tagline).toBe('Edited by an admin');
        expect(await repository.get(second.slug)).toBeNull();
        expect(await repository.get('brand-new-seed-tool')).not.toBeNull();
      });
    });

    describe('CRUD', () => {
      it('creates a tool with timestamps and reads it back exactly', async () => {
        const created = await repository.create(sampleTool('contract-create', { repository: 'https://example.com/r', license: 'MIT' }));
        expect(created).toMatchObject({ slug: 'contract-create', license: 'MIT', repository: 'https://example.com/r' });
        expect(created.createdAt).toBe(created.updatedAt);
        expect(await repository.get('contract-create')).toEqual(created);
        expect(Object.keys(created)).not.toContain('_id');
        expect(Object.keys(created)).not.toContain('_terms');
      });

      it('refuses a duplicate slug', async () => {
        await expect(repository.create(sampleTool('aider'))).rejects.toBeInstanceOf(DuplicateSlugError);
      });

      it('updates some fields, keeps slug and createdAt, and re-indexes the text', async () => {
        const before = await repository.get('aider');
        const updated = await repository.update('aider', { name: 'Aider Zyxwvut', pricing: { model: 'paid', monthlyPriceFrom: 5 } });
        expect(updated).toMatchObject({ slug: 'aider', name: 'Aider Zyxwvut', pricing: { model: 'paid', monthlyPriceFrom: 5 }, createdAt: before?.createdAt });
        expect(updated?.updatedAt).not.toBe(before?.updatedAt);
        expect(slugsOf((await repository.list({ q: 'zyxwvut' }, 'relevance', undefined, 10)).items)).toEqual(['aider']);
        expect(await repository.update('no-such-tool', { name: 'X' })).toBeNull();
      });

      it('deletes once', async () => {
        expect(await repository.delete('aider')).toBe(true);
        expect(await repository.delete('aider')).toBe(false);
        expect(await repository.get('aider')).toBeNull();
      });
    });

    describe('filters', () => {
      const everything = () => walkPages(repository, {}, 'name', 100);

      it('ORs values within a field and ANDs across fields', async () => {
        const all = await everything();
        const filters: ToolFilters = { category: ['terminal', 'testing'], openSource: true, platform: ['cli'] };
        const expected = all.filter(
          (tool) =>
            tool.categories.some((category) => category === 'terminal' || category === 'testing') &&
            tool.openSource &&
            tool.platforms.includes('cli'),
        );
        expect(expected.length).toBeGreaterThan(2);
        const page = await repository.list(filters, 'name', undefined, 100);
        expect(slugsOf(page.items)).toEqual(slugsOf(expected));
        expect(page.total).toBe(expected.length);
      });

      it('filters by tag, pricing model and closed source', async () => {
        const all = await everything();
        const filters: ToolFilters = { tag: ['agent', 'autocomplete'], pricing: ['freemium', 'paid'], openSource: false };
        const expected = all.filter(
          (tool) =>
            tool.tags.some((tag) => tag === 'agent' || tag === 'autocomplete') &&
            (tool.pricing.model === 'freemium' || tool.pricing.model === 'paid') &&
            !tool.openSource,
        );
        expect(expected.length).toBeGreaterThan(2);
        expect(slugsOf((await repository.list(filters, 'name', undefined, 100)).items)).toEqual(slugsOf(expected));
      });

      it('answers an empty page when nothing matches', async () => {
        expect(await repository.list({ tag: ['no-such-tag'] }, 'name', undefined, 10)).toEqual({ items: [], total: 0, nextCursor: null });
      });
    });

    describe('full-text search', () => {
      it('finds a tool by its name first', async () => {
        const page = await repository.list({ q: 'ollama' }, 'relevance', undefined, 5);
        expect(page.items[0]?.slug).toBe('ollama');
      });

      it('matches word prefixes and requires every word', async () => {
        const page = await repository.list({ q: 'terminal agen' }, 'relevance', undefined, 100);
        expect(page.total).toBeGreaterThan(3);
        for (const tool of page.items) {
          const text = `${tool.slug} ${tool.name} ${tool.tagline} ${tool.description} ${tool.tags.join(' ')}`.toLowerCase();
          expect(text, tool.slug).toContain('terminal');
          expect(text, tool.slug).toContain('agen');
        }
      });

      it('combines text with filters', async () => {
        const page = await repository.list({ q: 'local models', openSource: false }, 'relevance', undefined, 100);
        expect(page.items.every((tool) => !tool.openSource)).toBe(true);
        expect(slugsOf(page.items)).toContain('lm-studio');
      });

      it('ranks by the relevance formula: every match, score descending, slug breaking ties', async () => {
        await repository.create(sampleTool('review-bot', { name: 'Review', tags: ['code-review'], tagline: 'Reviews code' }));
        const all = await walkPages(repository, {}, 'name', 100);
        for (const q of ['code review', 'review', 'ag', 'local models', 'open source terminal agent', 'git']) {
          const tokens = queryTokens(q);
          const expected = all
            .filter((tool) => matchesQuery(searchTermsOf(tool), tokens))
            .map((tool) => ({ slug: tool.slug, score: relevanceScore(tool, tokens) }))
            .sort((left, right) => right.score - left.score || (left.slug < right.slug ? -1 : 1));
          expect(expected.length, q).toBeGreaterThan(0);
          expect(slugsOf(await walkPages(repository, { q }, 'relevance', 6)), q).toEqual(expected.map((entry) => entry.slug));
        }
      });

      it('sorts text results by name or newest when asked', async () => {
        const byName = await walkPages(repository, { q: 'review' }, 'name', 3);
        expect(byName.map((tool) => tool.name.toLowerCase())).toEqual(byName.map((tool) => tool.name.toLowerCase()).sort());
        const byRelevance = await walkPages(repository, { q: 'review' }, 'relevance', 3);
        expect(new Set(slugsOf(byRelevance))).toEqual(new Set(slugsOf(byName)));
      });
    });

    describe('vocabulary', () => {
      it('lists every word of every tool, sorted, with how many tools hold it, and follows writes', async () => {
        const expected = new Map<string, number>();
        for (const tool of SEED) for (const term of searchTermsOf(tool)) expected.set(term, (expected.get(term) ?? 0) + 1);
        const before = await repository.vocabulary();
        expect(before.terms).toEqual([...expected.keys()].sort());
        expect(Array.from(before.counts)).toEqual(before.terms.map((term) => expected.get(term)));

        await repository.create(sampleTool('zyxwords', { name: 'Quokkaflow', tags: ['sample'] }));
        const after = await repository.vocabulary();
        const count = (term: string) => after.counts[after.terms.indexOf(term)];
        expect(count('quokkaflow')).toBe(1);
        expect(count('sample')).toBe((expected.get('sample') ?? 0) + 1);
      });
    });

    describe('sorting and pagination', () => {
      it('walks every tool exactly once in name order', async () => {
        const walked = await walkPages(repository, {}, 'name', 7);
        expect(walked).toHaveLength(SEED.length);
        expect(new Set(slugsOf(walked)).size).toBe(SEED.length);
        const names = walked.map((tool) => tool.name.toLowerCase());
        expect(names).toEqual([...names].sort());
      });

      it('puts the newest first, slug breaking ties', async () => {
        await repository.create(sampleTool('zz-newer'));
        await repository.create(sampleTool('aa-newest'));
        const walked = await walkPages(repository, {}, 'newest', 10);
        expect(slugsOf(walked).slice(0, 2)).toEqual(['aa-newest', 'zz-newer']);
        // The seed shares one timestamp, so the rest is in slug order.
        expect(slugsOf(walked).slice(2)).toEqual([...SEED.map((tool) => tool.slug)].sort());
      });

      for (const [sort, filters] of [
        ['name', {}],
        ['newest', {}],
        ['relevance', { q: 'code' }],
      ] as const) {
        it(`neither skips nor repeats while records are inserted (sort=${sort})`, async () => {
          const before = await walkPages(repository, filters, sort, 100);
          let inserted = 0;
          const walked = await walkPages(repository, filters, sort, 4, async () => {
            // Names before and after any position, matching the text query too.
            await repository.create(sampleTool(`aaa-code-${inserted}`, { name: `AAA code ${inserted}` }));
            await repository.create(sampleTool(`zzz-code-${inserted}`, { name: `ZZZ code ${inserted}` }));
            inserted++;
          });
          const seen = slugsOf(walked);
          expect(new Set(seen).size).toBe(seen.length);
          expect(seen.filter((slug) => !/^(aaa|zzz)-code-/.test(slug))).toEqual(slugsOf(before));
        });
      }

      it('refuses a cursor of another query and a forged cursor', async () => {
        const page = await repository.list({ category: ['ide'] }, 'name', undefined, 2);
        expect(page.nextCursor).not.toBeNull();
        const cursor = page.nextCursor ?? '';
        await expect(repository.list({ category: ['testing'] }, 'name', cursor, 2)).rejects.toBeInstanceOf(InvalidCursorError);
        await expect(repository.list({ category: ['ide'] }, 'newest', cursor, 2)).rejects.toBeInstanceOf(InvalidCursorError);
        await expect(repository.list({}, 'name', 'not-a-cursor', 2)).rejects.toBeInstanceOf(InvalidCursorError);
        const forged = Buffer.from(JSON.stringify({ v: 1, s: 'name', f: 'x', k: { $gt: '' }, id: 'a' })).toString('base64url');
        await expect(repository.list({}, 'name', forged, 2)).rejects.toBeInstanceOf(InvalidCursorError);
      });
    });

    describe('facets', () => {
      it('counts what the list returns, for the same filters', async () => {
        const filters: ToolFilters = { q: 'agent', pricing: ['open-source'] };
        const [facets, items] = await Promise.all([repository.facets(filters), walkPages(repository, filters, 'relevance', 100)]);
        expect(facets.total).toBe(items.length);
        const terminal = facets.categories.find((entry) => entry.value === 'terminal');
        expect(terminal?.count).toBe(items.filter((tool) => tool.categories.includes('terminal')).length);
        const cli = facets.platforms.find((entry) => entry.value === 'cli');
        expect(cli?.count).toBe(items.filter((tool) => tool.platforms.includes('cli')).length);
        expect(facets.pricing.find((entry) => entry.value === 'open-source')?.count).toBe(items.length);
        expect(facets.pricing.find((entry) => entry.value === 'paid')?.count).toBe(0);
      });
    });
  });
}
