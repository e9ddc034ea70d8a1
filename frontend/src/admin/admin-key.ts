import { useSyncExternalStore } from 'react';

export const ADMIN_KEY_STORAGE_KEY = 'codiesvibe.adminApiKey';

function storage(): Storage | undefined {
  try {
    return window.sessionStorage;
  } catch {
    return undefined;
  }
}

/** The stored key at this moment ('' when none); read at submit time so a just-entered key counts. */
export function readAdminKey(): string {
  return storage()?.getItem(ADMIN_KEY_STORAGE_KEY) ?? '';
}

// Every component showing or using the key re-renders when it is set or forgotten.
const listeners = new Set<() => void>();

function subscribe(listener: () => void): () => void {
  listeners.add(listener);
  return () => listeners.delete(listener);
}

/**
 * The admin API key, kept in sessionStorage so it survives reloads but not the browser tab, and
 * is never written anywhere longer-lived.
 */
export function useAdminKey(): [string, (key: string) => void] {
  const key = useSyncExternalStore(subscribe, readAdminKey, readAdminKey);
  const save = (next: string) => {
    const trimmed = next.trim();
    if (trimmed) storage()?.setItem(ADMIN_KEY_STORAGE_KEY, trimmed);
    else storage()?.removeItem(ADMIN_KEY_STORAGE_KEY);
    for (const listener of listeners) listener();
  };
  return [key, save];
}
