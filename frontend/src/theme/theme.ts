/** The user's choice; `system` follows prefers-color-scheme. */
export type ThemePreference = 'light' | 'dark' | 'system';

export const THEME_STORAGE_KEY = 'codiesvibe.theme';

/** The stored preference, or `system` when none (or storage is unavailable). */
export function readThemePreference(storage: Pick<Storage, 'getItem'> | undefined): ThemePreference {
  try {
    const value = storage?.getItem(THEME_STORAGE_KEY);
    return value === 'light' || value === 'dark' ? value : 'system';
  } catch {
    return 'system';
  }
}

/** The theme actually shown for a preference. */
export function resolveTheme(preference: ThemePreference, prefersDark: boolean): 'light' | 'dark' {
  if (preference === 'system') return prefersDark ? 'dark' : 'light';
  return preference;
}

/** Stores the preference and applies it to <html data-theme>, which the stylesheet keys on. */
export function applyThemePreference(
  preference: ThemePreference,
  root: HTMLElement,
  storage?: Storage,
): void {
  try {
    if (preference === 'system') storage?.removeItem(THEME_STORAGE_KEY);
    else storage?.setItem(THEME_STORAGE_KEY, preference);
  } catch {
    // Private modes may refuse storage; the theme still applies for this visit.
  }
  if (preference === 'system') delete root.dataset.theme;
  else root.dataset.theme = preference;
}
