import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { formatTraceParent, newSpanId, newTraceId, parseTraceParent } from './trace-context.js';

const hex = (length: number) => fc.stringMatching(new RegExp(`^[0-9a-f]{${length}}$`));

describe('traceparent', () => {
  it('round-trips any valid version-00 header', () => {
    fc.assert(
      fc.property(hex(32), hex(16), hex(2), (traceId, spanId, flags) => {
        fc.pre(!/^0+$/.test(traceId) && !/^0+$/.test(spanId));
        expect(parseTraceParent(formatTraceParent(traceId, spanId, flags))).toEqual({
          traceId,
          parentSpanId: spanId,
          flags,
        });
      }),
    );
  });

  it.each([
    ['not a header', 'garbage'],
    ['version ff', 'ff-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01'],
    ['all-zero trace id', '00-00000000000000000000000000000000-00f067aa0ba902b7-01'],
    ['all-zero span id', '00-4bf92f3577b34da6a3ce929d0e0e4736-0000000000000000-01'],
    ['extra field on version 00', '00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01-extra'],
    ['short trace id', '00-4bf92f3577b34da6a3ce929d0e0e473-00f067aa0ba902b7-01'],
  ])('ignores %s', (_case, header) => {
    expect(parseTraceParent(header)).toBeUndefined();
  });

  it('accepts a future version with extra fields, as the spec asks', () => {
    expect(parseTraceParent('01-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01-more')?.traceId).toBe(
      '4bf92f3577b34da6a3ce929d0e0e4736',
    );
  });

  it('makes ids of the right shape', () => {
    expect(newTraceId()).toMatch(/^[0-9a-f]{32}$/);
    expect(newSpanId()).toMatch(/^[0-9a-f]{16}$/);
    expect(newSpanId()).not.toBe(newSpanId());
  });

  it('never hands out the same id twice across refills of its random pool', () => {
    // 1,000 span ids and 300 trace ids take 12.8 KB: the 4 KiB pool is refilled three times.
    const ids = [...Array.from({ length: 1000 }, newSpanId), ...Array.from({ length: 300 }, newTraceId)];
    expect(new Set(ids).size).toBe(ids.length);
    expect(ids.every((id) => /^[0-9a-f]+$/.test(id) && !/^0+$/.test(id))).toBe(true);
  });
});
