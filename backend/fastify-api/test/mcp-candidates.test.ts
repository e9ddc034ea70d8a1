import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { FastifyInstance } from 'fastify';
import type { AiSearchResponse } from '@codiesvibe/shared/domain';
import { createLogger, createMetrics } from '@codiesvibe/shared';
import { buildApp as buildMcpServer, ToolsApiClient } from '@codiesvibe/mcp-server';
import { McpCandidateSource } from '../src/candidates/mcp.candidate-source.js';
import { startNestjsApi, type NestjsApiProcess } from '@codiesvibe/nestjs-api/testing';
import { startTestService, type TestService } from './support/test-service.js';

/*
 * The production retrieval path for real: fastify-api's MCP client → the real mcp-server (in this
 * process) → the real nestjs-api (a child process with its seeded embedded store).
 */
let nestjsApi: NestjsApiProcess;
let mcpServer: FastifyInstance;
let mcpUrl: string;
const mcpMetrics = createMetrics({ service: 'mcp-server', instanceId: 'test', defaultMetrics: false });

/** How many calls of one MCP tool mcp-server has answered, from its own metrics. */
async function toolCalls(tool: string): Promise<number> {
  const metric = await mcpMetrics.registry.getSingleMetricAsString('mcp_tool_call_duration_seconds');
  return [...metric.matchAll(new RegExp(`_count\\{[^}]*tool="${tool}"[^}]*\\} (\\d+)`, 'g'))].reduce(
    (sum, match) => sum + Number(match[1]),
    0,
  );
}

beforeAll(async () => {
  nestjsApi = await startNestjsApi({ label: 'fastify-api-tests' });
  mcpServer = buildMcpServer({
    toolsApi: new ToolsApiClient({ baseUrl: nestjsApi.url, timeoutMs: 5000 }),
    logger: createLogger({ service: 'mcp-server', env: 'test', instanceId: 'test', level: 'silent' }),
    instanceId: 'test',
    metrics: mcpMetrics,
  });
  mcpUrl = `${await mcpServer.listen({ port: 0, host: '127.0.0.1' })}/mcp`;
}, 120_000);

afterAll(async () => {
  await mcpServer?.close();
  await nestjsApi?.stop();
});

describe('McpCandidateSource against the real mcp-server and nestjs-api', () => {
  let source: McpCandidateSource;
  beforeAll(() => {
    source = new McpCandidateSource({ url: mcpUrl, requestTimeoutMs: 5000 });
  });
  afterAll(() => source?.close());

  it('retrieves full tools, those matching the intent filters first, then the rest, up to the limit', async () => {
    await source.ping();
    const candidates = await source.findCandidates(
      { categories: ['testing'], platforms: ['vscode'], pricing: [], text: '' },
      100,
    );
    expect(candidates.length).toBe(79); // the whole seed: the filters only order retrieval
    const firstTwo = candidates.slice(0, 2);
    for (const tool of firstTwo) {
      expect(tool.categories).toContain('testing');
      expect(tool.platforms).toContain('vscode');
    }
    // Full tools from search_tools itself: the ranker needs descriptions and tags.
    expect(
      candidates.every((tool) => tool.description.length > 0 && Array.isArray(tool.tags) && tool.updatedAt),
    ).toBe(true);
    expect(new Set(candidates.map((tool) => tool.slug)).size).toBe(candidates.length);

    const limited = await source.findCandidates({ categories: [], platforms: [], pricing: [], text: '' }, 30);
    expect(limited).toHaveLength(30);
  });

  it('makes one search_tools call per retrieval step and no get_tool call, and sees a changed tool at once', async () => {
    const noIntent = { categories: [], platforms: [], pricing: [], text: '' };
    const [searchesBefore, getsBefore] = [await toolCalls('search_tools'), await toolCalls('get_tool')];
    await source.findCandidates(noIntent, 100);
    expect(await toolCalls('search_tools')).toBe(searchesBefore + 1);
    // Strict filters that leave the limit unfilled: then the categories alone, then none.
    await source.findCandidates(
      { categories: ['testing'], platforms: ['vscode'], pricing: [], text: '' },
      100,
    );
    expect(await toolCalls('search_tools')).toBe(searchesBefore + 4);
    expect(await toolCalls('get_tool')).toBe(getsBefore);

    const patched = await fetch(`${nestjsApi.url}/api/tools/keploy`, {
      method: 'PATCH',
      headers: { authorization: `Bearer ${nestjsApi.adminApiKey}`, 'content-type': 'application/json' },
      body: JSON.stringify({
        description: 'Turns recorded API traffic into regression tests and mocks, with no code to write.',
      }),
    });
    expect(patched.status).toBe(200);
    const candidates = await source.findCandidates(noIntent, 100);
    expect(candidates.find((tool) => tool.slug === 'keploy')?.description).toBe(
      'Turns recorded API traffic into regression tests and mocks, with no code to write.',
    );
  });

  it('sends the free words of the query with the filters: the tools that mention them come first, then the relaxed steps fill up', async () => {
    const before = await toolCalls('search_tools');
    const candidates = await source.findCandidates({ categories: ['coding-agent'], platforms: [], pricing: [], text: 'python' }, 100);
    // The words with the category, then the category alone, then nothing: each ran because the limit was unfilled.
    expect(await toolCalls('search_tools')).toBe(before + 3);
    expect(candidates).toHaveLength(79);
    const wanted = (tool: (typeof candidates)[number]) =>
      tool.categories.includes('coding-agent') && /\bpython/i.test([tool.name, tool.tagline, tool.description, ...tool.tags].join(' '));
    expect(candidates.slice(0, 3).every(wanted)).toBe(true);
    expect(candidates.slice(3).some(wanted)).toBe(false);
  });

  it('serves AI search end to end through MCP', async () => {
    let service: TestService | undefined;
    try {
      service = await startTestService({ candidates: source });
      const response = await fetch(`${service.url}/ai/search`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ query: 'self-hosted code assistant for a bank', limit: 5 }),
      });
      expect(response.status).toBe(200);
      const answer = (await response.json()) as AiSearchResponse;
      expect(answer.mode).toBe('fallback');
      expect(answer.results.map((result) => result.tool.slug)).toContain('tabby');
      const ready = await fetch(`${service.url}/health/ready`);
      expect(ready.status).toBe(200);
    } finally {
      await service?.close();
    }
  });

  it('warms retrieval up before listening: the MCP session and search_tools run at start, nothing is logged as a search', async () => {
    let service: TestService | undefined;
    const fresh = new McpCandidateSource({ url: mcpUrl, requestTimeoutMs: 5000 });
    try {
      const before = await toolCalls('search_tools');
      service = await startTestService({ candidates: fresh, warmUp: true });
      expect(await toolCalls('search_tools')).toBeGreaterThan(before);
      expect(await service.store.recentQueries(10)).toEqual([]);
    } finally {
      await service?.close();
    }
  });

  it('starts anyway when mcp-server does not answer the warm-up', async () => {
    const { warmUpSearch, createSearchService } = await import('../src/service-wiring.js');
    const { EmbeddedSearchStore } = await import('../src/store/embedded.search-store.js');
    const store = await EmbeddedSearchStore.open();
    const unreachable = new McpCandidateSource({ url: 'http://127.0.0.1:9/mcp', requestTimeoutMs: 500 });
    try {
      const search = createSearchService(
        { candidates: unreachable, store, ollama: undefined },
        {
          logger: createLogger({ service: 'fastify-api', env: 'test', instanceId: 'test', level: 'silent' }),
          metrics: createMetrics({ service: 'fastify-api', instanceId: 'test', defaultMetrics: false }),
          instanceId: 'test',
        },
      );
      const outcome = await warmUpSearch(search);
      expect(outcome.warmed).toBe(false);
      expect(outcome.reason).toMatch(/unreachable|failed/);
      expect(outcome.ms).toBeLessThan(2500);
    } finally {
      await unreachable.close();
      await store.close();
    }
  });
});
