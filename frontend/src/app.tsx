import { useEffect } from 'react';
import { type ApiServices, ApiProvider } from './api/api-context.js';
import { AiSearchPage } from './ai/ai-search-page.js';
import { AdminEditToolPage, AdminNewToolPage, AdminPage } from './admin/admin-page.js';
import { AppShell } from './layout/app-shell.js';
import { EmptyState } from './layout/page-states.js';
import { Link, useLocation } from './routing/router.js';
import { type Route, matchRoute, paths } from './routing/routes.js';
import { HomePage } from './search/home-page.js';
import { ToolPage } from './tools/tool-page.js';

const TITLES: Record<Route['page'], string> = {
  home: 'CodiesVibe · AI developer tools',
  tool: 'CodiesVibe',
  ai: 'AI search · CodiesVibe',
  admin: 'Admin · CodiesVibe',
  'admin-new': 'Add a tool · CodiesVibe',
  'admin-edit': 'Edit a tool · CodiesVibe',
  'not-found': 'Not found · CodiesVibe',
};

function sectionOf(route: Route) {
  if (route.page === 'home' || route.page === 'tool') return 'directory';
  if (route.page === 'ai') return 'ai';
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
    case 'admin':
      return <AdminPage />;
    case 'admin-new':
      return <AdminNewToolPage />;
    case 'admin-edit':
      return <AdminEditToolPage key={route.slug} slug={route.slug} />;
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

  const title = route.page === 'tool' ? `${route.slug} · CodiesVibe` : TITLES[route.page];
  useEffect(() => {
    document.title = title;
  }, [title]);

  return (
    <ApiProvider services={services}>
      <AppShell section={sectionOf(route)}>
        <RoutePage route={route} search={search} />
      </AppShell>
    </ApiProvider>
  );
}
