import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { FIXTURE_TOOLS } from '../../test/support/fixture-tools.js';
import { startToolsApiStandIn, type ToolsApiStandIn } from '../../test/support/tools-api.stand-in.js';
import { McpServiceError } from '../errors.js';
import { ToolsApiClient } from './tools-api.client.js';

async function failure(promise: Promise<unknown>): Promise<McpServiceError> {
  const error = await promise.then(
    () => undefined,
    (reason: unknown) => reason,
  );
  expect(error).toBeInstanceOf(McpServiceError);
  return error as McpServiceError;
}

describe('ToolsApiClient against a real HTTP server', () => {
  let standIn: ToolsApiStandIn;
  let client: ToolsApiClient;

  beforeAll(async () => {
    standIn = await startToolsApiStandIn(FIXTURE_TOOLS);
    client = new ToolsApiClient({
      baseUrl: standIn.url,
      timeoutMs: 2000,
      contextHeaders: () => ({
        'x-request-id': 'req-42',
        traceparent: '00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01',
      }),
    });
  });
  afterAll(() => standIn.close());

  it('sends filters as repeated query parameters and parses the page', async () => {
    const page = await client.searchTools({
      q: 'autocomplete',
      category: ['code-completion', 'terminal'],
      openSource: true,
      sort: 'name',
      limit: 5,
    });
    const last = standIn.received.at(-1);
    expect(last?.path).toBe('/api/tools');
    expect(last?.query.getAll('category')).toEqual(['code-completion', 'terminal']);
    expect(last?.query.get('openSource')).toBe('true');
    expect(last?.query.get('sort')).toBe('name');
    expect(last?.query.get('limit')).toBe('5');
    expect(page.items.map((tool) => tool.slug)).toEqual(['continue']);
    expect(page.total).toBe(1);
  });

  it('forwards the request id and trace context of the current request', async () => {
    await client.getTool('aider');
    const headers = standIn.received.at(-1)?.headers;
    expect(headers?.['x-request-id']).toBe('req-42');
    expect(headers?.traceparent).toMatch(/^00-0af7651916cd43dd/);
  });

  it('reports an unknown slug as MCP_ERR_TOOL_NOT_FOUND', async () => {
    const error = await failure(client.getTool('no-such-tool'));
    expect(error.code).toBe('MCP_ERR_TOOL_NOT_FOUND');
    expect(error.message).toContain('"no-such-tool"');
  });

  it('reads the facets and checks liveness', async () => {
    const facets = await client.getFacets({ pricing: ['open-source'] });
    expect(facets.total).toBe(2);
    await expect(client.checkReachable()).resolves.toBeUndefined();
  });

  it('reports an error status of nestjs-api with its message', async () => {
    standIn.failWith = 400;
    try {
      const rejected = await failure(client.searchTools({ q: 'x' }));
      expect(rejected.code).toBe('MCP_ERR_TOOLS_API_REJECTED');
      expect(rejected.message).toContain('stand-in failure');
      standIn.failWith = 503;
      const unavailable = await failure(client.getFacets());
      expect(unavailable.code).toBe('MCP_ERR_TOOLS_API_BAD_RESPONSE');
      expect(unavailable.message).toContain('503');
      expect((await failure(client.checkReachable())).code).toBe('MCP_ERR_TOOLS_API_BAD_RESPONSE');
    } finally {
      standIn.failWith = undefined;
    }
  });

  it('keeps a path prefix of the base URL', async () => {
    const prefixed = new ToolsApiClient({ baseUrl: `${standIn.url}/behind/a/proxy`, timeoutMs: 2000 });
    await failure(prefixed.getTool('aider'));
    expect(standIn.received.at(-1)?.path).toBe('/behind/a/proxy/api/tools/aider');
  });
});

describe('ToolsApiClient when nestjs-api misbehaves', () => {
  it('reports a refused connection as MCP_ERR_TOOLS_API_UNREACHABLE naming the cause', async () => {
    const standIn = await startToolsApiStandIn([]);
    await standIn.close();
    const client = new ToolsApiClient({ baseUrl: standIn.url, timeoutMs: 2000 });
    const error = await failure(client.searchTools({}));
    expect(error.code).toBe('MCP_ERR_TOOLS_API_UNREACHABLE');
    expect(error.message).toContain('ECONNREFUSED');
  });

  it('reports a server that never answers as MCP_ERR_TOOLS_API_TIMEOUT', async () => {
    const silent = createServer(() => undefined);
    await new Promise<void>((resolve) => silent.listen(0, '127.0.0.1', resolve));
    try {
      const client = new ToolsApiClient({
        baseUrl: `http://127.0.0.1:${(silent.address() as AddressInfo).port}`,
        timeoutMs: 100,
      });
      const error = await failure(client.getTool('aider'));
      expect(error.code).toBe('MCP_ERR_TOOLS_API_TIMEOUT');
      expect(error.message).toContain('100 ms');
    } finally {
      silent.closeAllConnections();
      await new Promise((resolve) => silent.close(resolve));
    }
  });

  it('rejects a body outside the contract and says where', async () => {
    const liar = createServer((_request, response) => {
      response
        .writeHead(200, { 'content-type': 'application/json' })
        .end(JSON.stringify({ items: [{ slug: 'x' }], total: 1, nextCursor: null }));
    });
    await new Promise<void>((resolve) => liar.listen(0, '127.0.0.1', resolve));
    try {
      const client = new ToolsApiClient({
        baseUrl: `http://127.0.0.1:${(liar.address() as AddressInfo).port}`,
        timeoutMs: 2000,
      });
      const error = await failure(client.searchTools({}));
      expect(error.code).toBe('MCP_ERR_TOOLS_API_BAD_RESPONSE');
      expect(error.message).toContain('GET /api/tools');
      expect(error.message).toMatch(/at items\.0\./);
    } finally {
      await new Promise((resolve) => liar.close(resolve));
    }
  });
});
