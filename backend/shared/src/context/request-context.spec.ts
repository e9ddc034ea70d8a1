import { describe, expect, it } from 'vitest';
import {
  createRequestContext,
  getRequestContext,
  outgoingHeaders,
  runWithRequestContext,
} from './request-context.js';

const TRACEPARENT = '00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01';

describe('request context', () => {
  it('keeps a safe incoming request id and continues the trace with a new span', () => {
    const context = createRequestContext({ 'x-request-id': 'abc-123', traceparent: TRACEPARENT });
    expect(context).toMatchObject({
      requestId: 'abc-123',
      traceId: '4bf92f3577b34da6a3ce929d0e0e4736',
      parentSpanId: '00f067aa0ba902b7',
      traceFlags: '01',
    });
    expect(context.spanId).toMatch(/^[0-9a-f]{16}$/);
    expect(context.spanId).not.toBe('00f067aa0ba902b7');
  });

  it('replaces an unsafe or oversized request id', () => {
    for (const unsafe of ['has space', 'line\nbreak', 'x'.repeat(129), '']) {
      expect(createRequestContext({ 'x-request-id': unsafe }).requestId).toMatch(/^[0-9a-f-]{36}$/);
    }
  });

  it('is visible to awaited work inside the run and gone outside it', async () => {
    const context = createRequestContext({});
    await runWithRequestContext(context, async () => {
      await new Promise((resolve) => setTimeout(resolve, 1));
      expect(getRequestContext()).toBe(context);
      expect(outgoingHeaders()).toEqual({
        'x-request-id': context.requestId,
        traceparent: `00-${context.traceId}-${context.spanId}-01`,
      });
    });
    expect(getRequestContext()).toBeUndefined();
    expect(outgoingHeaders()).toEqual({});
  });
});
