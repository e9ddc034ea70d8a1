/* global window, document */
// Applies a stored light/dark choice before the first paint; without one, CSS follows the system.
try {
  const theme = window.localStorage.getItem('codiesvibe.theme');
  if (theme === 'light' || theme === 'dark') document.documentElement.dataset.theme = theme;
} catch {
  // Storage can be unavailable (private mode); the system theme applies.
}
