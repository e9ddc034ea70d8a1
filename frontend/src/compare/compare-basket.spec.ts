import { describe, expect, it } from 'vitest';
import { act, renderHook } from '@testing-library/react';
import { COMPARE_STORAGE_KEY, setPickedTools, togglePickedTool, usePickedTools } from './compare-basket.js';

const tool = (n: number) => ({ slug: `tool-${n}`, name: `Tool ${n}` });

describe('the compare selection', () => {
  it('adds, removes and refuses a fifth tool, and keeps the selection in localStorage', () => {
    const { result } = renderHook(() => usePickedTools());
    act(() => {
      for (const n of [1, 2, 3, 4]) expect(togglePickedTool(tool(n))).toBe(true);
    });
    expect(result.current.map((picked) => picked.slug)).toEqual(['tool-1', 'tool-2', 'tool-3', 'tool-4']);
    let accepted = true;
    act(() => {
      accepted = togglePickedTool(tool(5));
    });
    expect(accepted).toBe(false);
    expect(result.current).toHaveLength(4);
    act(() => {
      togglePickedTool(tool(2));
    });
    expect(result.current.map((picked) => picked.slug)).toEqual(['tool-1', 'tool-3', 'tool-4']);
    expect(JSON.parse(window.localStorage.getItem(COMPARE_STORAGE_KEY)!)).toEqual(result.current);
    act(() => setPickedTools([]));
    expect(result.current).toEqual([]);
    expect(window.localStorage.getItem(COMPARE_STORAGE_KEY)).toBeNull();
  });

  it('follows a change made in another tab', () => {
    const { result } = renderHook(() => usePickedTools());
    act(() => {
      window.localStorage.setItem(COMPARE_STORAGE_KEY, JSON.stringify([tool(7)]));
      window.dispatchEvent(new StorageEvent('storage', { key: COMPARE_STORAGE_KEY }));
    });
    expect(result.current).toEqual([tool(7)]);
  });

  it('ignores a stored value it cannot read', () => {
    window.localStorage.setItem(COMPARE_STORAGE_KEY, '{not json');
    const { result } = renderHook(() => usePickedTools());
    expect(result.current).toEqual([]);
    window.localStorage.setItem(COMPARE_STORAGE_KEY, JSON.stringify([{ slug: 1 }, tool(1)]));
    const again = renderHook(() => usePickedTools());
    expect(again.result.current).toEqual([tool(1)]);
  });
});
