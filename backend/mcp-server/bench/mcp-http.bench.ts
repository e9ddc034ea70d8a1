import type { AddressInfo } from 'node:net';
import { createLogger } from '@codiesvibe/shared';
import { buildApp } from '../src/app.js';
import { createToolsApiClient } from '../src/tools-api/tools-api.factory.js';
import { callTool, connectHttpClient } from '../test/support/mcp-clients.js';
import { startNestjsApi } from '@codiesvibe/nestjs-api/testing';

// Latency of MCP tool calls over Streamable HTTP, end to end through the SDK client, against a
// real nestjs-api on its embedded store: a fresh server and transport per request in stateless
// mode, validation, one HTTP call to the directory (answered from its cache after the warm-up),
// rendering.

const CALLS = Number(process.env.BENCH_CALLS ?? 400);
const CONCURRENCY = Number(process.env.BENCH_CONCURRENCY ?? 8);

function percentile(sorted: number[], p: number): number {
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)] ?? Number.NaN;
}

const directory = await startNestjsApi({ label: 'mcp-bench' });
const logger = createLogger({ service: 'mcp-server', env: 'test', instanceId: 'bench', level: 'silent' });
const app = buildApp({
  toolsApi: createToolsApiClient({ TOOLS_API_URL: directory.url, TOOLS_API_TIMEOUT_MS: 5000 }),
  logger,
  instanceId: 'bench',
});
await app.listen({ port: 0, host: '127.0.0.1' });
const url = `http://127.0.0.1:${(app.server.address() as AddressInfo).port}/mcp`;
const clients = await Promise.all(Array.from({ length: CONCURRENCY }, () => connectHttpClient(url)));

const calls: [string, Record<string, unknown>][] = [
  ['search_tools', { query: 'agent', limit: 10 }],
  ['get_tool', { slug: 'aider' }],
  ['compare_tools', { slugs: ['aider', 'cursor', 'continue'] }],
  ['list_categories', {}],
];
for (const client of clients) for (const [name, args] of calls) await callTool(client, name, args); // warm-up

const latencies = new Map<string, number[]>(calls.map(([name]) => [name, []]));
let next = 0;
const started = performance.now();
await Promise.all(
  clients.map(async (client) => {
    while (next < CALLS) {
      const [name, args] = calls[next++ % calls.length]!;
      const t0 = performance.now();
      const result = await callTool(client, name, args);
      if (result.isError) throw new Error(`${name} failed during the bench`);
      latencies.get(name)!.push(performance.now() - t0);
    }
  }),
);
const elapsedS = (performance.now() - started) / 1000;

console.log(`mcp-server bench: ${CALLS} tool calls, ${CONCURRENCY} concurrent clients, Streamable HTTP`);
for (const [name, values] of latencies) {
  const sorted = values.sort((a, b) => a - b);
  console.log(
    `  ${name.padEnd(16)} n=${String(sorted.length).padStart(4)}  p50 ${percentile(sorted, 50).toFixed(1)} ms  p99 ${percentile(sorted, 99).toFixed(1)} ms`,
  );
}
console.log(`  throughput       ${(CALLS / elapsedS).toFixed(0)} calls/s`);

await Promise.all(clients.map((client) => client.close()));
await app.close();
await directory.stop();
