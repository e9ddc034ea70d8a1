import type { AddressInfo } from 'node:net';
import { createLogger } from '@codiesvibe/shared';
import { freePort, startRecordingProxy, type RecordingProxy } from '@codiesvibe/shared/testing';
import { TOOLS_API_LIMITS } from '@codiesvibe/shared/tools-api';
import type { Client } from '@modelcontextprotocol/sdk/client/index.js';
import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { buildApp } from '../src/app.js';
import { ToolsApiClient } from '../src/tools-api/tools-api.client.js';
import { createToolsApiClient } from '../src/tools-api/tools-api.factory.js';
import { callTool, connectHttpClient, firstText } from './support/mcp-clients.js';
import { SEED_TOOLS } from './support/seed-tools.js';

const logger = createLogger({ service: 'mcp-server', env: 'test', instanceId: 'test', level: 'silent' });

async function startApp(toolsApiUrl: string): Promise<{ app: FastifyInstance; url: string }> {
  const app = buildApp({
    toolsApi: createToolsApiClient({ TOOLS_API_URL: toolsApiUrl, TOOLS_API_TIMEOUT_MS: 2000 }),
    logger,
    instanceId: 'test',
  });
  await app.listen({ port: 0, host: '127.0.0.1' });
  return { app, url: `http://127.0.0.1:${(app.server.address() as AddressInfo).port}` };
}

describe('MCP over Streamable HTTP against the real nestjs-api, with the SDK client', () => {
  let server: { app: FastifyInstance; url: string };
  let client: Client;

  beforeAll(async () => {
    server = await startApp(inject('nestjsApiUrl'));
    client = await connectHttpClient(`${server.url}/mcp`);
  });
  afterAll(async () => {
    await client?.close();
    await server?.app.close();
  });

  it('introduces itself and lists the four tools with input schemas', async () => {
    expect(client.getServerVersion()?.name).toBe('codiesvibe-mcp');
    const { tools } = await client.listTools();
    expect(tools.map((tool) => tool.name).sort()).toEqual([
      'compare_tools',
      'get_tool',
      'list_categories',
      'search_tools',
    ]);
    const search = tools.find((tool) => tool.name === 'search_tools');
    expect(search?.description).toMatch(/filters/);
    expect(search?.inputSchema.properties).toMatchObject({
      limit: { maximum: TOOLS_API_LIMITS.pageSize.max },
      category: { type: 'array' },
    });
    expect(search?.annotations?.readOnlyHint).toBe(true);
  });

  it('search_tools applies the filters and returns the full tool records as structured content', async () => {
    const result = await callTool(client, 'search_tools', { platform: ['cli'], openSource: true, limit: 3 });
    expect(result.isError).toBeFalsy();
    const content = result.structuredContent as {
      total: number;
      nextCursor: string | null;
      tools: {
        slug: string;
        platforms: string[];
        openSource: boolean;
        description: string;
        tags: string[];
        updatedAt: string;
      }[];
    };
    expect(content.tools).toHaveLength(3);
    // Full records, as a ranker needs them, without a get_tool per tool.
    for (const tool of content.tools)
      expect(tool.description.length > 0 && Array.isArray(tool.tags) && tool.updatedAt).toBeTruthy();
    expect(content.total).toBeGreaterThan(3);
    expect(content.nextCursor).not.toBeNull();
    for (const tool of content.tools) {
      expect(tool.platforms).toContain('cli');
      expect(tool.openSource).toBe(true);
    }
    expect(firstText(result)).toContain(`Found ${content.total} tools; showing 3.`);

    const next = await callTool(client, 'search_tools', {
      platform: ['cli'],
      openSource: true,
      limit: 3,
      cursor: content.nextCursor,
    });
    const nextSlugs = (next.structuredContent as typeof content).tools.map((tool) => tool.slug);
    expect(nextSlugs).not.toContain(content.tools[0]?.slug);
  });

  it('get_tool returns the whole record, a markdown page and a resource link', async () => {
    const result = await callTool(client, 'get_tool', { slug: 'aider' });
    expect(result.isError).toBeFalsy();
    expect(result.structuredContent).toMatchObject({ slug: 'aider', name: 'Aider', openSource: true });
    expect(firstText(result)).toMatch(/^# Aider/);
    expect(result.content[1]).toMatchObject({ type: 'resource_link', uri: 'tool://aider' });
  });

  it('list_categories counts every category from the facets', async () => {
    const result = await callTool(client, 'list_categories');
    const content = result.structuredContent as {
      total: number;
      categories: { value: string; count: number }[];
    };
    expect(content.total).toBe(SEED_TOOLS.length);
    expect(content.categories).toHaveLength(12);
    const agents = SEED_TOOLS.filter((tool) => tool.categories.includes('coding-agent')).length;
    expect(content.categories.find((category) => category.value === 'coding-agent')?.count).toBe(agents);
    expect(firstText(result)).toContain(`- coding-agent: ${agents}`);
  });

  it('compare_tools puts the tools side by side', async () => {
    const result = await callTool(client, 'compare_tools', { slugs: ['aider', 'cursor', 'continue'] });
    expect(result.isError).toBeFalsy();
    const table = firstText(result).split('\n');
    expect(table[0]).toBe('| | Aider | Cursor | Continue |');
    expect(table.some((row) => row.startsWith('| **Pricing** |'))).toBe(true);
    expect(
      (result.structuredContent as { tools: { slug: string }[] }).tools.map((tool) => tool.slug),
    ).toEqual(['aider', 'cursor', 'continue']);
  });

  describe('invalid arguments are errors that name the argument', () => {
    it.each([
      ['search_tools', { limit: 500 }, /limit/],
      ['search_tools', { category: ['not-a-category'] }, /category/],
      ['get_tool', { slug: 'Not A Slug' }, /slug/],
      ['get_tool', {}, /slug/],
      ['compare_tools', { slugs: ['aider'] }, /at least 2 tools at slugs/],
      ['compare_tools', { slugs: ['a', 'b', 'c', 'd', 'e', 'f'] }, /at most 5 tools at slugs/],
      ['compare_tools', { slugs: ['aider', 'aider'] }, /slugs must be distinct/],
    ])('%s %j', async (name, args, named) => {
      const result = await callTool(client, name, args);
      expect(result.isError).toBe(true);
      expect(firstText(result)).toMatch(
        /^MCP error -32602: Input validation error: Invalid arguments for tool/,
      );
      expect(firstText(result)).toMatch(named);
    });

    it('an unknown slug names the slug and says how to find one', async () => {
      const result = await callTool(client, 'compare_tools', { slugs: ['aider', 'no-such-tool'] });
      expect(result.isError).toBe(true);
      expect(firstText(result)).toContain('"no-such-tool"');
      expect(firstText(result)).toContain('MCP_ERR_TOOL_NOT_FOUND');
    });
  });

  describe('the tool://{slug} resource', () => {
    it('is listed as a template and lists every tool', async () => {
      const { resourceTemplates } = await client.listResourceTemplates();
      expect(resourceTemplates.map((template) => template.uriTemplate)).toEqual(['tool://{slug}']);
      const { resources } = await client.listResources();
      expect(resources).toHaveLength(SEED_TOOLS.length);
      expect(resources.find((resource) => resource.uri === 'tool://aider')?.title).toBe('Aider');
    });

    it('reads one tool as markdown and JSON', async () => {
      const { contents } = await client.readResource({ uri: 'tool://continue' });
      expect(contents.map((content) => content.mimeType)).toEqual(['text/markdown', 'application/json']);
      expect(contents[0]).toMatchObject({
        uri: 'tool://continue',
        text: expect.stringMatching(/^# Continue/) as unknown,
      });
      expect(JSON.parse((contents[1] as { text: string }).text)).toMatchObject({ slug: 'continue' });
    });

    it('answers an unknown slug with "resource not found" (-32002) and a bad one with invalid params', async () => {
      await expect(client.readResource({ uri: 'tool://no-such-tool' })).rejects.toMatchObject({
        code: -32002,
        message: expect.stringContaining('"no-such-tool"') as unknown,
      });
      await expect(client.readResource({ uri: 'tool://Bad_Slug' })).rejects.toMatchObject({
        code: -32602,
        message: expect.stringContaining('Invalid slug') as unknown,
      });
    });

    it('completes slugs by prefix', async () => {
      const { completion } = await client.complete({
        ref: { type: 'ref/resource', uri: 'tool://{slug}' },
        argument: { name: 'slug', value: 'clau' },
      });
      expect(completion.values.sort()).toEqual(['claude', 'claude-code']);
    });
  });

  it('answers GET and DELETE with 405 (stateless) and a non-JSON body with a JSON-RPC parse error', async () => {
    for (const method of ['GET', 'DELETE']) {
      const response = await fetch(`${server.url}/mcp`, { method, headers: { accept: 'text/event-stream' } });
      expect(response.status).toBe(405);
      expect(response.headers.get('allow')).toBe('POST');
    }
    const garbled = await fetch(`${server.url}/mcp`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', accept: 'application/json, text/event-stream' },
      body: '{"jsonrpc": "2.0", ',
    });
    expect(garbled.status).toBe(400);
    expect(await garbled.json()).toMatchObject({ jsonrpc: '2.0', error: { code: -32700 }, id: null });
  });

  it('is ready while nestjs-api is reachable, and counts MCP requests and tool calls in /metrics', async () => {
    const ready = await fetch(`${server.url}/health/ready`);
    expect(ready.status).toBe(200);
    expect(await ready.json()).toMatchObject({
      status: 'ok',
      service: 'mcp-server',
      checks: { 'nestjs-api': { status: 'up' } },
    });
    const metrics = await (await fetch(`${server.url}/metrics`)).text();
    expect(metrics).toMatch(
      /http_request_duration_seconds_count\{[^}]*route="\/mcp"[^}]*status_code="200"[^}]*\} [1-9]/,
    );
    expect(metrics).toMatch(
      /mcp_tool_call_duration_seconds_count\{[^}]*tool="get_tool",outcome="ok"[^}]*\} [1-9]/,
    );
    expect(metrics).toMatch(
      /mcp_tool_call_duration_seconds_count\{[^}]*tool="compare_tools",outcome="error"[^}]*\} [1-9]/,
    );
  });
});

describe('MCP over Streamable HTTP: request context', () => {
  let directory: RecordingProxy;
  let server: { app: FastifyInstance; url: string };

  // The real nestjs-api behind a recording proxy, which shows the headers each call carried.
  beforeAll(async () => {
    directory = await startRecordingProxy(inject('nestjsApiUrl'));
    server = await startApp(directory.url);
  });
  afterAll(async () => {
    await server?.app.close();
    await directory?.close();
  });

  it("forwards the caller's request id to nestjs-api and echoes it", async () => {
    const traced = await connectHttpClient(`${server.url}/mcp`, { 'x-request-id': 'trace-me-123' });
    try {
      await callTool(traced, 'get_tool', { slug: 'cursor' });
      const call = directory.received.findLast((request) => request.path === '/api/tools/cursor');
      expect(call?.headers['x-request-id']).toBe('trace-me-123');
      expect(call?.headers.traceparent).toMatch(/^00-[0-9a-f]{32}-[0-9a-f]{16}-01$/);
    } finally {
      await traced.close();
    }
    const response = await fetch(`${server.url}/mcp`, {
      method: 'POST',
      headers: {
        'content-type': 'application/json',
        accept: 'application/json, text/event-stream',
        'x-request-id': 'echo-me',
      },
      body: JSON.stringify({ jsonrpc: '2.0', id: 1, method: 'ping' }),
    });
    expect(response.headers.get('x-request-id')).toBe('echo-me');
    expect(await response.json()).toEqual({ jsonrpc: '2.0', id: 1, result: {} });
  });
});

describe('MCP over Streamable HTTP when nestjs-api is down', () => {
  let server: { app: FastifyInstance; url: string };
  let client: Client;

  beforeAll(async () => {
    server = await startApp(`http://127.0.0.1:${await freePort()}`); // nothing listens there
    client = await connectHttpClient(`${server.url}/mcp`);
  });
  afterAll(async () => {
    await client?.close();
    await server?.app.close();
  });

  it('answers every tool with a tool error naming the cause, and keeps serving', async () => {
    for (const [name, args] of [
      ['search_tools', { query: 'agent' }],
      ['get_tool', { slug: 'aider' }],
      ['list_categories', {}],
      ['compare_tools', { slugs: ['aider', 'cursor'] }],
    ] as const) {
      const result = await callTool(client, name, args);
      expect(result.isError, name).toBe(true);
      expect(firstText(result)).toMatch(
        /nestjs-api at http:\/\/127\.0\.0\.1:\d+ is unreachable \(ECONNREFUSED\).*\(MCP_ERR_TOOLS_API_UNREACHABLE\)$/,
      );
    }
    await expect(client.readResource({ uri: 'tool://aider' })).rejects.toMatchObject({
      code: -32603,
      message: expect.stringContaining('MCP_ERR_TOOLS_API_UNREACHABLE') as unknown,
    });
    expect((await client.listTools()).tools).toHaveLength(4);
  });

  it('reports not ready (503) naming nestjs-api', async () => {
    const response = await fetch(`${server.url}/health/ready`);
    expect(response.status).toBe(503);
    expect(await response.json()).toMatchObject({ status: 'down', failing: ['nestjs-api'] });
    expect((await fetch(`${server.url}/health/live`)).status).toBe(200);
  });

  it('reports an error answer of nestjs-api as a tool error too', async () => {
    const failing = await startRecordingProxy(inject('nestjsApiUrl'));
    failing.failWith = 500;
    const client = new ToolsApiClient({ baseUrl: failing.url, timeoutMs: 2000 });
    await expect(client.getTool('aider')).rejects.toMatchObject({ code: 'MCP_ERR_TOOLS_API_BAD_RESPONSE' });
    await failing.close();
  });
});
