import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { FastifyInstance } from 'fastify';
import type { AiSearchResponse, SearchIntent, Tool } from '@codiesvibe/shared/domain';
import { createLogger, createMetrics } from '@codiesvibe/shared';
import { buildApp as buildMcpServer, ToolsApiClient } from '@codiesvibe/mcp-server';
import { McpCandidateSource } from '../src/candidates/mcp.candidate-source.js';
import { startNestjsApi, type NestjsApiProcess } from '@codiesvibe/nestjs-api/testing';
import { mcpToolCalls } from './support/mcp-tool-calls.js';
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
const toolCalls = (tool: string) => mcpToolCalls(mcpMetrics, tool);

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

const noIntent: SearchIntent = { categories: [], platforms: [], pricing: [], text: '' };
const pythonAgents: SearchIntent = { categories: ['coding-agent'], platforms: [], pricing: [], text: 'python' };
/** What the first step of `pythonAgents` asks for: a coding agent that mentions python. */
const mentionsPythonAgent = (tool: Tool) =>
  tool.categories.includes('coding-agent') && /\bpython/i.test([tool.name, tool.tagline, tool.description, ...tool.tags].join(' '));

describe('McpCandidateSource against the real mcp-server and nestjs-api', () => {
  let source: McpCandidateSource;
  let admin: Record<string, string>;
  beforeAll(() => {
    source = new McpCandidateSource({ url: mcpUrl, requestTimeoutMs: 5000 });
    admin = { authorization: `Bearer ${nestjsApi.adminApiKey}`, 'content-type': 'application/json' };
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

    const limited = await source.findCandidates(noIntent, 30);
    expect(limited).toHaveLength(30);
  });

  it('fetches a directory under the limit whole: one search_tools call per search whatever the intent, no get_tool, and a changed tool seen at once', async () => {
    const fresh = new McpCandidateSource({ url: mcpUrl, requestTimeoutMs: 5000 });
    try {
      const [searchesBefore, getsBefore] = [await toolCalls('search_tools'), await toolCalls('get_tool')];
      const intents: SearchIntent[] = [
        noIntent,
        { categories: ['testing'], platforms: ['vscode'], pricing: [], text: '' },
        { categories: ['coding-agent'], platforms: [], pricing: ['free'], openSource: true, text: 'terminal' },
      ];
      for (const [index, intent] of intents.entries()) {
        expect(await fresh.findCandidates(intent, 100)).toHaveLength(79);
        expect(await toolCalls('search_tools')).toBe(searchesBefore + index + 1);
      }
      expect(await toolCalls('get_tool')).toBe(getsBefore);

      const patched = await fetch(`${nestjsApi.url}/api/tools/keploy`, {
        method: 'PATCH',
        headers: admin,
        body: JSON.stringify({
          description: 'Turns recorded API traffic into regression tests and mocks, with no code to write.',
        }),
      });
      expect(patched.status).toBe(200);
      const candidates = await fresh.findCandidates(noIntent, 100);
      expect(candidates.find((tool) => tool.slug === 'keploy')?.description).toBe(
        'Turns recorded API traffic into regression tests and mocks, with no code to write.',
      );
    } finally {
      await fresh.close();
    }
  });

  it('orders a directory fetched whole as the steps would: the tools that mention the free words with the filters first', async () => {
    const before = await toolCalls('search_tools');
    const candidates = await source.findCandidates(pythonAgents, 100);
    expect(await toolCalls('search_tools')).toBe(before + 1);
    expect(candidates).toHaveLength(79);
    expect(candidates.slice(0, 3).every(mentionsPythonAgent)).toBe(true);
    expect(candidates.slice(3).some(mentionsPythonAgent)).toBe(false);
  });

  it('runs the steps when the directory is larger than the limit: the free words with the filters, then the relaxed steps fill up, one call each', async () => {
    const fresh = new McpCandidateSource({ url: mcpUrl, requestTimeoutMs: 5000 });
    try {
      // 79 tools, a limit of 30: the first search learns that the whole directory does not fit
      // (one call), then runs the words with the category (3 tools), the category alone (29) and
      // nothing; later searches run the steps alone.
      const first = await toolCalls('search_tools');
      const candidates = await fresh.findCandidates(pythonAgents, 30);
      expect(await toolCalls('search_tools')).toBe(first + 1 + 3);
      expect(candidates).toHaveLength(30);
      expect(candidates.slice(0, 3).every(mentionsPythonAgent)).toBe(true);
      expect(candidates.slice(3).some(mentionsPythonAgent)).toBe(false);
      expect(candidates.slice(0, 29).every((tool) => tool.categories.includes('coding-agent'))).toBe(true);

      const second = await toolCalls('search_tools');
      expect(await fresh.findCandidates(pythonAgents, 30)).toEqual(candidates);
      expect(await toolCalls('search_tools')).toBe(second + 3);
    } finally {
      await fresh.close();
    }
  });

  it('follows the directory as tools are added past the limit and deleted again', async () => {
    const fresh = new McpCandidateSource({ url: mcpUrl, requestTimeoutMs: 5000 });
    const testingForVscode: SearchIntent = { categories: ['testing'], platforms: ['vscode'], pricing: [], text: '' };
    const added = ['limit-probe-one', 'limit-probe-two'];
    // No content-type: nestjs-api refuses an empty JSON body.
    const deleteTool = (slug: string) =>
      fetch(`${nestjsApi.url}/api/tools/${slug}`, { method: 'DELETE', headers: { authorization: `Bearer ${nestjsApi.adminApiKey}` } });
    const search = async () => {
      const before = await toolCalls('search_tools');
      const candidates = await fresh.findCandidates(testingForVscode, 80);
      return { candidates, calls: (await toolCalls('search_tools')) - before };
    };
    try {
      // 79 tools fit within 80: one call.
      expect(await search()).toMatchObject({ calls: 1, candidates: { length: 79 } });

      for (const slug of added) {
        const created = await fetch(`${nestjsApi.url}/api/tools`, {
          method: 'POST',
          headers: admin,
          body: JSON.stringify({
            slug,
            name: slug,
            tagline: 'A tool that pushes the directory past the candidate limit',
            description: 'Generates unit tests inside VS Code; added and deleted by this test.',
            website: `https://${slug}.example`,
            categories: ['testing'],
            tags: [],
            pricing: { model: 'free' },
            platforms: ['vscode'],
            openSource: true,
          }),
        });
        expect(created.status).toBe(201);
      }
      // 81 tools: the whole-directory call shows they no longer fit, then the three steps run
      // (filters, categories, nothing); the new tools match the filters, so they are among the first.
      const grown = await search();
      expect(grown.calls).toBe(1 + 3);
      expect(grown.candidates).toHaveLength(80);
      expect(grown.candidates.slice(0, 4).map((tool) => tool.slug)).toEqual(expect.arrayContaining(added));
      expect((await search()).calls).toBe(3);

      for (const slug of added) {
        expect((await deleteTool(slug)).status).toBe(204);
      }
      // 79 again: the last step, unfiltered, sees it, and the next search is one call again.
      expect(await search()).toMatchObject({ calls: 3, candidates: { length: 79 } });
      expect(await search()).toMatchObject({ calls: 1, candidates: { length: 79 } });
    } finally {
      // Left in place by a failed expectation, they would change what the other tests count.
      for (const slug of added) await deleteTool(slug);
      await fresh.close();
    }
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
