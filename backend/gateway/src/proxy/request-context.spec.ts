import { describe, expect, it } from 'vitest';
import { createGatewayContext } from './request-context.js';

describe('createGatewayContext', () => {
  it('starts a sampled trace named by the request id when the client sent neither', () => {
    const context = createGatewayContext({});
    expect(context.traceId).toMatch(/^[0-9a-f]{32}$/);
    expect(context.spanId).toMatch(/^[0-9a-f]{16}$/);
    expect(context.requestId).toBe(context.traceId);
    expect(context.traceFlags).toBe('01');
  });

  it('continues a valid trace with a new span and keeps a safe request id', () => {
    const context = createGatewayContext({ 'x-request-id': 'req-42', traceparent: '00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-00' });
    expect(context).toMatchObject({ requestId: 'req-42', traceId: '4bf92f3577b34da6a3ce929d0e0e4736', parentSpanId: '00f067aa0ba902b7', traceFlags: '00' });
    expect(context.spanId).not.toBe('00f067aa0ba902b7');
  });

  it('replaces an unsafe request id and an invalid traceparent', () => {
    const context = createGatewayContext({ 'x-request-id': 'bad id\nwith newline', traceparent: '00-00000000000000000000000000000000-00f067aa0ba902b7-01' });
    expect(context.requestId).toMatch(/^[0-9a-f]{32}$/);
    expect(context.traceId).not.toBe('00000000000000000000000000000000');
  });

  it('never hands out the same ids twice, across pool refills', () => {
    const seen = new Set<string>();
    for (let index = 0; index < 2_000; index++) seen.add(createGatewayContext({}).traceId);
    expect(seen.size).toBe(2_000);
  });
});
