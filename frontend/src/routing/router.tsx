import { type AnchorHTMLAttributes, type MouseEvent, useSyncExternalStore } from 'react';

// A dozen lines of History API instead of a routing library: the app has five routes, and the
// bundle budget is better spent elsewhere.

const listeners = new Set<() => void>();

function subscribe(listener: () => void): () => void {
  listeners.add(listener);
  window.addEventListener('popstate', listener);
  return () => {
    listeners.delete(listener);
    window.removeEventListener('popstate', listener);
  };
}

function currentHref(): string {
  return window.location.pathname + window.location.search;
}

export interface AppLocation {
  pathname: string;
  search: string;
}

/** The current path and query string; re-renders on navigation and on back/forward. */
export function useLocation(): AppLocation {
  const href = useSyncExternalStore(subscribe, currentHref, currentHref);
  const queryStart = href.indexOf('?');
  return queryStart === -1
    ? { pathname: href, search: '' }
    : { pathname: href.slice(0, queryStart), search: href.slice(queryStart) };
}

/** Goes to `to` (a same-origin path with optional query). `replace` keeps the history length. */
export function navigate(to: string, { replace = false }: { replace?: boolean } = {}): void {
  if (to === currentHref()) return;
  if (replace) window.history.replaceState(null, '', to);
  else window.history.pushState(null, '', to);
  for (const listener of listeners) listener();
}

export type LinkProps = AnchorHTMLAttributes<HTMLAnchorElement> & { to: string };

/** An anchor that navigates in-app on a plain click and behaves natively otherwise (new tab etc.). */
export function Link({ to, onClick, ...rest }: LinkProps) {
  const handleClick = (event: MouseEvent<HTMLAnchorElement>) => {
    onClick?.(event);
    if (event.defaultPrevented || event.button !== 0) return;
    if (event.metaKey || event.ctrlKey || event.shiftKey || event.altKey || rest.target) return;
    event.preventDefault();
    navigate(to);
    window.scrollTo({ top: 0 });
  };
  return <a href={to} onClick={handleClick} {...rest} />;
}
