import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { AiSearchResponse } from '@codiesvibe/shared/domain';
import { startOllamaStandIn, type OllamaStandIn } from './support/ollama-stand-in.js';
import { parseEventStream, startTestService, type TestService } from './support/test-service.js';

let standIn: OllamaStandIn;
let service: TestService | undefined;

beforeAll(async () => {
  standIn = await startOllamaStandIn();
});
afterAll(() => standIn.close());
beforeEach(() => {
  for (const key of Object.keys(standIn.behavior))
    delete standIn.behavior[key as keyof typeof standIn.behavior];
  standIn.behavior.intentJson = JSON.stringify({
    categories: ['testing'],
    platforms: ['vscode'],
    pricing: [],
    openSource: null,
    text: 'tests',
  });
  standIn.behavior.explanationChunks = ['Keploy ', 'and Qodo ', 'write tests.'];
  standIn.requests.length = 0;
});
afterEach(async () => {
  await service?.close();
  service = undefined;
});

/** A fresh service per test: the Ollama circuit remembers failures for 30 s. */
async function start(): Promise<TestService> {
  service = await startTestService({
    env: {
      OLLAMA_URL: standIn.url,
      OLLAMA_INTENT_TIMEOUT_MS: '400',
      OLLAMA_EMBED_TIMEOUT_MS: '3000',
      OLLAMA_EXPLAIN_TIMEOUT_MS: '400',
    },
  });
  return service;
}

async function search(target: TestService, query: string): Promise<AiSearchResponse> {
  const response = await fetch(`${target.url}/ai/search`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ query, limit: 5 }),
  });
  expect(response.status).toBe(200);
  return (await response.json()) as AiSearchResponse;
}

const embedInputs = () =>
  standIn.requests
    .filter((request) => request.path === '/api/embed')
    .flatMap((request) => request.body.input as string[]);

describe('AI search with Ollama', () => {
  it('answers in ollama mode: model intent, embedding re-ranking, model explanation (Ollama stand-in)', async () => {
    const target = await start();
    const answer = await search(target, 'something to write my tests in vs code');
    expect(answer.mode).toBe('ollama');
    expect(answer.intent).toEqual({
      categories: ['testing'],
      platforms: ['vscode'],
      pricing: [],
      text: 'tests',
    });
    expect(answer.explanation).toBe('Keploy and Qodo write tests.');
    expect(answer.results[0]?.tool.categories).toContain('testing');
    const chat = standIn.requests.filter((request) => request.path === '/api/chat');
    expect(chat.map((request) => request.body.stream)).toEqual([false, true]);
    expect(embedInputs()).toContain('something to write my tests in vs code');
  });

  it('embeds each tool once, stores it, and embeds again only a tool that changed (Ollama stand-in)', async () => {
    const target = await start();
    await search(target, 'unit tests');
    const firstInputs = embedInputs();
    expect(firstInputs.length).toBeGreaterThan(10); // the query and the candidates
    const stored = await target.store.findEmbeddings('nomic-embed-text', ['keploy']);
    expect(stored).toHaveLength(1);
    expect(stored[0]?.vector.length).toBe(32);

    standIn.requests.length = 0;
    await search(target, 'unit tests for java');
    expect(embedInputs()).toEqual(['unit tests for java']); // only the query

    const index = target.tools.findIndex((tool) => tool.slug === 'keploy');
    target.tools[index] = {
      ...target.tools[index]!,
      tagline: 'Records API traffic and turns it into tests',
      updatedAt: '2026-03-01T00:00:00.000Z',
    };
    standIn.requests.length = 0;
    await search(target, 'unit tests for java');
    const inputs = embedInputs();
    expect(inputs).toHaveLength(2);
    expect(inputs[1]).toMatch(/^Keploy: Records API traffic/);
  });

  it('falls back when Ollama answers 500, and skips it on the next request (Ollama stand-in)', async () => {
    const target = await start();
    standIn.behavior.failing = ['chat', 'embed'];
    const answer = await search(target, 'free vscode extension for writing tests');
    expect(answer.mode).toBe('fallback');
    expect(answer.intent.platforms).toEqual(['vscode']); // the rule parser's reading
    expect(answer.results.length).toBeGreaterThan(0);
    expect(answer.explanation).toMatch(/fits best/);
    const metrics = await (await fetch(`${target.url}/metrics`)).text();
    expect(metrics).toMatch(/ai_ollama_failures_total\{[^}]*step="intent"[^}]*\} 1/);

    standIn.requests.length = 0;
    expect((await search(target, 'agent')).mode).toBe('fallback');
    expect(standIn.requests.filter((request) => request.path !== '/api/tags')).toEqual([]);
  });

  it('falls back when the intent answer is too slow (Ollama stand-in)', async () => {
    const target = await start();
    standIn.behavior.delayMs = { chat: 1500 };
    const answer = await search(target, 'self-hosted code assistant for a bank');
    expect(answer.mode).toBe('fallback');
    expect(answer.intent.openSource).toBe(true);
    expect(answer.results.map((result) => result.tool.slug)).toContain('tabby');
  });

  it('falls back when the model answers something other than the intent JSON (Ollama stand-in)', async () => {
    const target = await start();
    standIn.behavior.intentJson = 'I think you want testing tools!';
    expect((await search(target, 'tests')).mode).toBe('fallback');
  });

  it('finishes a stalled streamed explanation with the built-in one (Ollama stand-in)', async () => {
    const target = await start();
    standIn.behavior.explanationChunks = ['Keploy ', 'records ', 'traffic.'];
    standIn.behavior.stallStreamAfter = 2;
    const response = await fetch(
      `${target.url}/ai/search/stream?query=${encodeURIComponent('api testing with mocks')}`,
    );
    const events = parseEventStream(await response.text());
    expect(events[0]).toMatchObject({ event: 'intent', data: { mode: 'ollama' } });
    const explanation = events
      .filter((event) => event.event === 'explanation')
      .map((event) => (event.data as { text: string }).text);
    expect(explanation.slice(0, 3)).toEqual(['Keploy ', 'records ', '\n\n']);
    expect(explanation.slice(3).join('')).toMatch(/fits best/);
    expect(events.at(-1)).toMatchObject({ event: 'done', data: { mode: 'fallback' } });
  });

  it('cuts the stream to Ollama when the client goes away (Ollama stand-in)', async () => {
    service = await startTestService({
      env: { OLLAMA_URL: standIn.url, OLLAMA_EXPLAIN_TIMEOUT_MS: '20000' },
    });
    standIn.behavior.explanationChunks = ['Keploy ', 'never ', 'finishes.'];
    standIn.behavior.stallStreamAfter = 1;
    const client = new AbortController();
    const response = await fetch(`${service.url}/ai/search/stream?query=tests`, { signal: client.signal });
    const reader = (response.body as ReadableStream<Uint8Array>).getReader();
    const decoder = new TextDecoder();
    let received = '';
    while (!received.includes('event: explanation')) {
      const chunk = await reader.read();
      if (chunk.done) break;
      received += decoder.decode(chunk.value, { stream: true });
    }
    expect(received).toContain('event: explanation');
    expect(standIn.openResponses()).toBe(1); // the stalled /api/chat stream
    client.abort();
    await expect.poll(() => standIn.openResponses(), { timeout: 5000 }).toBe(0);
    // Leaving is not an Ollama failure: the next search still uses Ollama.
    standIn.behavior.stallStreamAfter = undefined;
    expect((await search(service, 'tests')).mode).toBe('ollama');
  });

  it('reports Ollama in /health/ready without making the service unready (Ollama stand-in)', async () => {
    const target = await start();
    const up = (await (await fetch(`${target.url}/health/ready`)).json()) as {
      status: string;
      checks: Record<string, unknown>;
    };
    expect(up.status).toBe('ok');
    expect(up.checks.ollama).toMatchObject({
      status: 'up',
      critical: false,
      details: { chatModel: 'llama3.2', circuit: { open: false } },
    });

    standIn.behavior.models = ['llama3.2:latest'];
    const missingModel = await fetch(`${target.url}/health/ready`);
    expect(missingModel.status).toBe(200);
    expect(await missingModel.json()).toMatchObject({
      status: 'degraded',
      checks: { ollama: { status: 'down', error: expect.stringMatching(/nomic-embed-text/) as string } },
    });

    standIn.behavior.failing = ['tags'];
    const down = await fetch(`${target.url}/health/ready`);
    expect(down.status).toBe(200);
    expect(await down.json()).toMatchObject({
      status: 'degraded',
      checks: { ollama: { status: 'down', error: expect.stringMatching(/unreachable/) as string } },
    });
  });
});
