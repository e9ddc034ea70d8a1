import { describe, expect, it } from 'vitest';

const base = process.env.E2E_BASE_URL?.replace(/\/+$/, '');
if (!base) throw new Error('E2E_BASE_URL is required: the URL of the running stack (e.g. http://127.0.0.1:4000)');
const url = (path: string) => `${base}${path}`;

interface ToolPage {
  items: { slug: string; categories: string[] }[];
  total: number;
  nextCursor: string | null;
}

describe(`the running stack at ${base}`, () => {
  it('serves the web app at the root', async () => {
    const response = await fetch(url('/'));
    expect(response.status).toBe(200);
    expect(await response.text()).toContain('<div id="root">');
  });

  it('lists the seeded directory, filters it, and pages through it without repeats', async () => {
    const all = (await (await fetch(url('/api/tools?limit=100'))).json()) as ToolPage;
    expect(all.total).toBeGreaterThanOrEqual(60);
    const testing = (await (await fetch(url('/api/tools?category=testing&limit=100'))).json()) as ToolPage;
    expect(testing.total).toBeGreaterThan(0);
    expect(testing.total).toBeLessThan(all.total);
    expect(testing.items.every((tool) => tool.categories.includes('testing'))).toBe(true);

    const seen: string[] = [];
    let cursor: string | null = null;
    do {
      const page = (await (await fetch(url(`/api/tools?sort=name&limit=7${cursor ? `&cursor=${cursor}` : ''}`))).json()) as ToolPage;
      seen.push(...page.items.map((tool) => tool.slug));
      cursor = page.nextCursor;
    } while (cursor);
    expect(seen).toHaveLength(all.total);
    expect(new Set(seen).size).toBe(all.total);
  });

  it('answers an unknown tool with a 404 error body and a bad query with field errors', async () => {
    const missing = await fetch(url('/api/tools/no-such-tool-anywhere'));
    expect(missing.status).toBe(404);
    expect(((await missing.json()) as { statusCode: number }).statusCode).toBe(404);
    const bad = await fetch(url('/api/tools?limit=0'));
    expect(bad.status).toBe(400);
    expect(((await bad.json()) as { errors?: { field: string }[] }).errors?.[0]?.field).toBe('limit');
  });

  it('answers AI search, naming which engine answered', async () => {
    const response = await fetch(url('/ai/search'), {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ query: 'self-hosted code assistant for a bank', limit: 5 }),
    });
    expect(response.status).toBe(200);
    const answer = (await response.json()) as { mode: string; results: { tool: { slug: string } }[] };
    expect(['ollama', 'fallback']).toContain(answer.mode);
    expect(answer.results.length).toBeGreaterThan(0);
  });

  it('streams AI search as server-sent events: intent, results, explanation, done', async () => {
    const response = await fetch(url('/ai/search/stream?query=terminal%20coding%20agent'));
    expect(response.headers.get('content-type')).toContain('text/event-stream');
    const text = await response.text();
    const events = [...text.matchAll(/^event: (\w+)$/gm)].map((match) => match[1]);
    expect(events[0]).toBe('intent');
    expect(events[1]).toBe('results');
    expect(events).toContain('explanation');
    expect(events.at(-1)).toBe('done');
  });

  it('speaks MCP through the gateway', async () => {
    const response = await fetch(url('/mcp'), {
      method: 'POST',
      headers: { 'content-type': 'application/json', accept: 'application/json, text/event-stream' },
      body: JSON.stringify({ jsonrpc: '2.0', id: 1, method: 'tools/list', params: {} }),
    });
    expect(response.status).toBe(200);
    const body = await response.text();
    for (const tool of ['search_tools', 'get_tool', 'list_categories', 'compare_tools']) expect(body).toContain(tool);
  });

  it('reports every upstream in the gateway readiness', async () => {
    const response = await fetch(url('/health/ready'));
    expect(response.status).toBe(200);
    const report = JSON.stringify(await response.json());
    for (const name of ['nestjs-api', 'fastify-api']) expect(report).toContain(name);
  });
});
