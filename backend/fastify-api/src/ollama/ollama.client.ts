import { withSpan } from '@codiesvibe/shared';
import { Ollama, type AbortableAsyncIterator, type ChatResponse } from 'ollama';
import type { SearchIntent } from '@codiesvibe/shared/domain';
import { INTENT_JSON_SCHEMA, parseModelIntent } from './ollama-intent.schema.js';

/** How to reach Ollama and how long each kind of call may take. */
export interface OllamaSettings {
  url: string;
  chatModel: string;
  embedModel: string;
  /** Intent extraction is on the critical path of every query, so it gets the shortest budget. */
  intentTimeoutMs: number;
  embedTimeoutMs: number;
  /** Budget for the whole streamed explanation, first token to last. */
  explainTimeoutMs: number;
}

/** What `/api/tags` says: whether Ollama answers and whether our models are pulled. */
export interface OllamaStatus {
  reachable: boolean;
  chatModel: { name: string; available: boolean };
  embedModel: { name: string; available: boolean };
  error?: string;
}

/** Ollama failed, timed out or answered something we cannot use. The caller falls back. */
export class OllamaUnavailableError extends Error {
  override readonly name = 'OllamaUnavailableError';
}

const INTENT_SYSTEM_PROMPT =
  'You turn a search query for AI developer tools into filters. Use only the listed values. ' +
  'Set a category, platform or pricing only when the query asks for it. "free" means pricing free or open-source. ' +
  'Self-hosted, on-prem or regulated settings (banks, hospitals) mean openSource true. ' +
  'openSource is null unless the query says. text keeps the remaining meaningful words.';

const EXPLAIN_SYSTEM_PROMPT =
  'You recommend AI developer tools. In at most four sentences, tell the user which of the given tools ' +
  'fit their query best and why, naming tools exactly as given. Never invent tools or facts.';

/** A fetch that gives up after `timeoutMs`, also while a streamed body is still being read. */
function fetchWithTimeout(timeoutMs: number): typeof fetch {
  return (input, init) => {
    const timeout = AbortSignal.timeout(timeoutMs);
    const signal = init?.signal ? AbortSignal.any([init.signal, timeout]) : timeout;
    return fetch(input, { ...init, signal });
  };
}

function describe(error: unknown): string {
  if (error instanceof Error) {
    if (error.name === 'TimeoutError' || error.name === 'AbortError') return 'timed out';
    return error.message.split('\n')[0] ?? error.name;
  }
  return String(error);
}

/**
 * Runs `call` in an `ollama <step>` span, turning any failure into an OllamaUnavailableError
 * that names the step.
 */
function guarded<T>(step: string, call: () => Promise<T>): Promise<T> {
  return withSpan(`ollama ${step}`, { 'gen_ai.system': 'ollama', 'gen_ai.operation.name': step }, async () => {
    try {
      return await call();
    } catch (error) {
      throw new OllamaUnavailableError(`Ollama ${step} failed: ${describe(error)}`, { cause: error });
    }
  }, 'client');
}

/**
 * The three things AI search asks of Ollama, each with its own time budget: structured-output
 * chat for the intent, embeddings, and a streamed explanation. Every failure surfaces as
 * OllamaUnavailableError so the pipeline can fall back.
 */
export class OllamaClient {
  private readonly intentApi: Ollama;
  private readonly embedApi: Ollama;
  private readonly explainApi: Ollama;
  private readonly statusApi: Ollama;

  constructor(readonly settings: OllamaSettings) {
    const api = (timeoutMs: number) => new Ollama({ host: settings.url, fetch: fetchWithTimeout(timeoutMs) });
    this.intentApi = api(settings.intentTimeoutMs);
    this.embedApi = api(settings.embedTimeoutMs);
    this.explainApi = api(settings.explainTimeoutMs);
    this.statusApi = api(Math.min(settings.intentTimeoutMs, 2000));
  }

  /** Asks the chat model for the query's intent as JSON matching INTENT_JSON_SCHEMA. */
  async extractIntent(query: string): Promise<SearchIntent> {
    return guarded('intent', async () => {
      const response = await this.intentApi.chat({
        model: this.settings.chatModel,
        stream: false,
        format: INTENT_JSON_SCHEMA,
        options: { temperature: 0 },
        messages: [
          { role: 'system', content: INTENT_SYSTEM_PROMPT },
          { role: 'user', content: query },
        ],
      });
      return parseModelIntent(response.message.content);
    });
  }

  /** One embedding per input text, in order. */
  async embed(texts: string[]): Promise<number[][]> {
    return guarded('embeddings', async () => {
      const response = await this.embedApi.embed({ model: this.settings.embedModel, input: texts });
      const vectors = response.embeddings;
      if (
        !Array.isArray(vectors) ||
        vectors.length !== texts.length ||
        vectors.some((v) => !Array.isArray(v) || v.length === 0)
      ) {
        throw new Error(
          `expected ${texts.length} embeddings, got ${Array.isArray(vectors) ? vectors.length : 'none'}`,
        );
      }
      return vectors;
    });
  }

  /**
   * Streams the explanation text chunk by chunk. Throws OllamaUnavailableError on failure, possibly
   * after some chunks were already yielded; the caller decides how to finish the answer. When
   * `signal` aborts (the client left), the stream to Ollama is cut and the generator just ends.
   */
  async *streamExplanation(query: string, toolSummary: string, signal?: AbortSignal): AsyncGenerator<string> {
    let stream: AbortableAsyncIterator<ChatResponse> | undefined;
    const onAbort = () => stream?.abort();
    signal?.addEventListener('abort', onAbort, { once: true });
    try {
      stream = await this.explainApi.chat({
        model: this.settings.chatModel,
        stream: true,
        options: { temperature: 0.2 },
        messages: [
          { role: 'system', content: EXPLAIN_SYSTEM_PROMPT },
          { role: 'user', content: `Query: ${query}\n\nTools, best first:\n${toolSummary}` },
        ],
      });
      if (signal?.aborted) return;
      for await (const part of stream) {
        if (part.message.content) yield part.message.content;
      }
    } catch (error) {
      if (signal?.aborted) return;
      throw new OllamaUnavailableError(`Ollama explanation failed: ${describe(error)}`, { cause: error });
    } finally {
      signal?.removeEventListener('abort', onAbort);
      // Also stops the HTTP stream when the consumer leaves the loop early.
      stream?.abort();
    }
  }

  /** Never throws: Ollama is optional, so its state is reported, not required. */
  async status(): Promise<OllamaStatus> {
    const chatModel = { name: this.settings.chatModel, available: false };
    const embedModel = { name: this.settings.embedModel, available: false };
    try {
      const { models } = await this.statusApi.list();
      const names = new Set(models.flatMap((model) => [model.name, model.model]));
      // "llama3.2" is pulled as "llama3.2:latest".
      const has = (name: string) => names.has(name) || names.has(`${name}:latest`);
      chatModel.available = has(chatModel.name);
      embedModel.available = has(embedModel.name);
      return { reachable: true, chatModel, embedModel };
    } catch (error) {
      return { reachable: false, chatModel, embedModel, error: describe(error) };
    }
  }
}
