import { describe, expect, it } from 'vitest';
import { renderHook, waitFor } from '@testing-library/react';
import { createToolsClient } from '../api/tools-client.js';
import { sharedToolsApiUrl } from '../testing/tools-api.js';
import { EMPTY_SEARCH } from './search-state.js';
import { useToolSearch } from './use-tool-search.js';

const SLOW_QUERY_MS = 400;

describe('useToolSearch against the real nestjs-api', () => {
  it('never lets a slow stale answer overwrite a newer search', async () => {
    const requests: string[] = [];
    // The "agent" answers arrive late, after the newer search's, and even though it was aborted:
    // like a server that had already answered before the abort.
    const slowForAgent: typeof fetch = async (input, init) => {
      const url = new URL(input instanceof Request ? input.url : String(input));
      requests.push(url.search);
      if (url.searchParams.get('q') !== 'agent') return fetch(input, init);
      const response = await fetch(input, { ...init, signal: null });
      await new Promise((resolve) => setTimeout(resolve, SLOW_QUERY_MS));
      return response;
    };
    const api = createToolsClient({ baseUrl: sharedToolsApiUrl(), fetch: slowForAgent });
    const { result, rerender } = renderHook(({ q }) => useToolSearch(api, { ...EMPTY_SEARCH, q }), {
      initialProps: { q: 'agent' },
    });
    rerender({ q: 'security' });
    await waitFor(() => expect(result.current.status).toBe('ready'));
    const securityTotal = result.current.total;
    const aboutSecurity = () =>
      result.current.items.every((tool) => JSON.stringify(tool).toLowerCase().includes('security'));
    expect(aboutSecurity()).toBe(true);

    // Wait until the slow "agent" answer would have arrived, then check it changed nothing.
    await new Promise((resolve) => setTimeout(resolve, SLOW_QUERY_MS + 200));
    expect(result.current.total).toBe(securityTotal);
    expect(aboutSecurity()).toBe(true);
    expect(requests.some((search) => search.includes('q=agent'))).toBe(true);
  });

  it('appends the next page once and keeps the order', async () => {
    const api = createToolsClient({ baseUrl: sharedToolsApiUrl() });
    const { result } = renderHook(() => useToolSearch(api, EMPTY_SEARCH, 10));
    await waitFor(() => expect(result.current.status).toBe('ready'));
    const firstPage = result.current.items.map((tool) => tool.slug);
    result.current.loadMore();
    await waitFor(() => expect(result.current.items).toHaveLength(20));
    expect(result.current.items.slice(0, 10).map((tool) => tool.slug)).toEqual(firstPage);
    expect(new Set(result.current.items.map((tool) => tool.slug)).size).toBe(20);
  });
});
