/**
 * `npm run bench -w backend/fastify-api` (second part): the first AI search after a start, and
 * warm searches, through the real chain fastify-api → mcp-server → nestjs-api (embedded store,
 * seed data). Baseline measured in the same run: the retrieval the service did before
 * search_tools returned full records (search_tools, then one get_tool per candidate, 8 at once).
 * Target (issue 18): first AI search at most 300 ms.
 */
import { availableParallelism, loadavg } from 'node:os';
import { performance } from 'node:perf_hooks';
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { StreamableHTTPClientTransport } from '@modelcontextprotocol/sdk/client/streamableHttp.js';
import { createLogger } from '@codiesvibe/shared';
import { buildApp as buildMcpServer, ToolsApiClient } from '@codiesvibe/mcp-server';
import { startNestjsApi } from '@codiesvibe/nestjs-api/testing';
import { McpCandidateSource } from '../src/candidates/mcp.candidate-source.js';
import { startTestService } from '../test/support/test-service.js';
import { percentile } from './ranking-quality.js';

const TARGET_FIRST_MS = 300;
const WARM_RUNS = 30;
const QUERY = { query: 'self-hosted code assistant for a bank', limit: 10 };

const nestjsApi = await startNestjsApi({ label: 'first-search-bench' });
const mcpServer = buildMcpServer({
  toolsApi: new ToolsApiClient({ baseUrl: nestjsApi.url, timeoutMs: 5000 }),
  logger: createLogger({ service: 'mcp-server', env: 'test', instanceId: 'bench', level: 'silent' }),
  instanceId: 'bench',
});
const mcpUrl = `${await mcpServer.listen({ port: 0, host: '127.0.0.1' })}/mcp`;

/** The former retrieval: one search_tools page, then get_tool for each candidate, 8 at a time. */
async function perCandidateRetrieval(): Promise<number> {
  const client = new Client({ name: 'bench-baseline', version: '0' });
  const started = performance.now();
  await client.connect(new StreamableHTTPClientTransport(new URL(mcpUrl)));
  const page = (await client.callTool({ name: 'search_tools', arguments: { limit: 100 } }))
    .structuredContent as {
    tools: { slug: string }[];
  };
  const slugs = page.tools.map((tool) => tool.slug);
  for (let start = 0; start < slugs.length; start += 8) {
    await Promise.all(
      slugs.slice(start, start + 8).map((slug) => client.callTool({ name: 'get_tool', arguments: { slug } })),
    );
  }
  const elapsed = performance.now() - started;
  await client.close();
  return elapsed;
}

async function postSearch(url: string): Promise<number> {
  const started = performance.now();
  const response = await fetch(`${url}/ai/search`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify(QUERY),
  });
  if (response.status !== 200)
    throw new Error(`AI search answered ${response.status}: ${await response.text()}`);
  await response.json();
  return performance.now() - started;
}

try {
  // Warm nestjs-api's own caches so both sides of the comparison start from the same directory state.
  await perCandidateRetrieval();
  const baselineMs = await perCandidateRetrieval();

  const service = await startTestService({
    candidates: new McpCandidateSource({ url: mcpUrl, requestTimeoutMs: 5000 }),
  });
  const firstMs = await postSearch(service.url);
  const warm: number[] = [];
  for (let run = 0; run < WARM_RUNS; run += 1) warm.push(await postSearch(service.url));
  await service.close();

  const load = loadavg()[0]?.toFixed(2) ?? '?';
  console.log(
    `first AI search after a start (fallback ranker, seed data), load ${load} on ${availableParallelism()} cores`,
  );
  console.log(`  baseline, retrieval alone with one get_tool per candidate: ${baselineMs.toFixed(0)} ms`);
  console.log(
    `  first AI search, whole request (one search_tools per retrieval step): ${firstMs.toFixed(0)} ms ` +
      `(${(firstMs / baselineMs).toFixed(2)}× the baseline) target ≤ ${TARGET_FIRST_MS} ms: ${firstMs <= TARGET_FIRST_MS ? 'PASS' : 'MISSED'}`,
  );
  console.log(
    `  warm AI search over ${WARM_RUNS} runs: p50 ${percentile(warm, 0.5).toFixed(1)} ms, p99 ${percentile(warm, 0.99).toFixed(1)} ms`,
  );
} finally {
  await mcpServer.close();
  await nestjsApi.stop();
}
