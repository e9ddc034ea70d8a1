import { performance } from 'node:perf_hooks';
import type {
  AiSearchMode,
  AiSearchResponse,
  AiSearchResult,
  AiSearchStreamEvent,
  SearchIntent,
} from '@codiesvibe/shared/domain';
import type { Logger } from '@codiesvibe/shared';
import type { CandidateSource } from '../candidates/candidate-source.js';
import { parseQuery, type ParsedQuery } from '../intent/rule-intent.parser.js';
import { correctQuerySpelling } from './query-spelling.js';
import { OllamaUnavailableError, type OllamaClient } from '../ollama/ollama.client.js';
import type { ToolRanker } from '../ranking/tool-ranker.js';
import type { SearchStore } from '../store/search.store.js';
import type { EmbeddingScorer } from './embedding.scorer.js';
import { templateExplanation, toolSummaryForModel } from './explanation.js';
import type { OllamaCircuit } from './ollama-circuit.js';
import { observeSearch, type OllamaStep, type SearchMetrics } from './search.metrics.js';

/** Ollama and what comes with it; absent when OLLAMA_URL is unset. */
export interface OllamaPipeline {
  client: OllamaClient;
  embeddings: EmbeddingScorer;
  circuit: OllamaCircuit;
}

export interface AiSearchServiceDeps {
  candidates: CandidateSource;
  ranker: ToolRanker;
  store: SearchStore;
  logger: Logger;
  metrics: SearchMetrics;
  instanceId: string;
  ollama?: OllamaPipeline;
  /** How many tools retrieval hands to the ranker. */
  candidateLimit?: number;
}

/** Retrieval failed: without candidates there is nothing to rank. Answered as 503. */
export class CandidatesUnavailableError extends Error {
  override readonly name = 'CandidatesUnavailableError';
}

/** The most tools retrieval hands to the ranker (the MCP search_tools pages it fetches). */
export const DEFAULT_CANDIDATE_LIMIT = 100;

/** The query of the start-up warm-up: one with filters, so a strict and a relaxed retrieval step run. */
const WARM_UP_QUERY = 'free open source code review for vscode';

/** Per-request state: which Ollama steps answered, so `mode` can say who answered. */
class RequestState {
  readonly started = performance.now();
  readonly failedSteps: OllamaStep[] = [];
  usedOllama = false;

  constructor(readonly ollama: OllamaPipeline | undefined) {}

  /** Ollama is tried while it is configured, its circuit is closed, and no step of this request failed. */
  get ollamaUsable(): OllamaPipeline | undefined {
    return this.ollama && this.failedSteps.length === 0 && this.ollama.circuit.closed
      ? this.ollama
      : undefined;
  }

  /** "ollama" only when Ollama answered every step it was asked. */
  get mode(): AiSearchMode {
    return this.usedOllama && this.failedSteps.length === 0 ? 'ollama' : 'fallback';
  }

  get tookMs(): number {
    return Math.round((performance.now() - this.started) * 10) / 10;
  }
}

/**
 * The AI search pipeline: intent → candidates (retrieval) → ranking → explanation. Each Ollama
 * step falls back on its own (rule parser, BM25, template) when Ollama is absent, open-circuited,
 * failing or slow; the only error a user can get is retrieval being down.
 */
export class AiSearchService {
  private readonly candidateLimit: number;

  constructor(private readonly deps: AiSearchServiceDeps) {
    this.candidateLimit = deps.candidateLimit ?? DEFAULT_CANDIDATE_LIMIT;
  }

  /**
   * One search's retrieval and ranking with nothing recorded or returned: the MCP session is opened
   * and every layer behind it (mcp-server, nestjs-api's store) has answered once, so the first
   * visitor's search does not pay for setting them up. Throws what retrieval throws.
   */
  async warmUp(): Promise<void> {
    const parsed = parseQuery(WARM_UP_QUERY);
    const tools = await this.deps.candidates.findCandidates(parsed.intent, this.candidateLimit);
    this.deps.ranker.rank(tools, { ...parsed, limit: 10 });
  }

  /** `POST /ai/search`: the whole answer at once. Throws CandidatesUnavailableError. */
  async search(query: string, limit: number): Promise<AiSearchResponse> {
    let intent: SearchIntent | undefined;
    let results: AiSearchResult[] = [];
    let explanation = '';
    let correctedQuery: string | undefined;
    for await (const event of this.stream(query, limit)) {
      if (event.event === 'intent') intent = event.data.intent;
      else if (event.event === 'results') {
        results = event.data.results;
        correctedQuery = event.data.correctedQuery;
      } else if (event.event === 'explanation') explanation += event.data.text;
      else if (event.event === 'done') {
        return {
          query,
          intent: intent!,
          results,
          mode: event.data.mode,
          explanation,
          tookMs: event.data.tookMs,
          ...(correctedQuery && { correctedQuery }),
        };
      }
    }
    // The stream always ends with `done` unless aborted, and search() passes no signal.
    throw new Error('AI search ended without an answer');
  }

  /**
   * `GET /ai/search/stream`: events in contract order (intent, results, explanation chunks, done).
   * Throws CandidatesUnavailableError before `results` when retrieval fails; the route turns
   * that into an `error` event. Stops early, without `done`, when `signal` aborts.
   */
  async *stream(query: string, limit: number, signal?: AbortSignal): AsyncGenerator<AiSearchStreamEvent> {
    const state = new RequestState(this.deps.ollama);
    const parsed = await this.understand(query, state);
    const { intent } = parsed;
    yield { event: 'intent', data: { intent, mode: state.mode } };

    const { results, correctedQuery } = await this.rank(query, parsed, limit, state);
    if (signal?.aborted) return;
    yield { event: 'results', data: correctedQuery ? { results, correctedQuery } : { results } };

    for await (const text of this.explain(query, intent, results, state, signal)) {
      if (signal?.aborted) return;
      yield { event: 'explanation', data: { text } };
    }
    const { mode, tookMs } = state;
    // Recorded before `done`: a consumer may stop reading at `done` and never resume this generator.
    this.record(query, intent, results, mode, tookMs);
    yield { event: 'done', data: { mode, tookMs } };
  }

  private async understand(query: string, state: RequestState): Promise<ParsedQuery> {
    const parsed = parseQuery(query);
    const ollama = state.ollamaUsable;
    if (!ollama) return parsed;
    try {
      const intent = await ollama.client.extractIntent(query);
      state.usedOllama = true;
      // The model's intent; the parser's words still feed the text search, which needs them either way.
      return { ...parsed, intent };
    } catch (error) {
      this.ollamaFailed('intent', error, state);
      return parsed;
    }
  }

  private async rank(
    query: string,
    parsed: ParsedQuery,
    limit: number,
    state: RequestState,
  ): Promise<{ results: AiSearchResult[]; correctedQuery?: string }> {
    const { intent } = parsed;
    let tools;
    try {
      tools = await this.deps.candidates.findCandidates(intent, this.candidateLimit);
    } catch (error) {
      this.deps.logger.warn({ err: error }, 'candidate retrieval failed');
      throw new CandidatesUnavailableError(error instanceof Error ? error.message : String(error), {
        cause: error,
      });
    }
    let semanticScores: Map<string, number> | undefined;
    const ollama = state.ollamaUsable;
    if (ollama && tools.length > 0) {
      try {
        semanticScores = await ollama.embeddings.scores(query, tools);
        state.usedOllama = true;
      } catch (error) {
        this.ollamaFailed('embeddings', error, state);
      }
    }
    // Misspelt words would match nothing in the ranker's text search: read them as the
    // candidates spell them. The intent already sent stays the one retrieval used.
    const correctedQuery = correctQuerySpelling(query, tools, this.deps.ranker.vocabularyFor(tools));
    const reparsed = correctedQuery ? parseQuery(correctedQuery) : undefined;
    const ranked = reparsed ? { ...reparsed, intent: state.usedOllama ? intent : reparsed.intent } : parsed;
    const results = this.deps.ranker.rank(tools, {
      ...ranked,
      limit,
      ...(semanticScores && { semanticScores }),
    });
    return correctedQuery ? { results, correctedQuery } : { results };
  }

  private async *explain(
    query: string,
    intent: SearchIntent,
    results: AiSearchResult[],
    state: RequestState,
    signal: AbortSignal | undefined,
  ): AsyncGenerator<string> {
    const ollama = state.ollamaUsable;
    if (ollama && results.length > 0) {
      let sent = 0;
      try {
        for await (const chunk of ollama.client.streamExplanation(
          query,
          toolSummaryForModel(results),
          signal,
        )) {
          sent += 1;
          yield chunk;
        }
        // The client left: nothing more to say, and Ollama did not fail.
        if (signal?.aborted) return;
        state.usedOllama = true;
        ollama.circuit.recordSuccess();
        return;
      } catch (error) {
        this.ollamaFailed('explanation', error, state);
        // Finish the answer with the built-in explanation, set apart from what the model already said.
        if (sent > 0) yield '\n\n';
      }
    }
    yield* templateExplanation(query, intent, results);
  }

  private ollamaFailed(step: OllamaStep, error: unknown, state: RequestState): void {
    if (!(error instanceof OllamaUnavailableError)) throw error;
    state.failedSteps.push(step);
    this.deps.ollama?.circuit.recordFailure(error.message);
    this.deps.metrics.ollamaFailures.inc({ step });
    this.deps.logger.warn(
      { step, reason: error.message },
      'Ollama failed; falling back to the built-in ranker',
    );
  }

  /** Metrics now; the query log in the background, since a slow store must not slow the answer. */
  private record(
    query: string,
    intent: SearchIntent,
    results: AiSearchResult[],
    mode: AiSearchMode,
    tookMs: number,
  ): void {
    observeSearch(this.deps.metrics, mode, tookMs);
    void this.deps.store
      .logQuery({
        query,
        intent,
        mode,
        tookMs,
        resultCount: results.length,
        topSlugs: results.slice(0, 5).map((result) => result.tool.slug),
        instanceId: this.deps.instanceId,
        at: new Date(),
      })
      .catch((error: unknown) => this.deps.logger.warn({ err: error }, 'writing the query log failed'));
  }
}
