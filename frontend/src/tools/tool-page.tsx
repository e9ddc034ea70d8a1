import type { Tool } from '@codiesvibe/shared/domain';
import { useState } from 'react';
import { useApi } from '../api/api-context.js';
import { CompareToggle } from '../compare/compare-toggle.js';
import { ApiError } from '../api/api-error.js';
import { EmptyState, ErrorState, LoadingState } from '../layout/page-states.js';
import { usePageTitle } from '../layout/use-page-title.js';
import { Link } from '../routing/router.js';
import { paths } from '../routing/routes.js';
import { formatSearchState, EMPTY_SEARCH } from '../search/search-state.js';
import { ToolCard } from './tool-card.js';
import { ToolAvatar } from './tool-avatar.js';
import { CATEGORY_LABELS, PLATFORM_LABELS, PRICING_LABELS } from './tool-labels.js';
import { takeEmbeddedTool } from './embedded-tool.js';
import { useAsync } from './use-async.js';

const SIMILAR_LIMIT = 4;

function formatDate(iso: string): string {
  const date = new Date(iso);
  return Number.isNaN(date.getTime()) ? iso : date.toLocaleDateString(undefined, { dateStyle: 'medium' });
}

function priceText(tool: Tool): string {
  const { model, monthlyPriceFrom } = tool.pricing;
  const label = PRICING_LABELS[model];
  return monthlyPriceFrom ? `${label} · from $${monthlyPriceFrom}/month` : label;
}

/** Tools sharing the first category, the page's own tool left out. */
function SimilarTools({ tool }: { tool: Tool }) {
  const { tools } = useApi();
  const category = tool.categories[0];
  const [similar] = useAsync(`similar:${tool.slug}:${category ?? ''}`, (signal) =>
    tools.listTools(category ? { category: [category] } : {}, { limit: SIMILAR_LIMIT + 1, signal }),
  );
  if (similar.status !== 'ready') return null;
  const items = similar.value.items.filter((item) => item.slug !== tool.slug).slice(0, SIMILAR_LIMIT);
  if (items.length === 0) return null;
  return (
    <section className="similar" aria-labelledby="similar-title">
      <h2 id="similar-title">Similar tools</h2>
      <ul className="tool-grid">
        {items.map((item) => (
          <li key={item.slug}>
            <ToolCard tool={item} />
          </li>
        ))}
      </ul>
    </section>
  );
}

/** Everything about one tool: facts, links and similar tools. */
export function ToolPage({ slug }: { slug: string }) {
  const { tools } = useApi();
  // A page rendered by the gateway carries the tool: shown at once, without a second request.
  const [embedded] = useState(() => takeEmbeddedTool(slug));
  const [state, reload] = useAsync(`tool:${slug}`, (signal) => tools.getTool(slug, { signal }), embedded);
  usePageTitle(
    // The title the gateway renders for this page, so both read the same.
    state.status === 'ready'
      ? `${state.value.name}: ${state.value.tagline}`
      : state.status === 'loading'
        ? null
        : 'Tool not found',
  );

  if (state.status === 'loading') return <LoadingState label="Loading tool…" />;
  if (state.status === 'error') {
    if (state.error instanceof ApiError && state.error.status === 404) {
      return (
        <EmptyState title="Tool not found">
          <p>
            No tool is called “{slug}”. <Link to={paths.home()}>Back to the directory</Link>
          </p>
        </EmptyState>
      );
    }
    return <ErrorState message={state.message} onRetry={reload} />;
  }

  const tool = state.value;
  return (
    <article className="tool-page">
      <nav aria-label="Breadcrumb" className="breadcrumb">
        <Link to={paths.home()}>Directory</Link> <span aria-hidden="true">/</span> <span>{tool.name}</span>
      </nav>
      <header className="tool-hero">
        <ToolAvatar slug={tool.slug} name={tool.name} large />
        <div>
          <h1>{tool.name}</h1>
          <p className="tool-hero-tagline">{tool.tagline}</p>
          <div className="tool-links">
            <a className="button" href={tool.website} target="_blank" rel="noopener noreferrer">
              Visit website <span aria-hidden="true">↗</span>
            </a>
            {tool.repository && (
              <a
                className="button button-secondary"
                href={tool.repository}
                target="_blank"
                rel="noopener noreferrer"
              >
                Source code <span aria-hidden="true">↗</span>
              </a>
            )}
            <Link className="button button-ghost" to={paths.adminEdit(tool.slug)}>
              Edit
            </Link>
          </div>
          <CompareToggle tool={tool} className="tool-hero-compare" />
        </div>
      </header>

      <div className="tool-body">
        <section className="tool-description" aria-labelledby="about-title">
          <h2 id="about-title">About</h2>
          {tool.description.split(/\n{2,}/).map((paragraph, index) => (
            <p key={index}>{paragraph}</p>
          ))}
        </section>
        <aside className="tool-facts" aria-labelledby="facts-title">
          <h2 id="facts-title">Facts</h2>
          <dl>
            <dt>Pricing</dt>
            <dd>{priceText(tool)}</dd>
            <dt>License</dt>
            <dd>
              {tool.openSource
                ? `Open source${tool.license ? ` (${tool.license})` : ''}`
                : (tool.license ?? 'Proprietary')}
            </dd>
            <dt>Categories</dt>
            <dd>
              <ul className="badge-list">
                {tool.categories.map((category) => (
                  <li key={category}>
                    <Link
                      className="badge badge-link"
                      to={paths.home(formatSearchState({ ...EMPTY_SEARCH, category: [category] }))}
                    >
                      {CATEGORY_LABELS[category]}
                    </Link>
                  </li>
                ))}
              </ul>
            </dd>
            <dt>Platforms</dt>
            <dd>{tool.platforms.map((platform) => PLATFORM_LABELS[platform]).join(', ')}</dd>
            {tool.tags.length > 0 && (
              <>
                <dt>Tags</dt>
                <dd>
                  <ul className="badge-list">
                    {tool.tags.map((tag) => (
                      <li key={tag} className="badge badge-tag">
                        #{tag}
                      </li>
                    ))}
                  </ul>
                </dd>
              </>
            )}
            <dt>Updated</dt>
            <dd>
              <time dateTime={tool.updatedAt}>{formatDate(tool.updatedAt)}</time>
            </dd>
          </dl>
        </aside>
      </div>
      <SimilarTools tool={tool} />
    </article>
  );
}
