import { useSyncExternalStore } from 'react';
import { COMPARE_MAX } from './compare-selection.js';

/** A tool picked for comparison; the name is kept so the tray can show it without a request. */
export interface PickedTool {
  slug: string;
  name: string;
}

export const COMPARE_STORAGE_KEY = 'codiesvibe.compare';

const listeners = new Set<() => void>();
let cached: { raw: string | null; picked: PickedTool[] } = { raw: null, picked: [] };

function storage(): Storage | undefined {
  try {
    return window.localStorage;
  } catch {
    return undefined;
  }
}

function isPickedTool(value: unknown): value is PickedTool {
  if (typeof value !== 'object' || value === null) return false;
  const candidate = value as Record<string, unknown>;
  return typeof candidate.slug === 'string' && typeof candidate.name === 'string';
}

/** The picked tools, parsed once per stored value so React sees a stable snapshot. */
function snapshot(): PickedTool[] {
  const raw = storage()?.getItem(COMPARE_STORAGE_KEY) ?? null;
  if (raw === cached.raw) return cached.picked;
  let picked: PickedTool[] = [];
  try {
    const parsed = raw ? (JSON.parse(raw) as unknown) : [];
    if (Array.isArray(parsed)) picked = parsed.filter(isPickedTool).slice(0, COMPARE_MAX);
  } catch {
    // A value another version of the app wrote: start over.
  }
  cached = { raw, picked };
  return picked;
}

const EMPTY: PickedTool[] = [];

function subscribe(listener: () => void): () => void {
  listeners.add(listener);
  // Another tab changed the selection: follow it, so the tray never disagrees between tabs.
  const onStorage = (event: StorageEvent) => {
    if (event.key === null || event.key === COMPARE_STORAGE_KEY) listener();
  };
  window.addEventListener('storage', onStorage);
  return () => {
    listeners.delete(listener);
    window.removeEventListener('storage', onStorage);
  };
}

function write(picked: PickedTool[]): void {
  const store = storage();
  if (picked.length === 0) store?.removeItem(COMPARE_STORAGE_KEY);
  else store?.setItem(COMPARE_STORAGE_KEY, JSON.stringify(picked));
  if (!store) cached = { raw: cached.raw, picked };
  for (const listener of listeners) listener();
}

/** Replaces the whole selection (the compare page adopts the tools its URL shows). */
export function setPickedTools(picked: readonly PickedTool[]): void {
  const current = snapshot();
  const next = picked.slice(0, COMPARE_MAX);
  const same =
    current.length === next.length &&
    current.every((tool, index) => tool.slug === next[index]?.slug && tool.name === next[index]?.name);
  if (!same) write(next);
}

/** Adds a tool, or removes it when already picked. Returns false when the selection is full. */
export function togglePickedTool(tool: PickedTool): boolean {
  const current = snapshot();
  if (current.some((picked) => picked.slug === tool.slug)) {
    write(current.filter((picked) => picked.slug !== tool.slug));
    return true;
  }
  if (current.length >= COMPARE_MAX) return false;
  write([...current, { slug: tool.slug, name: tool.name }]);
  return true;
}

/**
 * The tools picked for comparison, kept in localStorage so the selection follows the visitor from
 * the directory to tool pages and AI search (and across tabs) until they compare or clear it.
 */
export function usePickedTools(): PickedTool[] {
  return useSyncExternalStore(subscribe, snapshot, () => EMPTY);
}
