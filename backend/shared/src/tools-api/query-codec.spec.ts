import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { PRICING_MODELS, TOOL_CATEGORIES, TOOL_PLATFORMS, TOOL_SORTS } from '../domain/vocabulary.js';
import { TOOLS_API_LIMITS } from './limits.js';
import {
  decodeSlug,
  decodeToolFilterQuery,
  decodeToolListQuery,
  encodeToolQuery,
  rawQueryOf,
  toolQueryString,
} from './query-codec.js';

const fieldsOf = (decoded: { ok: boolean; errors?: { field: string }[] }) =>
  (decoded.errors ?? []).map((error) => error.field);

describe('encodeToolQuery', () => {
  it('repeats list parameters, keeps the table order and leaves out what is unset or empty', () => {
    expect(
      encodeToolQuery(
        { openSource: false, category: ['coding-agent', 'terminal'], q: 'agent' },
        { limit: 5, sort: 'name', cursor: null },
      ).toString(),
    ).toBe('q=agent&category=coding-agent&category=terminal&openSource=false&sort=name&limit=5');
    expect(toolQueryString({ q: '' }, { cursor: '' })).toBe('');
    expect(toolQueryString({ tag: ['c++'] })).toBe('?tag=c%2B%2B');
  });
});

describe('decodeToolListQuery', () => {
  it('applies the defaults, also for empty values', () => {
    const defaults = { filters: {}, sort: 'relevance', limit: TOOLS_API_LIMITS.pageSize.default };
    expect(decodeToolListQuery({})).toEqual({ ok: true, value: defaults });
    expect(
      decodeToolListQuery({ q: '', category: '', limit: '', sort: '', openSource: '', cursor: '' }),
    ).toEqual({ ok: true, value: defaults });
  });

  it('refuses what the contract does not allow, naming each field', () => {
    expect(fieldsOf(decodeToolListQuery({ q: 'x'.repeat(TOOLS_API_LIMITS.queryLength + 1) }))).toEqual(['q']);
    expect(
      fieldsOf(decodeToolListQuery({ limit: String(TOOLS_API_LIMITS.pageSize.max + 1), sort: 'random' })),
    ).toEqual(['sort', 'limit']);
    expect(
      fieldsOf(decodeToolListQuery({ tag: 'Not Kebab', platform: 'amiga', cursor: 'no spaces' })),
    ).toEqual(['tag', 'platform', 'cursor']);
    expect(fieldsOf(decodeToolListQuery({ q: ['a', 'b'], openSource: 'yes', nope: '1' }))).toEqual([
      'nope',
      'q',
      'openSource',
    ]);
    expect(fieldsOf(decodeToolFilterQuery({ limit: '5' }))).toEqual(['limit']);
    expect(fieldsOf(decodeSlug('Bad Slug'))).toEqual(['slug']);
  });

  const filters = fc.record(
    {
      q: fc.string({ minLength: 1, maxLength: 40 }).filter((q) => q.trim() === q && q !== ''),
      category: fc.uniqueArray(fc.constantFrom(...TOOL_CATEGORIES), { minLength: 1, maxLength: 4 }),
      tag: fc.uniqueArray(fc.stringMatching(/^[a-z0-9]{1,8}(?:-[a-z0-9]{1,8})?$/), {
        minLength: 1,
        maxLength: 4,
      }),
      pricing: fc.uniqueArray(fc.constantFrom(...PRICING_MODELS), { minLength: 1 }),
      platform: fc.uniqueArray(fc.constantFrom(...TOOL_PLATFORMS), { minLength: 1, maxLength: 4 }),
      openSource: fc.boolean(),
    },
    { requiredKeys: [] },
  );
  const page = fc.record(
    {
      sort: fc.constantFrom(...TOOL_SORTS),
      limit: fc.integer({ min: 1, max: TOOLS_API_LIMITS.pageSize.max }),
      cursor: fc.stringMatching(/^[A-Za-z0-9_-]{1,40}$/),
    },
    { requiredKeys: [] },
  );

  it('decodes what the encoder wrote to the same request, in canonical form', () => {
    fc.assert(
      fc.property(filters, page, (sent, paging) => {
        const decoded = decodeToolListQuery(rawQueryOf(encodeToolQuery(sent, paging)));
        const canonical = Object.fromEntries(
          Object.entries(sent).map(([name, value]) => [
            name,
            Array.isArray(value) ? [...(value as string[])].sort() : value,
          ]),
        );
        expect(decoded).toEqual({
          ok: true,
          value: {
            filters: canonical,
            sort: paging.sort ?? 'relevance',
            limit: paging.limit ?? TOOLS_API_LIMITS.pageSize.default,
            ...(paging.cursor !== undefined && { cursor: paging.cursor }),
          },
        });
      }),
    );
  });
});
