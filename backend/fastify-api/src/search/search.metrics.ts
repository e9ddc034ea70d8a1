import { Counter, Histogram, type Registry } from 'prom-client';
import type { AiSearchMode } from '@codiesvibe/shared/domain';

/** The Ollama steps of the pipeline; each can fail on its own and fall back. */
export type OllamaStep = 'intent' | 'embeddings' | 'explanation';

/** AI search metrics, on the service's registry. */
export interface SearchMetrics {
  searches: Counter<'mode'>;
  duration: Histogram<'mode'>;
  ollamaFailures: Counter<'step'>;
}

export function createSearchMetrics(registry: Registry): SearchMetrics {
  return {
    searches: new Counter({
      name: 'ai_searches_total',
      help: 'AI searches answered, by mode',
      labelNames: ['mode'],
      registers: [registry],
    }),
    duration: new Histogram({
      name: 'ai_search_duration_seconds',
      help: 'Time to answer an AI search, explanation included, by mode',
      labelNames: ['mode'],
      buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30],
      registers: [registry],
    }),
    ollamaFailures: new Counter({
      name: 'ai_ollama_failures_total',
      help: 'Ollama calls that failed or timed out, by pipeline step (each one fell back)',
      labelNames: ['step'],
      registers: [registry],
    }),
  };
}

/** Records one answered search. */
export function observeSearch(metrics: SearchMetrics, mode: AiSearchMode, tookMs: number): void {
  metrics.searches.inc({ mode });
  metrics.duration.observe({ mode }, tookMs / 1000);
}
