// @vitest-environment node
import { freePort } from '@codiesvibe/shared/testing';
import { describe, expect, it } from 'vitest';
import { fixtureTools } from '../testing/fixture-tools.js';
import { sharedToolsApiUrl, writableToolsApi } from '../testing/tools-api.js';
import { ApiError, CLIENT_ERROR_CODES } from './api-error.js';
import { createToolsClient } from './tools-client.js';

const newTool = () => {
  const { createdAt: _c, updatedAt: _u, ...input } = fixtureTools()[0]!;
  return input;
};

describe('createToolsClient against the real nestjs-api', () => {
  const client = () => createToolsClient({ baseUrl: sharedToolsApiUrl() });

  it('lists tools narrowed by filters', async () => {
    const all = await client().listTools({}, { limit: 1 });
    const page = await client().listTools({ category: ['code-review'] });
    expect(page.total).toBeGreaterThan(0);
    expect(page.total).toBeLessThan(all.total);
    expect(page.items.every((tool) => tool.categories.includes('code-review'))).toBe(true);
  });

  it('follows the cursor without repeating a tool', async () => {
    const first = await client().listTools({}, { limit: 20, sort: 'name' });
    expect(first.items).toHaveLength(20);
    expect(first.nextCursor).not.toBeNull();
    const second = await client().listTools({}, { limit: 20, sort: 'name', cursor: first.nextCursor });
    expect(second.items).toHaveLength(Math.min(20, first.total - 20));
    const slugs = [...first.items, ...second.items].map((tool) => tool.slug);
    expect(new Set(slugs).size).toBe(slugs.length);
  });

  it('reads facet counts for the same filters', async () => {
    const facets = await client().getFacets({ openSource: true });
    const page = await client().listTools({ openSource: true }, { limit: 1 });
    expect(facets.total).toBe(page.total);
    expect(facets.pricing.find((entry) => entry.value === 'open-source')?.count).toBeGreaterThan(0);
  });

  it('starts a new trace on every call, which nestjs-api continues (its answer names the same trace)', async () => {
    const seen: { sent: string | null; answered: string | null }[] = [];
    const watching: typeof fetch = async (input, init) => {
      const response = await fetch(input, init);
      seen.push({
        sent: new Headers(init?.headers).get('traceparent'),
        answered: response.headers.get('traceparent'),
      });
      return response;
    };
    const traced = createToolsClient({ baseUrl: sharedToolsApiUrl(), fetch: watching });
    await traced.listTools({}, { limit: 1 });
    await traced.getFacets({});
    expect(seen).toHaveLength(2);
    for (const { sent, answered } of seen) {
      expect(sent).toMatch(/^00-[0-9a-f]{32}-[0-9a-f]{16}-01$/);
      const [, traceId, browserSpan] = sent!.split('-');
      expect(answered?.split('-')[1]).toBe(traceId);
      // The service's own span, under the browser's.
      expect(answered?.split('-')[2]).not.toBe(browserSpan);
    }
    expect(seen[0]!.sent!.split('-')[1]).not.toBe(seen[1]!.sent!.split('-')[1]);
  });

  it('turns a 404 into an ApiError with the server code', async () => {
    const failure = await client()
      .getTool('no-such-tool')
      .catch((error: unknown) => error);
    expect(failure).toBeInstanceOf(ApiError);
    expect(failure).toMatchObject({ status: 404, code: 'CV_ERR_NOT_FOUND' });
  });

  it('sends the admin key as a bearer token and reports a wrong one', async () => {
    const failure = await client()
      .createTool({ ...newTool(), slug: 'wrong-key-tool' }, 'wrong')
      .catch((error: unknown) => error);
    expect(failure).toMatchObject({ status: 401, code: 'CV_ERR_UNAUTHORIZED' });
  });

  it('rethrows aborts untouched so callers can ignore them', async () => {
    const controller = new AbortController();
    controller.abort();
    const failure = await client()
      .listTools({}, { signal: controller.signal })
      .catch((error: unknown) => error);
    expect(failure).not.toBeInstanceOf(ApiError);
    expect((failure as Error).name).toBe('AbortError');
  });

  it('reports an unreachable server with a network code', async () => {
    const failure = await createToolsClient({ baseUrl: `http://127.0.0.1:${await freePort()}` })
      .listTools({})
      .catch((error: unknown) => error);
    expect(failure).toMatchObject({ code: CLIENT_ERROR_CODES.network, status: 0 });
  });

  it('reports a non-JSON error answer without inventing a server code', async () => {
    const failure = await createToolsClient({
      baseUrl: '',
      fetch: () => Promise.resolve(new Response('<html>bad gateway</html>', { status: 502 })),
    })
      .getTool('x')
      .catch((error: unknown) => error);
    expect(failure).toMatchObject({ status: 502, code: CLIENT_ERROR_CODES.badResponse });
  });
});

describe('createToolsClient writing to the real nestjs-api', () => {
  const api = writableToolsApi();
  const client = () => createToolsClient({ baseUrl: api.url });

  it('carries the field errors of a 400', async () => {
    const failure = await client()
      .createTool({ ...newTool(), slug: 'Bad Slug', tagline: '' }, api.adminApiKey)
      .catch((error: unknown) => error);
    expect(failure).toBeInstanceOf(ApiError);
    const fields = (failure as ApiError).fieldErrors.map((error) => error.field);
    expect(fields).toEqual(expect.arrayContaining(['slug', 'tagline']));
  });

  it('creates and then updates a tool', async () => {
    const created = await client().createTool(
      { ...newTool(), slug: 'client-spec-copilot-clone', name: 'Copilot Clone' },
      api.adminApiKey,
    );
    expect(created.slug).toBe('client-spec-copilot-clone');
    const updated = await client().updateTool(
      'client-spec-copilot-clone',
      { tagline: 'Now better' },
      api.adminApiKey,
    );
    expect(updated.tagline).toBe('Now better');
    expect((await client().getTool('client-spec-copilot-clone')).tagline).toBe('Now better');
  });
});
