import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { OllamaClient, OllamaUnavailableError, type OllamaSettings } from '../src/ollama/ollama.client.js';
import { startOllamaStandIn, type OllamaStandIn } from './support/ollama-stand-in.js';

let standIn: OllamaStandIn;
let settings: OllamaSettings;

beforeAll(async () => {
  standIn = await startOllamaStandIn();
  settings = {
    url: standIn.url,
    chatModel: 'llama3.2',
    embedModel: 'nomic-embed-text',
    intentTimeoutMs: 300,
    embedTimeoutMs: 300,
    explainTimeoutMs: 300,
  };
});
afterAll(() => standIn.close());
beforeEach(() => {
  for (const key of Object.keys(standIn.behavior))
    delete standIn.behavior[key as keyof typeof standIn.behavior];
  standIn.requests.length = 0;
});

async function collect(stream: AsyncIterable<string>): Promise<string[]> {
  const chunks: string[] = [];
  for await (const chunk of stream) chunks.push(chunk);
  return chunks;
}

describe('OllamaClient', () => {
  it('extracts an intent with a structured-output chat request (Ollama stand-in)', async () => {
    standIn.behavior.intentJson = JSON.stringify({
      categories: ['testing', 'not-a-category'],
      platforms: ['vscode'],
      pricing: ['free'],
      openSource: null,
      text: ' unit tests ',
    });
    const intent = await new OllamaClient(settings).extractIntent('free vscode test writer');
    expect(intent).toEqual({
      categories: ['testing'],
      platforms: ['vscode'],
      pricing: ['free'],
      text: 'unit tests',
    });
    const request = standIn.requests.find((entry) => entry.path === '/api/chat');
    expect(request?.body).toMatchObject({ model: 'llama3.2', stream: false, format: { type: 'object' } });
  });

  it('rejects an answer that is not the intent JSON (Ollama stand-in)', async () => {
    standIn.behavior.intentJson = 'Sure! Here are some tools';
    await expect(new OllamaClient(settings).extractIntent('x')).rejects.toThrow(OllamaUnavailableError);
  });

  it('gives up on a slow intent answer after its timeout (Ollama stand-in)', async () => {
    standIn.behavior.delayMs = { chat: 2000 };
    await expect(new OllamaClient(settings).extractIntent('x')).rejects.toThrow(/intent failed: timed out/);
  });

  it('returns one embedding per text, and fails on a 500 (Ollama stand-in)', async () => {
    const client = new OllamaClient(settings);
    const vectors = await client.embed(['a b', 'c']);
    expect(vectors).toHaveLength(2);
    expect(vectors[0]).toHaveLength(32);
    standIn.behavior.failing = ['embed'];
    await expect(client.embed(['a'])).rejects.toThrow(/embeddings failed: embed failed \(stand-in\)/);
  });

  it('streams the explanation chunk by chunk (Ollama stand-in)', async () => {
    standIn.behavior.explanationChunks = ['Tabby ', 'runs ', 'on-prem.'];
    const chunks = await collect(new OllamaClient(settings).streamExplanation('q', '1. Tabby'));
    expect(chunks).toEqual(['Tabby ', 'runs ', 'on-prem.']);
  });

  it('fails a stream that stalls midway, after the chunks it did send (Ollama stand-in)', async () => {
    standIn.behavior.explanationChunks = ['one ', 'two ', 'three'];
    standIn.behavior.stallStreamAfter = 2;
    const received: string[] = [];
    const consume = async () => {
      for await (const chunk of new OllamaClient(settings).streamExplanation('q', '')) received.push(chunk);
    };
    await expect(consume()).rejects.toThrow(/explanation failed: timed out/);
    expect(received).toEqual(['one ', 'two ']);
  });

  it('reports model availability from /api/tags, and an unreachable server without throwing (Ollama stand-in)', async () => {
    standIn.behavior.models = ['llama3.2:latest'];
    expect(await new OllamaClient(settings).status()).toEqual({
      reachable: true,
      chatModel: { name: 'llama3.2', available: true },
      embedModel: { name: 'nomic-embed-text', available: false },
    });
    standIn.behavior.failing = ['tags'];
    const down = await new OllamaClient(settings).status();
    expect(down.reachable).toBe(false);
    expect(down.error).toMatch(/tags failed/);
  });
});
