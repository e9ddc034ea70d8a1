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

/** How many get_tool calls mcp-server has answered, from its own metrics. */
async function getToolCalls(): Promise<number> {
  const metric = await mcpMetrics.registry.getSingleMetricAsString('mcp_tool_call_duration_seconds');
  return [...metric.matchAll(/_count\{[^}]*tool="get_tool"[^}]*\} (\d+)/g)].reduce(
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
  // One source for the file: its full-tool cache warms once (79 get_tool calls), as in production.
  let source: McpCandidateSource;
  beforeAll(() => {
    source = new McpCandidateSource({ url: mcpUrl, requestTimeoutMs: 5000, toolTtlMs: 600_000 });
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
    // Full tools (get_tool), not search summaries: the ranker needs descriptions and tags.
    expect(
      candidates.every((tool) => tool.description.length > 0 && Array.isArray(tool.tags) && tool.updatedAt),
    ).toBe(true);
    expect(new Set(candidates.map((tool) => tool.slug)).size).toBe(candidates.length);

    const limited = await source.findCandidates({ categories: [], platforms: [], pricing: [], text: '' }, 30);
    expect(limited).toHaveLength(30);
  });

  it('fetches each full tool once, and again only when its summary changes', async () => {
    const noIntent = { categories: [], platforms: [], pricing: [], text: '' };
    await source.findCandidates(noIntent, 100);
    const afterFirst = await getToolCalls();
    await source.findCandidates(noIntent, 100);
    expect(await getToolCalls()).toBe(afterFirst);

    const patched = await fetch(`${nestjsApi.url}/api/tools/keploy`, {
      method: 'PATCH',
      headers: { authorization: `Bearer ${nestjsApi.adminApiKey}`, 'content-type': 'application/json' },
      body: JSON.stringify({ tagline: 'Turns recorded API traffic into tests and mocks' }),
    });
    expect(patched.status).toBe(200);
    const candidates = await source.findCandidates(noIntent, 100);
    expect(await getToolCalls()).toBe(afterFirst + 1);
    expect(candidates.find((tool) => tool.slug === 'keploy')?.tagline).toBe(
      'Turns recorded API traffic into tests and mocks',
    );
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
});
