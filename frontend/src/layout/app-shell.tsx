import type { ReactNode } from 'react';
import { usePickedTools } from '../compare/compare-basket.js';
import { Link } from '../routing/router.js';
import { paths } from '../routing/routes.js';
import { ThemeToggle } from '../theme/theme-toggle.js';

type Section = 'directory' | 'ai' | 'compare' | 'submit' | 'admin' | 'none';

/** Header, navigation and footer around every page. */
export function AppShell({ section, children }: { section: Section; children: ReactNode }) {
  const picked = usePickedTools();
  const nav: { section: Section; label: string; to: string }[] = [
    { section: 'directory', label: 'Directory', to: paths.home() },
    { section: 'ai', label: 'AI search', to: paths.ai() },
    { section: 'compare', label: 'Compare', to: paths.compare(picked.map((tool) => tool.slug)) },
    { section: 'submit', label: 'Suggest a tool', to: paths.submit() },
    { section: 'admin', label: 'Admin', to: paths.admin() },
  ];
  return (
    <>
      <a className="skip-link" href="#main">
        Skip to content
      </a>
      <header className="site-header">
        <div className="container header-row">
          <Link to={paths.home()} className="brand" aria-label="CodiesVibe home">
            <span className="brand-mark" aria-hidden="true">
              {'</>'}
            </span>
            <span>CodiesVibe</span>
          </Link>
          <nav aria-label="Main">
            <ul className="nav-list">
              {nav.map((item) => (
                <li key={item.section}>
                  <Link
                    to={item.to}
                    className="nav-link"
                    aria-current={item.section === section ? 'page' : undefined}
                  >
                    {item.label}
                  </Link>
                </li>
              ))}
            </ul>
          </nav>
          <ThemeToggle />
        </div>
      </header>
      <main id="main" className="container main" tabIndex={-1}>
        {children}
      </main>
      <footer className="site-footer">
        <div className="container">CodiesVibe · a directory of AI developer tools</div>
      </footer>
    </>
  );
}
