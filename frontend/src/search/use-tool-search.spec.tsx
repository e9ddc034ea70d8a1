import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { renderHook, waitFor } from '@testing-library/react';
import { createToolsClient } from '../api/tools-client.js';
import { type ContractServer, startContractServer } from '../testing/contract-server.js';
import { EMPTY_SEARCH } from './search-state.js';
import { useToolSearch } from './use-tool-search.js';

const SLOW_QUERY_MS = 400;

describe('useToolSearch', () => {
  let server: ContractServer;
  let requests: string[];
  beforeAll(async () => {
    requests = [];
    server = await startContractServer({
      apiDelayMs: (url) => {
        requests.push(url.search);
        return url.searchParams.get('q') === 'agent' ? SLOW_QUERY_MS : 0;
      },
    });
  });
  afterAll(async () => {
    await server.close();
  });

  it('never lets a slow stale answer overwrite a newer search', async () => {
    const api = createToolsClient({ baseUrl: server.url });
    const { result, rerender } = renderHook(({ q }) => useToolSearch(api, { ...EMPTY_SEARCH, q }), {
      initialProps: { q: 'agent' },
    });
    rerender({ q: 'security' });
    await waitFor(() => expect(result.current.status).toBe('ready'));
    const securityTotal = result.current.total;
    expect(
      result.current.items.every((tool) => JSON.stringify(tool).toLowerCase().includes('security')),
    ).toBe(true);

    // Wait until the slow "agent" answer would have arrived, then check it changed nothing.
    await new Promise((resolve) => setTimeout(resolve, SLOW_QUERY_MS + 200));
    expect(result.current.total).toBe(securityTotal);
    expect(
      result.current.items.every((tool) => JSON.stringify(tool).toLowerCase().includes('security')),
    ).toBe(true);
    expect(requests.some((search) => search.includes('q=agent'))).toBe(true);
  });

  it('appends the next page once and keeps the order', async () => {
    const api = createToolsClient({ baseUrl: server.url });
    const { result } = renderHook(() => useToolSearch(api, EMPTY_SEARCH, 10));
    await waitFor(() => expect(result.current.status).toBe('ready'));
    const firstPage = result.current.items.map((tool) => tool.slug);
    result.current.loadMore();
    await waitFor(() => expect(result.current.items).toHaveLength(20));
    expect(result.current.items.slice(0, 10).map((tool) => tool.slug)).toEqual(firstPage);
    expect(new Set(result.current.items.map((tool) => tool.slug)).size).toBe(20);
  });
});
