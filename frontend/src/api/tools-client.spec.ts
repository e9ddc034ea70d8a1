// @vitest-environment node
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type ContractServer, startContractServer } from '../testing/contract-server.js';
import { fixtureTools } from '../testing/fixture-tools.js';
import { ApiError, CLIENT_ERROR_CODES } from './api-error.js';
import { createToolsClient, toolQueryString } from './tools-client.js';

const ADMIN_KEY = 'client-spec-key';

describe('toolQueryString', () => {
  it('repeats list parameters and leaves out what is unset', () => {
    expect(
      toolQueryString(
        { q: 'agent', category: ['coding-agent', 'terminal'], openSource: false },
        { sort: 'name', limit: 5 },
      ),
    ).toBe('?q=agent&category=coding-agent&category=terminal&openSource=false&sort=name&limit=5');
    expect(toolQueryString({})).toBe('');
  });
});

describe('createToolsClient against a real HTTP server', () => {
  let server: ContractServer;
  const client = () => createToolsClient({ baseUrl: server.url });

  beforeAll(async () => {
    server = await startContractServer({ adminApiKey: ADMIN_KEY });
  });
  afterAll(async () => {
    await server.close();
  });

  it('lists tools narrowed by filters', async () => {
    const page = await client().listTools({ category: ['code-review'] });
    expect(page.total).toBeGreaterThan(0);
    expect(page.total).toBeLessThan(fixtureTools().length);
    expect(page.items.every((tool) => tool.categories.includes('code-review'))).toBe(true);
  });

  it('follows the cursor to the last page', async () => {
    const first = await client().listTools({}, { limit: 20 });
    expect(first.items).toHaveLength(20);
    expect(first.nextCursor).not.toBeNull();
    const second = await client().listTools({}, { limit: 20, cursor: first.nextCursor });
    expect(second.items.length).toBe(first.total - 20);
    expect(second.nextCursor).toBeNull();
  });

  it('reads facet counts for the same filters', async () => {
    const facets = await client().getFacets({ openSource: true });
    const openSourceCount = fixtureTools().filter((tool) => tool.openSource).length;
    expect(facets.total).toBe(openSourceCount);
    expect(facets.pricing.find((entry) => entry.value === 'open-source')?.count).toBeGreaterThan(0);
  });

  it('turns a 404 into an ApiError with the server code', async () => {
    const failure = await client()
      .getTool('no-such-tool')
      .catch((error: unknown) => error);
    expect(failure).toBeInstanceOf(ApiError);
    expect(failure).toMatchObject({ status: 404, code: 'TOOL_NOT_FOUND' });
  });

  it('sends the admin key as a bearer token and reports a wrong one', async () => {
    const input = { ...fixtureTools()[0]!, slug: 'wrong-key-tool' };
    const failure = await client()
      .createTool(input, 'wrong')
      .catch((error: unknown) => error);
    expect(failure).toMatchObject({ status: 401, code: 'AUTH_INVALID_API_KEY' });
  });

  it('carries the field errors of a 400', async () => {
    const { createdAt: _c, updatedAt: _u, ...input } = fixtureTools()[0]!;
    const failure = await client()
      .createTool({ ...input, slug: 'Bad Slug', tagline: '' }, ADMIN_KEY)
      .catch((error: unknown) => error);
    expect(failure).toBeInstanceOf(ApiError);
    const fields = (failure as ApiError).fieldErrors.map((error) => error.field);
    expect(fields).toEqual(expect.arrayContaining(['slug', 'tagline']));
  });

  it('creates and then updates a tool', async () => {
    const { createdAt: _c, updatedAt: _u, ...input } = fixtureTools()[0]!;
    const created = await client().createTool(
      { ...input, slug: 'copilot-clone', name: 'Copilot Clone' },
      ADMIN_KEY,
    );
    expect(created.slug).toBe('copilot-clone');
    const updated = await client().updateTool('copilot-clone', { tagline: 'Now better' }, ADMIN_KEY);
    expect(updated.tagline).toBe('Now better');
    expect((await client().getTool('copilot-clone')).tagline).toBe('Now better');
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
    const closed = await startContractServer();
    await closed.close();
    const failure = await createToolsClient({ baseUrl: closed.url })
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
