import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { ApiErrorBody, Tool, ToolFacets, ToolInput, ToolPage } from '@codiesvibe/shared/domain';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadSeedTools } from '../src/seed/seed-data.js';
import { ADMIN_KEY, startApiServer, type ApiServer } from './support/api-server.js';
import { sampleTool } from './tool-repository.contract.js';

const SEED_COUNT = loadSeedTools().length;
const auth = { authorization: `Bearer ${ADMIN_KEY}` };
const jsonHeaders = { 'content-type': 'application/json', ...auth };

async function getJson<T>(api: ApiServer, path: string): Promise<{ status: number; body: T; headers: Headers }> {
  const response = await fetch(`${api.url}${path}`);
  return { status: response.status, body: (await response.json()) as T, headers: response.headers };
}

async function send(api: ApiServer, method: string, path: string, body?: unknown, headers: Record<string, string> = jsonHeaders) {
  const response = await fetch(`${api.url}${path}`, { method, headers, body: body === undefined ? undefined : typeof body === 'string' ? body : JSON.stringify(body) });
  const text = await response.text();
  return { status: response.status, body: (text ? JSON.parse(text) : undefined) as unknown, headers: response.headers };
}

const fields = (body: unknown) => ((body as ApiErrorBody).errors ?? []).map((error) => error.field).sort();

describe('tools API over HTTP (embedded store, in-process cache)', () => {
  let api: ApiServer;
  beforeAll(async () => {
    api = await startApiServer();
  });
  afterAll(async () => {
    await api.close();
  });

  describe('GET /api/tools', () => {
    it('answers the first page of 20 with a total and a cursor, then serves it from the cache', async () => {
      const first = await getJson<ToolPage>(api, '/api/tools');
      expect(first.status).toBe(200);
      expect(first.headers.get('content-type')).toBe('application/json; charset=utf-8');
      expect(first.body.items).toHaveLength(20);
      expect(first.body.total).toBe(SEED_COUNT);
      expect(first.body.nextCursor).toEqual(expect.any(String));
      const again = await getJson<ToolPage>(api, '/api/tools');
      expect(again.headers.get('x-cache')).toBe('hit');
      expect(again.body).toEqual(first.body);
    });

    it('accepts repeated and comma-separated values and ranks by relevance', async () => {
      const { body } = await getJson<ToolPage>(api, '/api/tools?q=terminal+agent&category=terminal,coding-agent&platform=cli&platform=vscode&limit=50');
      expect(body.total).toBeGreaterThan(3);
      expect(body.items.every((tool) => tool.platforms.includes('cli') || tool.platforms.includes('vscode'))).toBe(true);
      const exact = await getJson<ToolPage>(api, '/api/tools?q=ollama&openSource=true');
      expect(exact.body.items[0]?.slug).toBe('ollama');
    });

    it('walks every tool by cursor without skipping or repeating while tools are created', async () => {
      const seen: string[] = [];
      let cursor: string | null = null;
      let created = 0;
      do {
        const path: string = `/api/tools?sort=name&limit=9${cursor ? `&cursor=${cursor}` : ''}`;
        const { body } = await getJson<ToolPage>(api, path);
        seen.push(...body.items.map((tool) => tool.slug));
        cursor = body.nextCursor;
        for (const prefix of ['aaaa', 'zzzz']) {
          expect((await send(api, 'POST', '/api/tools', sampleTool(`${prefix}-paging-${created}`, { name: `${prefix} paging ${created}` }))).status).toBe(201);
        }
        created++;
      } while (cursor);
      expect(new Set(seen).size).toBe(seen.length);
      const original = seen.filter((slug) => !slug.includes('-paging-'));
      expect(original).toHaveLength(SEED_COUNT);
      for (let index = 0; index < created; index++) {
        expect((await send(api, 'DELETE', `/api/tools/aaaa-paging-${index}`, undefined, auth)).status).toBe(204);
        expect((await send(api, 'DELETE', `/api/tools/zzzz-paging-${index}`, undefined, auth)).status).toBe(204);
      }
    });

    it('refuses unknown parameters and invalid values with one field error each', async () => {
      const { status, body } = await getJson<ApiErrorBody>(
        api,
        '/api/tools?color=red&category=blender&pricing=cheap&platform=amiga&openSource=maybe&sort=random&limit=500&tag=Not_Kebab',
      );
      expect(status).toBe(400);
      expect(body.code).toBe('CV_ERR_VALIDATION');
      expect(fields(body)).toEqual(['category', 'color', 'limit', 'openSource', 'platform', 'pricing', 'sort', 'tag']);
      expect(JSON.stringify(body)).not.toMatch(/at .*\.ts:\d+/);
    });

    it('refuses operator injection in query parameters', async () => {
      for (const path of ['/api/tools?category[$ne]=ide', '/api/tools?tag=$gt', '/api/tools?q[$regex]=.*', '/api/tools?q=a&q=b', '/api/tools?limit=1e2', '/api/tools?cursor=%7B%22%24gt%22%3A%22%22%7D']) {
        const { status, body } = await getJson<ApiErrorBody>(api, path);
        expect(status, path).toBe(400);
        expect(body.code, path).toBe('CV_ERR_VALIDATION');
      }
    });

    it('refuses a cursor from another query', async () => {
      const { body: page } = await getJson<ToolPage>(api, '/api/tools?category=ide&limit=2');
      const { status, body } = await getJson<ApiErrorBody>(api, `/api/tools?category=testing&limit=2&cursor=${page.nextCursor}`);
      expect(status).toBe(400);
      expect(fields(body)).toEqual(['cursor']);
    });
  });

  describe('GET /api/tools?q= with a typo or a word no tool has', () => {
    it('answers the results of the query as the directory spells it, and says so', async () => {
      const { body: exact } = await getJson<ToolPage>(api, '/api/tools?q=code+review&limit=50');
      expect(exact.total).toBeGreaterThan(0);
      expect(exact.correctedQuery).toBeUndefined();
      const { status, body } = await getJson<ToolPage>(api, '/api/tools?q=code+reviw&limit=50');
      expect(status).toBe(200);
      expect(body.correctedQuery).toBe('code review');
      expect(body.items.map((tool) => tool.slug)).toEqual(exact.items.map((tool) => tool.slug));
      // A word no tool has is left out rather than emptying the page.
      const { body: unknown } = await getJson<ToolPage>(api, '/api/tools?q=terminal+xqzvwk&limit=50');
      expect(unknown.correctedQuery).toBe('terminal');
      expect(unknown.total).toBeGreaterThan(0);
    });

    it('pages through the corrected results with the query as typed and counts facets the same way', async () => {
      const all = await getJson<ToolPage>(api, '/api/tools?q=terminl&limit=50');
      expect(all.body.correctedQuery).toBe('terminal');
      const first = await getJson<ToolPage>(api, '/api/tools?q=terminl&limit=2');
      expect(first.body.nextCursor).toEqual(expect.any(String));
      const second = await getJson<ToolPage>(api, `/api/tools?q=terminl&limit=2&cursor=${first.body.nextCursor}`);
      expect(second.status).toBe(200);
      expect(second.body.correctedQuery).toBe('terminal');
      expect([...first.body.items, ...second.body.items].map((tool) => tool.slug)).toEqual(all.body.items.slice(0, 4).map((tool) => tool.slug));
      const { body: facets } = await getJson<ToolFacets>(api, '/api/tools/facets?q=terminl');
      expect(facets.total).toBe(all.body.total);
    });

    it('answers an empty page without a correction when nothing is close, or when the words are known but no tool has them all', async () => {
      for (const q of ['xqzvwk', 'ollama+review']) {
        const { status, body } = await getJson<ToolPage>(api, `/api/tools?q=${q}`);
        expect(status, q).toBe(200);
        expect(body, q).toEqual({ items: [], total: 0, nextCursor: null });
      }
    });
  });

  describe('GET /api/tools/facets', () => {
    it('counts per category, pricing and platform for the filters', async () => {
      const { status, body } = await getJson<ToolFacets>(api, '/api/tools/facets?openSource=true');
      expect(status).toBe(200);
      const { body: page } = await getJson<ToolPage>(api, '/api/tools?openSource=true&limit=1');
      expect(body.total).toBe(page.total);
      expect(body.pricing.reduce((sum, entry) => sum + entry.count, 0)).toBe(page.total);
      expect(body.categories.map((entry) => entry.value)).toContain('self-hosted-model');
    });

    it('refuses list-only parameters', async () => {
      const { status, body } = await getJson<ApiErrorBody>(api, '/api/tools/facets?limit=5');
      expect(status).toBe(400);
      expect(fields(body)).toEqual(['limit']);
    });
  });

  describe('GET /api/tools/:slug', () => {
    it('answers a tool, 404 for an unknown slug and 400 for a malformed one', async () => {
      const found = await getJson<Tool>(api, '/api/tools/aider');
      expect(found.status).toBe(200);
      expect(found.body).toMatchObject({ slug: 'aider', name: 'Aider', openSource: true });
      const missing = await getJson<ApiErrorBody>(api, '/api/tools/no-such-tool');
      expect(missing.status).toBe(404);
      expect(missing.body).toMatchObject({ statusCode: 404, error: 'Not Found', code: 'CV_ERR_NOT_FOUND' });
      expect(missing.body.requestId).toEqual(expect.any(String));
      const malformed = await getJson<ApiErrorBody>(api, '/api/tools/Not_A_Slug');
      expect(malformed.status).toBe(400);
    });

    it('answers unknown routes with 404 CV_ERR_ROUTE_NOT_FOUND', async () => {
      const { status, body } = await getJson<ApiErrorBody>(api, '/api/nothing-here');
      expect(status).toBe(404);
      expect(body.code).toBe('CV_ERR_ROUTE_NOT_FOUND');
    });
  });

  describe('writes', () => {
    const input: ToolInput = sampleTool('http-write-test', { name: 'Qwertyuiop Helper', tags: ['qwertyuiop'] });

    it('require the admin key: 401 without it, with a wrong one, or with another scheme', async () => {
      for (const headers of [{} as Record<string, string>, { authorization: 'Bearer wrong-key-wrong-key' }, { authorization: `Basic ${ADMIN_KEY}` }, { authorization: `Bearer ${ADMIN_KEY}x` }]) {
        const result = await send(api, 'POST', '/api/tools', input, { 'content-type': 'application/json', ...headers });
        expect(result.status).toBe(401);
        expect((result.body as ApiErrorBody).code).toBe('CV_ERR_UNAUTHORIZED');
        expect(result.headers.get('www-authenticate')).toMatch(/^Bearer/);
      }
      expect((await send(api, 'PATCH', '/api/tools/aider', { name: 'x' }, { 'content-type': 'application/json' })).status).toBe(401);
      expect((await send(api, 'DELETE', '/api/tools/aider', undefined, {})).status).toBe(401);
    });

    it('create, read, update and delete a tool; the cache follows every write', async () => {
      const search = '/api/tools?q=qwertyuiop';
      expect((await getJson<ToolPage>(api, search)).body.total).toBe(0);
      expect((await getJson<ToolPage>(api, search)).headers.get('x-cache')).toBe('hit');

      const created = await send(api, 'POST', '/api/tools', input);
      expect(created.status).toBe(201);
      expect(created.body).toMatchObject({ slug: 'http-write-test', name: 'Qwertyuiop Helper' });
      const afterCreate = await getJson<ToolPage>(api, search);
      expect(afterCreate.headers.get('x-cache')).toBe('miss');
      expect(afterCreate.body.items.map((tool) => tool.slug)).toEqual(['http-write-test']);
      expect((await getJson<Tool>(api, '/api/tools/http-write-test')).headers.get('x-cache')).toBe('miss');
      expect((await getJson<Tool>(api, '/api/tools/http-write-test')).headers.get('x-cache')).toBe('hit');

      const patched = await send(api, 'PATCH', '/api/tools/http-write-test', { tagline: 'Now patched', pricing: { model: 'paid', monthlyPriceFrom: 12 } });
      expect(patched.status).toBe(200);
      expect(patched.body).toMatchObject({ tagline: 'Now patched', pricing: { model: 'paid', monthlyPriceFrom: 12 } });
      expect((await getJson<Tool>(api, '/api/tools/http-write-test')).body.tagline).toBe('Now patched');

      expect((await send(api, 'DELETE', '/api/tools/http-write-test', undefined, auth)).status).toBe(204);
      expect((await getJson<ToolPage>(api, search)).body.total).toBe(0);
      expect((await getJson<ApiErrorBody>(api, '/api/tools/http-write-test')).status).toBe(404);
      expect((await send(api, 'DELETE', '/api/tools/http-write-test', undefined, auth)).status).toBe(404);
      expect((await send(api, 'PATCH', '/api/tools/http-write-test', { name: 'Gone' })).status).toBe(404);
    });

    it('answers 409 for a duplicate slug', async () => {
      const result = await send(api, 'POST', '/api/tools', sampleTool('aider'));
      expect(result.status).toBe(409);
      expect((result.body as ApiErrorBody).code).toBe('CV_ERR_CONFLICT');
    });

    it('answers 400 with field errors for invalid bodies, operators and unknown fields', async () => {
      const invalid = await send(api, 'POST', '/api/tools', { ...input, slug: 'Bad Slug', website: 'ftp://x', categories: ['nope'], extra: 1 });
      expect(invalid.status).toBe(400);
      expect(fields(invalid.body)).toEqual(['categories.0', 'extra', 'slug', 'website']);

      const operator = await send(api, 'POST', '/api/tools', { ...input, name: { $gt: '' } });
      expect(operator.status).toBe(400);
      expect(fields(operator.body)).toEqual(['name']);

      const patchOperator = await send(api, 'PATCH', '/api/tools/aider', { $set: { name: 'x' } });
      expect(fields(patchOperator.body)).toEqual(['$set']);
      expect((await send(api, 'PATCH', '/api/tools/aider', { slug: 'renamed' })).status).toBe(400);
      expect((await send(api, 'PATCH', '/api/tools/aider', {})).status).toBe(400);
      expect((await send(api, 'POST', '/api/tools', [input])).status).toBe(400);
    });

    it('answers 400 CV_ERR_INVALID_JSON for malformed JSON and 413 for a body over 100 KB', async () => {
      const malformed = await send(api, 'POST', '/api/tools', '{"slug": ');
      expect(malformed.status).toBe(400);
      expect((malformed.body as ApiErrorBody).code).toBe('CV_ERR_INVALID_JSON');
      const huge = await send(api, 'POST', '/api/tools', { ...input, description: 'x'.repeat(101 * 1024) });
      expect(huge.status).toBe(413);
      expect((huge.body as ApiErrorBody).code).toBe('CV_ERR_PAYLOAD_TOO_LARGE');
      const justUnder = await send(api, 'POST', '/api/tools', { ...input, description: 'x'.repeat(90 * 1024) });
      expect(justUnder.status).toBe(400); // parsed, then refused by the schema (description max 5000)
    });
  });

  describe('docs and health', () => {
    it('serves the OpenAPI document and a self-contained docs page', async () => {
      const { status, body } = await getJson<{ openapi: string; paths: Record<string, unknown>; components: { schemas: Record<string, unknown> } }>(api, '/api/docs/openapi.json');
      expect(status).toBe(200);
      expect(body.openapi).toBe('3.1.0');
      expect(Object.keys(body.paths)).toEqual(expect.arrayContaining(['/api/tools', '/api/tools/facets', '/api/tools/{slug}']));
      expect(Object.keys(body.components.schemas)).toEqual(expect.arrayContaining(['Tool', 'ToolInput', 'ToolPage', 'ToolFacets', 'ApiError']));
      const page = await fetch(`${api.url}/api/docs`);
      expect(page.headers.get('content-type')).toMatch(/^text\/html/);
      const html = await page.text();
      expect(html).toContain('/api/docs/openapi.json');
      expect(html).not.toMatch(/<script[^>]+src=["']https?:/);
    });

    it('reports live and ready with the store and cache checks, and exposes metrics', async () => {
      expect((await fetch(`${api.url}/health/live`)).status).toBe(200);
      const ready = await getJson<{ status: string; checks: Record<string, { status: string }> }>(api, '/health/ready');
      expect(ready.status).toBe(200);
      expect(ready.body.status).toBe('ok');
      expect(Object.keys(ready.body.checks)).toEqual(['embedded', 'cache']);
      const metrics = await (await fetch(`${api.url}/metrics`)).text();
      expect(metrics).toMatch(/nestjs_api_cache_requests_total\{[^}]*kind="list"[^}]*outcome="hit"/);
      expect(metrics).toContain('http_request_duration_seconds');
    });
  });
});

describe('tools API without an admin key', () => {
  it('refuses every write with 401 and says why', async () => {
    const api = await startApiServer({ adminApiKey: null });
    try {
      const result = await send(api, 'POST', '/api/tools', sampleTool('no-key'));
      expect(result.status).toBe(401);
      expect((result.body as ApiErrorBody).message).toMatch(/ADMIN_API_KEY/);
      expect((await getJson<ToolPage>(api, '/api/tools')).status).toBe(200);
    } finally {
      await api.close();
    }
  });
});

describe('tools API restart (embedded store on disk)', () => {
  let dataDir: string;
  beforeAll(async () => {
    dataDir = await mkdtemp(join(tmpdir(), 'nestjs-api-store-'));
  });
  afterAll(async () => {
    await rm(dataDir, { recursive: true, force: true });
  });

  it('keeps created, edited and deleted state across restarts and does not re-seed', async () => {
    const first = await startApiServer({ dataDir });
    try {
      expect((await send(first, 'POST', '/api/tools', sampleTool('survives-restart'))).status).toBe(201);
      expect((await send(first, 'PATCH', '/api/tools/aider', { tagline: 'Edited before restart' })).status).toBe(200);
      expect((await send(first, 'DELETE', '/api/tools/ollama', undefined, auth)).status).toBe(204);
    } finally {
      await first.close();
    }
    const second = await startApiServer({ dataDir });
    try {
      expect((await getJson<Tool>(second, '/api/tools/survives-restart')).status).toBe(200);
      expect((await getJson<Tool>(second, '/api/tools/aider')).body.tagline).toBe('Edited before restart');
      expect((await getJson<Tool>(second, '/api/tools/ollama')).status).toBe(404);
      expect((await getJson<ToolPage>(second, '/api/tools?limit=1')).body.total).toBe(SEED_COUNT);
    } finally {
      await second.close();
    }
  });
});
