import { lazy, Suspense } from 'react';
import { type ApiServices, ApiProvider } from './api/api-context.js';
import { CompareTray } from './compare/compare-tray.js';
import { AppShell } from './layout/app-shell.js';
import { EmptyState, LoadingState } from './layout/page-states.js';
import { usePageTitle } from './layout/use-page-title.js';
import { Link, useLocation } from './routing/router.js';
import { type Route, matchRoute, paths } from './routing/routes.js';
import { HomePage } from './search/home-page.js';
import { ToolPage } from './tools/tool-page.js';

// The directory and tool pages are in the first bundle (they are where visitors land); the other
// pages load on first use, so the home page's JavaScript stays small.
const AiSearchPage = lazy(() => import('./ai/ai-search-page.js').then((m) => ({ default: m.AiSearchPage })));
const ComparePage = lazy(() => import('./compare/compare-page.js').then((m) => ({ default: m.ComparePage })));
const AdminPage = lazy(() => import('./admin/admin-page.js').then((m) => ({ default: m.AdminPage })));
const AdminNewToolPage = lazy(() =>
  import('./admin/admin-page.js').then((m) => ({ default: m.AdminNewToolPage })),
);
const AdminEditToolPage = lazy(() =>
  import('./admin/admin-page.js').then((m) => ({ default: m.AdminEditToolPage })),
);

const SubmitPage = lazy(() => import('./submit/submit-page.js').then((m) => ({ default: m.SubmitPage })));
const AdminSubmissionsPage = lazy(() =>
  import('./admin/submissions-page.js').then((m) => ({ default: m.AdminSubmissionsPage })),
);
const AdminSubmissionPage = lazy(() =>
  import('./admin/submissions-page.js').then((m) => ({ default: m.AdminSubmissionPage })),
);

/** Titles of the pages that do not set their own from what they load. */
const TITLES: Partial<Record<Route['page'], string>> = {
  home: '',
  ai: 'AI search',
  admin: 'Admin',
  'admin-new': 'Add a tool',
  'admin-edit': 'Edit a tool',
  submit: 'Suggest a tool',
  'admin-submissions': 'Suggested tools',
  'admin-submission': 'Review a suggestion',
  'not-found': 'Not found',
};

function sectionOf(route: Route) {
  if (route.page === 'home' || route.page === 'tool') return 'directory';
  if (route.page === 'ai') return 'ai';
  if (route.page === 'compare') return 'compare';
  if (route.page === 'submit') return 'submit';
  if (route.page.startsWith('admin')) return 'admin';
  return 'none';
}

function RoutePage({ route, search }: { route: Route; search: string }) {
  switch (route.page) {
    case 'home':
      return <HomePage search={search} />;
    case 'tool':
      return <ToolPage key={route.slug} slug={route.slug} />;
    case 'ai':
      return <AiSearchPage search={search} />;
    case 'compare':
      return <ComparePage search={search} />;
    case 'admin':
      return <AdminPage />;
    case 'admin-new':
      return <AdminNewToolPage />;
    case 'admin-edit':
      return <AdminEditToolPage key={route.slug} slug={route.slug} />;
    case 'submit':
      return <SubmitPage />;
    case 'admin-submissions':
      return <AdminSubmissionsPage search={search} />;
    case 'admin-submission':
      return <AdminSubmissionPage key={route.id} id={route.id} />;
    case 'not-found':
      return (
        <EmptyState title="Page not found">
          <p>
            <Link to={paths.home()}>Go to the directory</Link>
          </p>
        </EmptyState>
      );
  }
}

/** The whole app: routing inside the shell, with the API services the pages use. */
export function App({ services }: { services: ApiServices }) {
  const { pathname, search } = useLocation();
  const route = matchRoute(pathname);
  usePageTitle(TITLES[route.page] ?? null);

  return (
    <ApiProvider services={services}>
      <AppShell section={sectionOf(route)}>
        <Suspense fallback={<LoadingState label="Loading…" />}>
          <RoutePage route={route} search={search} />
        </Suspense>
      </AppShell>
      {route.page !== 'compare' && <CompareTray />}
    </ApiProvider>
  );
}
