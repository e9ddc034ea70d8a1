import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import {
  COMPARE_LOOKUP_MAX,
  COMPARE_MAX,
  formatCompareSearch,
  parseCompareRequest,
} from './compare-selection.js';

describe('compare selection in the URL', () => {
  it('reads comma lists and repeated parameters, in order, without duplicates', () => {
    expect(parseCompareRequest('?tools=aider,cursor&tools=aider,continue')).toEqual({
      slugs: ['aider', 'cursor', 'continue'],
      overflow: [],
      invalid: [],
    });
  });

  it('looks up a few more than fit (unknown ones make room) and reports the rest unread', () => {
    const many = Array.from({ length: COMPARE_LOOKUP_MAX + 2 }, (_, index) => `tool-${index}`);
    expect(parseCompareRequest(`?tools=${many.join(',')}`)).toEqual({
      slugs: many.slice(0, COMPARE_LOOKUP_MAX),
      overflow: many.slice(COMPARE_LOOKUP_MAX),
      invalid: [],
    });
  });

  it('reports values that cannot be slugs instead of requesting them', () => {
    const request = parseCompareRequest(
      `?tools=${encodeURIComponent('<script>alert(1)</script>')},aider,,../etc,${'x'.repeat(90)}`,
    );
    expect(request.slugs).toEqual(['aider']);
    expect(request.invalid).toEqual(['<script>alert(1)</script>', '../etc', `${'x'.repeat(39)}…`]);
  });

  it('reads upper case as the slug people meant', () => {
    expect(parseCompareRequest('?tools=Aider').slugs).toEqual(['aider']);
  });

  it('round-trips any selection it formats', () => {
    const slug = fc.stringMatching(/^[a-z0-9]{1,8}(?:-[a-z0-9]{1,8}){0,2}$/);
    fc.assert(
      fc.property(fc.uniqueArray(slug, { maxLength: COMPARE_MAX }), (slugs) => {
        expect(parseCompareRequest(formatCompareSearch(slugs)).slugs).toEqual(slugs);
      }),
    );
    expect(formatCompareSearch([])).toBe('');
  });
});
