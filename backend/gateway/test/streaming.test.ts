import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startGateway } from './support/gateway-under-test.js';
import { startReplicas, type UpstreamProcess } from './support/upstream-process.js';

describe('streams and sessions', () => {
  let replicas: UpstreamProcess[];
  let gateway: { app: FastifyInstance; url: string };

  beforeAll(async () => {
    replicas = await startReplicas(2);
    const all = replicas.map((replica) => replica.url).join(',');
    gateway = await startGateway({ AI_UPSTREAM: replicas[0]!.url, MCP_UPSTREAM: all });
  });
  afterAll(async () => {
    await gateway?.app.close();
    await Promise.all(replicas.map((replica) => replica.kill()));
  });

  it('relays server-sent events chunk by chunk', async () => {
    const response = await fetch(`${gateway.url}/ai/search/stream?query=editor`);
    expect(response.headers.get('content-type')).toBe('text/event-stream');
    const reader = (response.body as ReadableStream<Uint8Array>).getReader();
    const decoder = new TextDecoder();
    let received = '';
    // The upstream holds the second event back until /_release: a buffering proxy never gets here.
    while (!received.includes('event: first')) {
      const { value, done } = await reader.read();
      if (done) throw new Error('stream ended before the first event');
      received += decoder.decode(value, { stream: true });
    }
    expect(received).not.toContain('event: second');
    await fetch(`${replicas[0]!.url}/_release`);
    for (;;) {
      const { value, done } = await reader.read();
      if (done) break;
      received += decoder.decode(value, { stream: true });
    }
    expect(received).toContain('event: second');
    expect(received).toContain('event: done');
  });

  it('keeps an MCP session on the replica that created it', async () => {
    const created = await fetch(`${gateway.url}/mcp/session`, { method: 'POST', body: '{}', headers: { 'content-type': 'application/json' } });
    const sessionId = created.headers.get('mcp-session-id');
    const owner = created.headers.get('x-replica');
    expect(sessionId).toBe(`session-of-${owner}`);
    for (let attempt = 0; attempt < 6; attempt++) {
      const next = await fetch(`${gateway.url}/mcp`, { method: 'POST', body: '{}', headers: { 'content-type': 'application/json', 'mcp-session-id': sessionId! } });
      expect(next.headers.get('x-replica')).toBe(owner);
    }
  });
});
