import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

/**
 * A local HTTP server that speaks the parts of Ollama's API that fastify-api uses: `/api/chat`
 * (plain, structured-output and streamed), `/api/embed` and `/api/tags`. Ollama cannot run on
 * this machine, so its client is tested against this stand-in, including slow and failing
 * answers.
 */
export interface OllamaStandInBehavior {
  /** Delay before answering, per endpoint. */
  delayMs?: Partial<Record<'chat' | 'embed' | 'tags', number>>;
  /** Endpoints that answer 500 with an Ollama error body. */
  failing?: ('chat' | 'embed' | 'tags')[];
  /** Content of a structured-output (`format`) chat answer. */
  intentJson?: string;
  /** Chunks of a streamed chat answer. */
  explanationChunks?: string[];
  /** After this many streamed chunks the stand-in stops sending (the connection stays open). */
  stallStreamAfter?: number;
  models?: string[];
}

export interface RecordedRequest {
  path: string;
  body: Record<string, unknown>;
}

export interface OllamaStandIn {
  url: string;
  behavior: OllamaStandInBehavior;
  requests: RecordedRequest[];
  /** Responses still open (e.g. a stalled stream the client has not cut). */
  openResponses(): number;
  close(): Promise<void>;
}

const DIMENSIONS = 32;

/**
 * A deterministic bag-of-words embedding: each word lands in a hashed dimension, so texts that
 * share words are close in cosine terms, as with a real embedding model.
 */
export function standInEmbedding(text: string): number[] {
  const vector = new Array<number>(DIMENSIONS).fill(0);
  for (const word of text.toLowerCase().match(/[a-z0-9]+/g) ?? []) {
    let hash = 0;
    for (const char of word) hash = (hash * 31 + char.charCodeAt(0)) >>> 0;
    vector[hash % DIMENSIONS]! += 1;
  }
  const norm = Math.hypot(...vector) || 1;
  return vector.map((value) => value / norm);
}

async function readJson(request: IncomingMessage): Promise<Record<string, unknown>> {
  const chunks: Buffer[] = [];
  for await (const chunk of request) chunks.push(chunk as Buffer);
  const text = Buffer.concat(chunks).toString('utf8');
  return text ? (JSON.parse(text) as Record<string, unknown>) : {};
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

function sendJson(response: ServerResponse, status: number, body: unknown): void {
  response.writeHead(status, { 'content-type': 'application/json' });
  response.end(JSON.stringify(body));
}

function chatMessage(model: string, content: string, done: boolean) {
  return {
    model,
    created_at: new Date().toISOString(),
    message: { role: 'assistant', content },
    done,
    done_reason: done ? 'stop' : '',
  };
}

/** Starts the stand-in on a free loopback port. */
export async function startOllamaStandIn(initial: OllamaStandInBehavior = {}): Promise<OllamaStandIn> {
  const behavior: OllamaStandInBehavior = { ...initial };
  const requests: RecordedRequest[] = [];
  const openResponses = new Set<ServerResponse>();

  const server = createServer((request, response) => {
    openResponses.add(response);
    response.on('close', () => openResponses.delete(response));
    void handle(request, response).catch((error: unknown) =>
      sendJson(response, 500, { error: String(error) }),
    );
  });

  async function handle(request: IncomingMessage, response: ServerResponse): Promise<void> {
    const path = new URL(request.url ?? '/', 'http://stand-in').pathname;
    const body = request.method === 'POST' ? await readJson(request) : {};
    requests.push({ path, body });
    const endpoint =
      path === '/api/chat'
        ? 'chat'
        : path === '/api/embed'
          ? 'embed'
          : path === '/api/tags'
            ? 'tags'
            : undefined;
    if (!endpoint) return sendJson(response, 404, { error: 'not found' });
    await sleep(behavior.delayMs?.[endpoint] ?? 0);
    if (behavior.failing?.includes(endpoint))
      return sendJson(response, 500, { error: `${endpoint} failed (stand-in)` });
    const model = typeof body.model === 'string' ? body.model : 'unknown';

    if (endpoint === 'tags') {
      const models = (behavior.models ?? ['llama3.2:latest', 'nomic-embed-text:latest']).map((name) => ({
        name,
        model: name,
        size: 1,
      }));
      return sendJson(response, 200, { models });
    }
    if (endpoint === 'embed') {
      const input = Array.isArray(body.input) ? (body.input as string[]) : [String(body.input)];
      return sendJson(response, 200, { model, embeddings: input.map(standInEmbedding) });
    }
    if (body.format !== undefined) {
      return sendJson(
        response,
        200,
        chatMessage(
          model,
          behavior.intentJson ?? '{"categories":[],"platforms":[],"pricing":[],"openSource":null,"text":""}',
          true,
        ),
      );
    }
    const chunks = behavior.explanationChunks ?? ['These tools ', 'fit your query.'];
    if (body.stream === false) return sendJson(response, 200, chatMessage(model, chunks.join(''), true));
    response.writeHead(200, { 'content-type': 'application/x-ndjson' });
    for (const [index, chunk] of chunks.entries()) {
      if (behavior.stallStreamAfter !== undefined && index >= behavior.stallStreamAfter) return; // stays open
      response.write(`${JSON.stringify(chatMessage(model, chunk, false))}\n`);
      await sleep(1);
    }
    response.end(`${JSON.stringify(chatMessage(model, '', true))}\n`);
  }

  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    behavior,
    requests,
    openResponses: () => openResponses.size,
    async close() {
      for (const response of openResponses) response.destroy();
      const closed = new Promise<void>((resolve, reject) =>
        server.close((error) => (error ? reject(error) : resolve())),
      );
      server.closeAllConnections();
      await closed;
    },
  };
}
