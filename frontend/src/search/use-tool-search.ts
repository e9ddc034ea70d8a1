import { useCallback, useEffect, useRef, useState } from 'react';
import type { Tool, ToolFacets } from '@codiesvibe/shared/domain';
import type { ToolsApi } from '../api/tools-client.js';
import { describeError, isAbortError } from '../api/api-error.js';
import { loadDisjunctiveFacets } from './disjunctive-facets.js';
import { type SearchState, toToolFilters } from './search-state.js';

export const PAGE_SIZE = 20;

export interface ToolSearch {
  status: 'loading' | 'ready' | 'error';
  items: Tool[];
  total: number;
  facets: ToolFacets | null;
  nextCursor: string | null;
  /** The query the results are for when the typed one matched nothing (a typo corrected by the API). */
  correctedQuery: string | null;
  loadingMore: boolean;
  error: string | null;
  loadMore: () => void;
  retry: () => void;
}

interface Snapshot {
  items: Tool[];
  total: number;
  facets: ToolFacets | null;
  nextCursor: string | null;
  correctedQuery: string | null;
}

const EMPTY_SNAPSHOT: Snapshot = { items: [], total: 0, facets: null, nextCursor: null, correctedQuery: null };

/**
 * Results and facet counts for a search state. A new state aborts the requests of the previous
 * one, so a slow stale answer can never overwrite a newer one; the previous results stay on
 * screen while the new ones load, to avoid flicker while typing.
 */
export function useToolSearch(api: ToolsApi, state: SearchState, pageSize = PAGE_SIZE): ToolSearch {
  const [snapshot, setSnapshot] = useState<Snapshot>(EMPTY_SNAPSHOT);
  const [status, setStatus] = useState<ToolSearch['status']>('loading');
  const [error, setError] = useState<string | null>(null);
  const [loadingMore, setLoadingMore] = useState(false);
  const [attempt, setAttempt] = useState(0);
  const moreController = useRef<AbortController | null>(null);

  const filters = toToolFilters(state);
  const key = JSON.stringify([filters, state.sort, pageSize]);

  useEffect(() => {
    const [keyFilters, sort] = JSON.parse(key) as [typeof filters, SearchState['sort']];
    const controller = new AbortController();
    moreController.current?.abort();
    moreController.current = null;
    setStatus('loading');
    setLoadingMore(false);
    Promise.all([
      api.listTools(keyFilters, { sort, limit: pageSize, signal: controller.signal }),
      loadDisjunctiveFacets(api, keyFilters, controller.signal),
    ]).then(
      ([page, facets]) => {
        // An answer can still arrive after its abort (the body was already read): drop it.
        if (controller.signal.aborted) return;
        setSnapshot({ items: page.items, total: page.total, facets, nextCursor: page.nextCursor, correctedQuery: page.correctedQuery ?? null });
        setError(null);
        setStatus('ready');
      },
      (failure: unknown) => {
        if (isAbortError(failure) || controller.signal.aborted) return;
        setError(describeError(failure));
        setStatus('error');
      },
    );
    return () => controller.abort();
  }, [api, key, pageSize, attempt]);

  const cursor = snapshot.nextCursor;
  const loadMore = useCallback(() => {
    if (!cursor || moreController.current) return;
    const [keyFilters, sort] = JSON.parse(key) as [typeof filters, SearchState['sort']];
    const controller = new AbortController();
    moreController.current = controller;
    setLoadingMore(true);
    api
      .listTools(keyFilters, { sort, limit: pageSize, cursor, signal: controller.signal })
      .then(
        (page) => {
          if (controller.signal.aborted) return;
          setSnapshot((previous) => ({
            ...previous,
            items: [
              ...previous.items,
              ...page.items.filter((tool) => !previous.items.some((t) => t.slug === tool.slug)),
            ],
            total: page.total,
            nextCursor: page.nextCursor,
          }));
        },
        (failure: unknown) => {
          if (!isAbortError(failure)) setError(describeError(failure));
        },
      )
      .finally(() => {
        if (moreController.current === controller) moreController.current = null;
        if (!controller.signal.aborted) setLoadingMore(false);
      });
  }, [api, key, cursor, pageSize]);

  const retry = useCallback(() => setAttempt((n) => n + 1), []);

  return { status, ...snapshot, loadingMore, error, loadMore, retry };
}
