import { formatCompareSearch } from '../compare/compare-selection.js';

/**
 * The pages of the app, decoded from a pathname. No page lives under /api, /ai, /mcp or /health:
 * the gateway (and the dev proxy) send those prefixes to the backends, so the AI page is /ask.
 */
export type Route =
  | { page: 'home' }
  | { page: 'tool'; slug: string }
  | { page: 'ai' }
  | { page: 'compare' }
  | { page: 'admin' }
  | { page: 'admin-new' }
  | { page: 'admin-edit'; slug: string }
  | { page: 'submit' }
  | { page: 'admin-submissions' }
  | { page: 'admin-submission'; id: string }
  | { page: 'not-found' };

const SLUG = '([a-z0-9]+(?:-[a-z0-9]+)*)';
const TOOL_PATH = new RegExp(`^/tools/${SLUG}/?$`);
const ADMIN_EDIT_PATH = new RegExp(`^/admin/tools/${SLUG}/edit/?$`);
const ADMIN_SUBMISSION_PATH = /^\/admin\/submissions\/([0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12})$/;

/** Maps a pathname to its route; anything unknown is `not-found`. */
export function matchRoute(pathname: string): Route {
  const path = pathname.length > 1 ? pathname.replace(/\/+$/, '') : pathname;
  if (path === '/' || path === '') return { page: 'home' };
  if (path === '/ask') return { page: 'ai' };
  if (path === '/compare') return { page: 'compare' };
  if (path === '/admin') return { page: 'admin' };
  if (path === '/admin/tools/new') return { page: 'admin-new' };
  if (path === '/submit') return { page: 'submit' };
  if (path === '/admin/submissions') return { page: 'admin-submissions' };
  const submission = ADMIN_SUBMISSION_PATH.exec(path);
  if (submission?.[1]) return { page: 'admin-submission', id: submission[1] };
  const tool = TOOL_PATH.exec(path);
  if (tool?.[1]) return { page: 'tool', slug: tool[1] };
  const edit = ADMIN_EDIT_PATH.exec(path);
  if (edit?.[1]) return { page: 'admin-edit', slug: edit[1] };
  return { page: 'not-found' };
}

export const paths = {
  home: (search = '') => `/${search}`,
  tool: (slug: string) => `/tools/${slug}`,
  ai: (query?: string) => (query ? `/ask?${new URLSearchParams({ q: query }).toString()}` : '/ask'),
  compare: (slugs: readonly string[] = []) => `/compare${formatCompareSearch(slugs)}`,
  admin: () => '/admin',
  adminNew: () => '/admin/tools/new',
  adminEdit: (slug: string) => `/admin/tools/${slug}/edit`,
  submit: () => '/submit',
  adminSubmissions: () => '/admin/submissions',
  adminSubmission: (id: string) => `/admin/submissions/${id}`,
};
