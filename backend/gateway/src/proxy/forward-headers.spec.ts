import { describe, expect, it } from 'vitest';
import { buildUpstreamHeaders, copyResponseHeaders, DefaultResponseHeaders, RESPONSE_HAS_REQUEST_ID, RESPONSE_IS_EVENT_STREAM } from './forward-headers.js';

const context = { peerAddress: '10.0.0.9', peerTrusted: false, clientAddress: '10.0.0.9', requestId: 'req-1', traceparent: '00-aa-bb-01' };

describe('buildUpstreamHeaders', () => {
  it('drops hop-by-hop headers and those the Connection header names', () => {
    const headers = buildUpstreamHeaders({ connection: 'close, x-private', 'x-private': '1', 'keep-alive': 'timeout=5', upgrade: 'websocket', accept: 'application/json', host: 'codiesvibe.example' }, context);
    expect(headers).toMatchObject({ accept: 'application/json', host: 'codiesvibe.example' });
    for (const name of ['connection', 'x-private', 'keep-alive', 'upgrade']) expect(headers[name]).toBeUndefined();
  });

  it('replaces client claims from an untrusted peer', () => {
    const headers = buildUpstreamHeaders({ 'x-forwarded-for': '1.2.3.4', 'x-forwarded-host': 'evil.example', 'x-real-ip': '1.2.3.4', host: 'codiesvibe.example' }, context);
    expect(headers['x-forwarded-for']).toBe('10.0.0.9');
    expect(headers['x-forwarded-host']).toBe('codiesvibe.example');
    expect(headers['x-real-ip']).toBe('10.0.0.9');
    expect(headers['x-forwarded-proto']).toBe('http');
  });

  it('extends the chain of a trusted peer', () => {
    const headers = buildUpstreamHeaders({ 'x-forwarded-for': '1.2.3.4', 'x-forwarded-proto': 'https' }, { ...context, peerTrusted: true, clientAddress: '1.2.3.4' });
    expect(headers['x-forwarded-for']).toBe('1.2.3.4, 10.0.0.9');
    expect(headers['x-forwarded-proto']).toBe('https');
    expect(headers['x-real-ip']).toBe('1.2.3.4');
  });

  it('always sends the request id and the gateway span', () => {
    const headers = buildUpstreamHeaders({ 'x-request-id': 'client-sent', traceparent: 'client-sent' }, context);
    expect(headers['x-request-id']).toBe('req-1');
    expect(headers.traceparent).toBe('00-aa-bb-01');
  });
});

describe('copyResponseHeaders', () => {
  const defaults = new DefaultResponseHeaders({ 'x-content-type-options': 'nosniff', 'content-security-policy': "default-src 'self'" });
  const raw = (...pairs: string[]) => pairs;

  it('strips hop-by-hop headers and reports what the upstream set', () => {
    const into: string[] = [];
    const mask = copyResponseHeaders(raw('Content-Type', 'text/event-stream', 'Connection', 'keep-alive', 'Transfer-Encoding', 'chunked', 'X-Request-Id', 'r', 'Content-Security-Policy', "default-src 'none'"), into, defaults);
    expect(into).toEqual(['Content-Type', 'text/event-stream', 'X-Request-Id', 'r', 'Content-Security-Policy', "default-src 'none'"]);
    expect(mask & RESPONSE_IS_EVENT_STREAM).not.toBe(0);
    expect(mask & RESPONSE_HAS_REQUEST_ID).not.toBe(0);
    defaults.appendMissing(into, mask);
    // The upstream's own CSP wins; the missing default is added.
    expect(into.filter((value) => value.toLowerCase() === 'content-security-policy')).toHaveLength(1);
    expect(into).toContain('nosniff');
  });
});
