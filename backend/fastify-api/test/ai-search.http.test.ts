import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import type { AiSearchResponse, ApiErrorBody } from '@codiesvibe/shared/domain';
import { McpCandidateSource } from '../src/candidates/mcp.candidate-source.js';
import { parseEventStream, startTestService, type TestService } from './support/test-service.js';

async function postSearch(service: TestService, body: unknown, raw?: string) {
  const response = await fetch(`${service.url}/ai/search`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: raw ?? JSON.stringify(body),
  });
  return { status: response.status, body: await response.json() };
}

describe('AI search over HTTP, built-in ranker (no OLLAMA_URL)', () => {
  let service: TestService;
  beforeAll(async () => {
    service = await startTestService();
  });
  afterAll(() => service.close());

  it('answers POST /ai/search with ranked tools, reasons, intent and an explanation', async () => {
    const { status, body } = await postSearch(service, {
      query: 'free vscode extension for writing tests',
      limit: 5,
    });
    expect(status).toBe(200);
    const answer = body as AiSearchResponse;
    expect(answer.mode).toBe('fallback');
    expect(answer.query).toBe('free vscode extension for writing tests');
    expect(answer.intent).toMatchObject({
      categories: ['testing'],
      platforms: ['vscode'],
      pricing: ['free', 'open-source'],
    });
    expect(answer.results.length).toBeGreaterThan(0);
    expect(answer.results.length).toBeLessThanOrEqual(5);
    expect(answer.results.slice(0, 3).map((result) => result.tool.slug)).toEqual(
      expect.arrayContaining(['keploy', 'qodo']),
    );
    expect(answer.results[0]?.reasons.length).toBeGreaterThan(0);
    const scores = answer.results.map((result) => result.score);
    expect([...scores].sort((a, b) => b - a)).toEqual(scores);
    expect(answer.explanation).toContain(answer.results[0]!.tool.name);
    expect(answer.tookMs).toBeGreaterThanOrEqual(0);
  });

  it('defaults the limit to 10', async () => {
    const { body } = await postSearch(service, { query: 'coding agent' });
    expect((body as AiSearchResponse).results).toHaveLength(10);
  });

  it('answers an "alternative to" query without the tool it replaces', async () => {
    const { body } = await postSearch(service, { query: 'cursor alternative', limit: 5 });
    const slugs = (body as AiSearchResponse).results.map((result) => result.tool.slug);
    expect(slugs).not.toContain('cursor');
    expect(slugs).toContain('windsurf');
  });

  it('reads misspelt words as the tools spell them, and says which query it answered', async () => {
    const { body: typed } = await postSearch(service, { query: 'code reveiw bot', limit: 5 });
    const { body: right } = await postSearch(service, { query: 'code review bot', limit: 5 });
    const answer = typed as AiSearchResponse;
    expect(answer.correctedQuery).toBe('code review bot');
    expect(answer.query).toBe('code reveiw bot');
    expect(answer.results.map((result) => result.tool.slug)).toEqual((right as AiSearchResponse).results.map((result) => result.tool.slug));
    expect(answer.results.length).toBeGreaterThan(0);
    expect((right as AiSearchResponse).correctedQuery).toBeUndefined();
  });

  it('says so, without an error, when nothing fits', async () => {
    const { status, body } = await postSearch(service, { query: 'qwxzv plorb' });
    expect(status).toBe(200);
    expect((body as AiSearchResponse).results).toEqual([]);
    expect((body as AiSearchResponse).explanation).toMatch(/No tool in the directory fits/);
  });

  it.each([
    ['an empty query', { query: '' }, 'query', /must not be empty/],
    ['a blank query', { query: '   ' }, 'query', /must not be empty/],
    ['a missing query', { limit: 3 }, 'query', /required/],
    ['a query over 500 characters', { query: 'a'.repeat(501) }, 'query', /at most 500 characters/],
    ['a limit of 0', { query: 'x', limit: 0 }, 'limit', /whole number from 1 to 50/],
    ['a limit of 51', { query: 'x', limit: 51 }, 'limit', /whole number from 1 to 50/],
    ['a fractional limit', { query: 'x', limit: 2.5 }, 'limit', /whole number from 1 to 50/],
    ['a limit given as a string', { query: 'x', limit: '10' }, 'limit', /whole number from 1 to 50/],
    ['a query of 10,000 characters', { query: 'code review '.repeat(834) }, 'query', /at most 500 characters/],
    ['a query with control characters', { query: 'code\u0000review\u0007' }, 'query', /must not contain control characters/],
    ['a query with half a surrogate pair', { query: 'code \ud800 review' }, 'query', /must be valid UTF-8 text/],
    ['a query given as a number', { query: 42 }, 'query', /^must be a string$/],
    ['a query given as an array', { query: ['code', 'review'] }, 'query', /^must be a string$/],
    ['a query given as null', { query: null }, 'query', /^must be a string$/],
    ['a limit of 1e308', { query: 'x', limit: 1e308 }, 'limit', /whole number from 1 to 50/],
    ['a limit past the safe integers', { query: 'x', limit: 2 ** 64 }, 'limit', /whole number from 1 to 50/],
    ['a negative limit', { query: 'x', limit: -1 }, 'limit', /whole number from 1 to 50/],
    ['a limit given as null', { query: 'x', limit: null }, 'limit', /whole number from 1 to 50/],
    ['a limit given as true', { query: 'x', limit: true }, 'limit', /whole number from 1 to 50/],
    ['an offset, which the API does not take', { query: 'x', offset: 1e12 }, '(root)', /Unrecognized key: "offset"/],
    ['a body that is an array', [{ query: 'x' }], '(root)', /must be an object/],
    ['a body that is a string', 'code review', '(root)', /must be an object/],
  ])('refuses %s with 400 and the reason', async (_name, body, field, message) => {
    const started = performance.now();
    const { status, body: error } = await postSearch(service, body);
    expect(performance.now() - started).toBeLessThan(1000);
    expect(status).toBe(400);
    const apiError = error as ApiErrorBody;
    expect(apiError.code).toBe('CV_ERR_VALIDATION');
    // One line, one message per field: a bad value is not reported once per rule it breaks.
    expect(apiError.message).not.toMatch(/\n/);
    expect(apiError.errors).toHaveLength(1);
    expect(apiError.errors).toEqual(
      expect.arrayContaining([
        expect.objectContaining({ field, message: expect.stringMatching(message) as string }),
      ]),
    );
    expect(JSON.stringify(apiError)).not.toMatch(/at .*\.ts:\d+/); // no stack trace
  });

  it('accepts a query of exactly 500 characters', async () => {
    expect((await postSearch(service, { query: `${'agent '.repeat(83)}ab` })).status).toBe(200);
  });

  it('refuses a body whose bytes are not UTF-8 with 400, not as a search for replacement characters', async () => {
    const response = await fetch(`${service.url}/ai/search`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: Buffer.concat([Buffer.from('{"query":"code '), Buffer.from([0xff, 0xfe]), Buffer.from(' review"}')]),
    });
    expect(response.status).toBe(400);
    expect(await response.json()).toMatchObject({
      code: 'CV_ERR_VALIDATION',
      errors: [{ field: 'query', message: 'must be valid UTF-8 text' }],
    });
  });

  it('refuses unknown fields and invalid JSON', async () => {
    const unknown = await postSearch(service, { query: 'x', limt: 3 });
    expect(unknown.status).toBe(400);
    const invalid = await postSearch(service, undefined, '{"query":');
    expect(invalid.status).toBe(400);
    expect((invalid.body as ApiErrorBody).code).toBe('CV_ERR_INVALID_JSON');
  });

  it('streams intent, results, explanation chunks and done, in that order', async () => {
    const response = await fetch(
      `${service.url}/ai/search/stream?query=${encodeURIComponent('self-hosted code assistant for a bank')}&limit=3`,
    );
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toMatch(/^text\/event-stream/);
    expect(response.headers.get('x-request-id')).toBeTruthy();
    const events = parseEventStream(await response.text());
    const names = events.map((event) => event.event);
    expect(names[0]).toBe('intent');
    expect(names[1]).toBe('results');
    expect(names.at(-1)).toBe('done');
    expect(names.slice(2, -1).every((name) => name === 'explanation')).toBe(true);
    expect(names.length).toBeGreaterThan(3);
    expect(events[0]?.data).toMatchObject({ mode: 'fallback', intent: { openSource: true } });
    const results = (events[1]?.data as { results: { tool: { slug: string } }[] }).results;
    expect(results).toHaveLength(3);
    expect(results.map((result) => result.tool.slug)).toContain('tabby');
    expect(events.at(-1)?.data).toMatchObject({ mode: 'fallback', tookMs: expect.any(Number) as number });
  });

  it('refuses bad stream parameters with a plain 400 before any event', async () => {
    for (const query of [
      '',
      'query=',
      `query=${'b'.repeat(501)}`,
      'query=x&limit=0',
      'query=x&limit=abc',
      'query=x&limit=51',
      'query=%20%09%20',
      `query=${'a'.repeat(10_000)}`,
      'query=code%00review',
      'query=%FF%FE',
      'query=%E2%82',
      'query=%zz',
      'query=x&limit=99999999999999999999',
      'query=x&limit=-1',
      'query=x&offset=1000000000',
      'query=a&query=b',
      'query=x&limit=1&limit=2',
    ]) {
      const started = performance.now();
      const response = await fetch(`${service.url}/ai/search/stream?${query}`);
      expect(performance.now() - started, query).toBeLessThan(1000);
      expect(response.status, query).toBe(400);
      expect(response.headers.get('content-type')).toMatch(/application\/json/);
      const error = (await response.json()) as ApiErrorBody;
      expect(error.code, query).toBe('CV_ERR_VALIDATION');
      expect(error.errors, query).toHaveLength(1);
    }
  });

  it('says which stream parameter is wrong and why, in one line', async () => {
    const answer = async (query: string) =>
      ((await (await fetch(`${service.url}/ai/search/stream?${query}`)).json()) as ApiErrorBody).message;
    expect(await answer('query=%FF%FE')).toBe('Invalid request: query must be percent-encoded UTF-8');
    expect(await answer('query=a&query=b')).toBe('Invalid request: query must be given once');
    expect(await answer('query=code%07review')).toBe('Invalid request: query must not contain control characters');
    expect(await answer('query=x&limit=1e9')).toBe('Invalid request: limit must be a whole number from 1 to 50');
  });

  it('reads a percent-encoded "?", "=" or "&" inside the query as text', async () => {
    const response = await fetch(`${service.url}/ai/search/stream?query=${encodeURIComponent('what is a=b & why?')}&limit=2`);
    expect(response.status).toBe(200);
    await response.text();
  });

  it('logs each answered query with its mode and latency', async () => {
    await postSearch(service, { query: 'kubernetes troubleshooting' });
    // The log is written in the background, after the answer.
    const latest = await vi.waitFor(async () => {
      const [entry] = await service.store.recentQueries(1);
      if (entry?.query !== 'kubernetes troubleshooting') throw new Error('not logged yet');
      return entry;
    });
    expect(latest).toMatchObject({
      query: 'kubernetes troubleshooting',
      mode: 'fallback',
      instanceId: 'test',
    });
    expect(latest?.topSlugs[0]).toBe('k8sgpt');
    expect(latest?.tookMs).toBeGreaterThanOrEqual(0);
  });

  it('counts searches by mode in /metrics and reports Ollama as not configured in /health/ready', async () => {
    const metrics = await (await fetch(`${service.url}/metrics`)).text();
    expect(metrics).toMatch(/ai_searches_total\{[^}]*mode="fallback"[^}]*\} [1-9]/);
    const ready = await fetch(`${service.url}/health/ready`);
    expect(ready.status).toBe(200);
    expect(await ready.json()).toMatchObject({
      status: 'ok',
      checks: { 'mcp-server': { status: 'up' }, ollama: { status: 'up', details: { configured: false } } },
    });
  });
});

describe('AI search when mcp-server is unreachable', () => {
  let service: TestService;
  beforeAll(async () => {
    // The real MCP client, pointed at a port nothing listens on.
    const candidates = new McpCandidateSource({
      url: 'http://127.0.0.1:9/mcp',
      requestTimeoutMs: 1000,
    });
    service = await startTestService({ candidates });
  });
  afterAll(() => service.close());

  it('answers 503 with a clear message and is not ready', async () => {
    const { status, body } = await postSearch(service, { query: 'agent' });
    expect(status).toBe(503);
    expect(body).toMatchObject({
      code: 'CV_ERR_UNAVAILABLE',
      message: expect.stringMatching(/cannot reach the tools directory/) as string,
    });
    const ready = await fetch(`${service.url}/health/ready`);
    expect(ready.status).toBe(503);
    expect(await ready.json()).toMatchObject({ failing: ['mcp-server'] });
  });

  it('ends the stream with an error event after the intent', async () => {
    const events = parseEventStream(
      await (await fetch(`${service.url}/ai/search/stream?query=agent`)).text(),
    );
    expect(events.map((event) => event.event)).toEqual(['intent', 'error']);
    expect(events[1]?.data).toMatchObject({ message: expect.stringMatching(/mcp-server/) as string });
  });
});
