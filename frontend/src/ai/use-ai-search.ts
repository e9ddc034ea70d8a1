import { useEffect, useState } from 'react';
import type { AiSearchMode, AiSearchResult, SearchIntent } from '@codiesvibe/shared/domain';
import { type EventSourceFactory, openAiSearchStream } from '../api/ai-search-stream.js';

export interface AiSearchState {
  status: 'idle' | 'streaming' | 'done' | 'error';
  intent: SearchIntent | null;
  mode: AiSearchMode | null;
  results: AiSearchResult[] | null;
  /** The query as the results read it, when words of the typed one were misspelt. */
  correctedQuery: string | null;
  explanation: string;
  tookMs: number | null;
  error: string | null;
}

export const IDLE_AI_SEARCH: AiSearchState = {
  status: 'idle',
  intent: null,
  mode: null,
  results: null,
  correctedQuery: null,
  explanation: '',
  tookMs: null,
  error: null,
};

export interface UseAiSearchOptions {
  baseUrl: string;
  query: string;
  limit?: number;
  createEventSource?: EventSourceFactory;
}

/** Streams the AI search for `query` (nothing for an empty one); a new query closes the old stream. */
export function useAiSearch({
  baseUrl,
  query,
  limit,
  createEventSource,
}: UseAiSearchOptions): [AiSearchState, () => void] {
  const [state, setState] = useState<AiSearchState>(IDLE_AI_SEARCH);
  const [attempt, setAttempt] = useState(0);

  useEffect(() => {
    const trimmed = query.trim();
    if (!trimmed) {
      setState(IDLE_AI_SEARCH);
      return;
    }
    setState({ ...IDLE_AI_SEARCH, status: 'streaming' });
    return openAiSearchStream({
      baseUrl,
      query: trimmed,
      limit,
      createEventSource,
      onEvent: (event) => {
        setState((previous) => {
          switch (event.event) {
            case 'intent':
              return { ...previous, intent: event.data.intent, mode: event.data.mode };
            case 'results':
              return { ...previous, results: event.data.results, correctedQuery: event.data.correctedQuery ?? null };
            case 'explanation':
              return { ...previous, explanation: previous.explanation + event.data.text };
            case 'done':
              return { ...previous, status: 'done', mode: event.data.mode, tookMs: event.data.tookMs };
            case 'error':
              return { ...previous, status: 'error', error: event.data.message };
          }
        });
      },
    });
  }, [baseUrl, query, limit, createEventSource, attempt]);

  return [state, () => setAttempt((n) => n + 1)];
}
