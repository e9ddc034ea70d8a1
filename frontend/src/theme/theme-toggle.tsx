import { useEffect, useState } from 'react';
import { applyThemePreference, readThemePreference, resolveTheme } from './theme.js';

function systemPrefersDark(): boolean {
  return typeof window.matchMedia === 'function' && window.matchMedia('(prefers-color-scheme: dark)').matches;
}

/** A button that flips between light and dark; the first visit follows the system setting. */
export function ThemeToggle() {
  const [theme, setTheme] = useState(() =>
    resolveTheme(readThemePreference(window.localStorage), systemPrefersDark()),
  );

  useEffect(() => {
    const preference = readThemePreference(window.localStorage);
    applyThemePreference(preference, document.documentElement);
  }, []);

  const next = theme === 'dark' ? 'light' : 'dark';
  return (
    <button
      type="button"
      className="icon-button"
      aria-label={`Switch to ${next} theme`}
      title={`Switch to ${next} theme`}
      onClick={() => {
        applyThemePreference(next, document.documentElement, window.localStorage);
        setTheme(next);
      }}
    >
      <span aria-hidden="true">{theme === 'dark' ? '☀' : '☾'}</span>
    </button>
  );
}
