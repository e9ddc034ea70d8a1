import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { freePort, startRecordingProxy, type RecordingProxy } from '@codiesvibe/shared/testing';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { McpServiceError } from '../src/errors.js';
import { ToolsApiClient } from '../src/tools-api/tools-api.client.js';

// The client against the real nestjs-api (started once by the global setup), seen through a
// recording proxy where the test must check what was sent or play a failing nestjs-api.

async function failure(promise: Promise<unknown>): Promise<McpServiceError> {
  const error = await promise.then(
    () => undefined,
    (reason: unknown) => reason,
  );
  expect(error).toBeInstanceOf(McpServiceError);
  return error as McpServiceError;
}

async function listen(server: Server): Promise<string> {
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
}

async function stop(server: Server): Promise<void> {
  server.closeAllConnections();
  await new Promise((resolve) => server.close(resolve));
}

describe('ToolsApiClient against the real nestjs-api', () => {
  let proxy: RecordingProxy;
  let client: ToolsApiClient;

  beforeAll(async () => {
    proxy = await startRecordingProxy(inject('nestjsApiUrl'));
    client = new ToolsApiClient({
      baseUrl: proxy.url,
      timeoutMs: 5000,
      contextHeaders: () => ({
        'x-request-id': 'req-42',
        traceparent: '00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01',
      }),
    });
  });
  afterAll(() => proxy.close());

  it('sends filters as the contract encodes them and gets the page they select', async () => {
    const page = await client.searchTools({
      category: ['terminal', 'code-completion'],
      openSource: true,
      sort: 'name',
      limit: 5,
    });
    const sent = proxy.received.at(-1);
    expect(sent?.path).toBe('/api/tools');
    expect(sent?.query.getAll('category')).toEqual(['terminal', 'code-completion']);
    expect(Object.fromEntries(sent?.query ?? [])).toMatchObject({
      openSource: 'true',
      sort: 'name',
      limit: '5',
    });
    expect(page.items.length).toBeGreaterThan(0);
    expect(page.items.length).toBeLessThanOrEqual(5);
    for (const tool of page.items) {
      expect(tool.openSource).toBe(true);
      expect(
        tool.categories.some((category) => category === 'terminal' || category === 'code-completion'),
      ).toBe(true);
    }
    const names = page.items.map((tool) => tool.name);
    expect(names).toEqual([...names].sort((a, b) => a.localeCompare(b, 'en', { sensitivity: 'base' })));
  });

  it('forwards the request id and trace context of the current request', async () => {
    await client.getTool('aider');
    const headers = proxy.received.at(-1)?.headers;
    expect(headers?.['x-request-id']).toBe('req-42');
    expect(headers?.traceparent).toMatch(/^00-0af7651916cd43dd/);
  });

  it('reports an unknown slug as MCP_ERR_TOOL_NOT_FOUND', async () => {
    const error = await failure(client.getTool('no-such-tool'));
    expect(error.code).toBe('MCP_ERR_TOOL_NOT_FOUND');
    expect(error.message).toContain('"no-such-tool"');
  });

  it('reads facet counts that agree with the list, and checks liveness', async () => {
    const facets = await client.getFacets({ pricing: ['open-source'] });
    const page = await client.searchTools({ pricing: ['open-source'], limit: 1 });
    expect(facets.total).toBe(page.total);
    expect(facets.pricing.find((entry) => entry.value === 'open-source')?.count).toBe(page.total);
    await expect(client.checkReachable()).resolves.toBeUndefined();
  });

  it('reports a query the directory refuses with its message', async () => {
    const rejected = await failure(client.searchTools({ q: 'x'.repeat(501) }));
    expect(rejected.code).toBe('MCP_ERR_TOOLS_API_REJECTED');
    expect(rejected.message).toContain('q must be at most 500 characters');
  });

  it('reports an error status of nestjs-api with its status', async () => {
    proxy.failWith = 503;
    try {
      const unavailable = await failure(client.getFacets());
      expect(unavailable.code).toBe('MCP_ERR_TOOLS_API_BAD_RESPONSE');
      expect(unavailable.message).toContain('503');
      expect((await failure(client.checkReachable())).code).toBe('MCP_ERR_TOOLS_API_BAD_RESPONSE');
    } finally {
      proxy.failWith = undefined;
    }
  });

  it('keeps a path prefix of the base URL', async () => {
    const prefixed = new ToolsApiClient({ baseUrl: `${proxy.url}/behind/a/proxy`, timeoutMs: 5000 });
    await failure(prefixed.getTool('aider'));
    expect(proxy.received.at(-1)?.path).toBe('/behind/a/proxy/api/tools/aider');
  });
});

describe('ToolsApiClient when nestjs-api misbehaves', () => {
  it('reports a refused connection as MCP_ERR_TOOLS_API_UNREACHABLE naming the cause', async () => {
    const client = new ToolsApiClient({ baseUrl: `http://127.0.0.1:${await freePort()}`, timeoutMs: 2000 });
    const error = await failure(client.searchTools({}));
    expect(error.code).toBe('MCP_ERR_TOOLS_API_UNREACHABLE');
    expect(error.message).toContain('ECONNREFUSED');
  });

  it('reports a server that never answers as MCP_ERR_TOOLS_API_TIMEOUT', async () => {
    const silent = createServer(() => undefined);
    const client = new ToolsApiClient({ baseUrl: await listen(silent), timeoutMs: 100 });
    try {
      const error = await failure(client.getTool('aider'));
      expect(error.code).toBe('MCP_ERR_TOOLS_API_TIMEOUT');
      expect(error.message).toContain('100 ms');
    } finally {
      await stop(silent);
    }
  });

  it('rejects a body outside the contract and says where', async () => {
    const liar = createServer((_request, response) => {
      response
        .writeHead(200, { 'content-type': 'application/json' })
        .end(JSON.stringify({ items: [{ slug: 'x' }], total: 1, nextCursor: null }));
    });
    const client = new ToolsApiClient({ baseUrl: await listen(liar), timeoutMs: 2000 });
    try {
      const error = await failure(client.searchTools({}));
      expect(error.code).toBe('MCP_ERR_TOOLS_API_BAD_RESPONSE');
      expect(error.message).toContain('GET /api/tools');
      expect(error.message).toMatch(/at items\.0\./);
    } finally {
      await stop(liar);
    }
  });
});
