import { useEffect, useRef, useState } from 'react';
import { useApi } from '../api/api-context.js';
import { navigate } from '../routing/router.js';
import { paths } from '../routing/routes.js';
import { EmptyState, ErrorState } from '../layout/page-states.js';
import { ToolCard } from '../tools/tool-card.js';
import { SORTS, SORT_LABELS, isLabelKey } from '../tools/tool-labels.js';
import { ActiveFilterChips } from './active-filter-chips.js';
import { FilterPanel } from './filter-panel.js';
import { SearchBox } from './search-box.js';
import {
  EMPTY_SEARCH,
  type SearchState,
  formatSearchState,
  hasActiveFilters,
  parseSearchState,
} from './search-state.js';
import { useDebouncedValue } from './use-debounced-value.js';
import { useToolSearch } from './use-tool-search.js';

const TYPING_DEBOUNCE_MS = 250;

function resultsSummary(total: number, loading: boolean): string {
  if (loading) return 'Searching…';
  if (total === 0) return 'No tools found';
  return total === 1 ? '1 tool' : `${total} tools`;
}

/** The search-first home page; its URL holds the whole search, so links are shareable. */
export function HomePage({ search }: { search: string }) {
  const { tools } = useApi();
  const state = parseSearchState(search);
  const result = useToolSearch(tools, state);
  const [filtersOpen, setFiltersOpen] = useState(false);

  // The text field updates at once; the URL (and so the request) follows once typing pauses.
  const [draft, setDraft] = useState(state.q);
  const committedQuery = useRef(state.q);
  const debouncedDraft = useDebouncedValue(draft, TYPING_DEBOUNCE_MS);

  useEffect(() => {
    // Back/forward changed the query: show it in the field. Our own commits are skipped so a
    // keystroke typed while the URL catches up is never overwritten.
    if (state.q !== committedQuery.current) {
      committedQuery.current = state.q;
      setDraft(state.q);
    }
  }, [state.q]);

  const update = (next: SearchState, replace = false) => {
    committedQuery.current = next.q;
    navigate(paths.home(formatSearchState(next)), { replace });
  };

  useEffect(() => {
    if (debouncedDraft === committedQuery.current) return;
    // Refining a query replaces the history entry; starting or clearing one adds an entry.
    const refining = committedQuery.current.trim() !== '' && debouncedDraft.trim() !== '';
    update({ ...parseSearchState(window.location.search), q: debouncedDraft }, refining);
    // Only the debounced text triggers a commit; `update` reads the latest URL itself.
  }, [debouncedDraft]);

  const loading = result.status === 'loading';
  const activeFilterCount =
    state.category.length +
    state.pricing.length +
    state.platform.length +
    (state.openSource === undefined ? 0 : 1);

  return (
    <div className="home">
      <section className="hero" aria-labelledby="hero-title">
        <h1 id="hero-title">
          Find the right <span className="accent">AI developer tool</span>
        </h1>
        <p className="hero-sub">Search, filter and compare coding assistants, agents, reviewers and more.</p>
        <SearchBox value={draft} onChange={setDraft} busy={loading && draft.trim() !== ''} />
      </section>

      <div className="results-layout">
        <aside className={`filters${filtersOpen ? ' is-open' : ''}`} aria-label="Filters">
          <button
            type="button"
            className="button button-secondary filters-toggle"
            aria-expanded={filtersOpen}
            aria-controls="filter-panel"
            onClick={() => setFiltersOpen((open) => !open)}
          >
            Filters{activeFilterCount ? ` (${activeFilterCount})` : ''}
          </button>
          <div id="filter-panel" className="filters-body">
            <FilterPanel state={state} facets={result.facets} onChange={(next) => update(next)} />
          </div>
        </aside>

        <section className="results" aria-labelledby="results-title">
          <div className="results-toolbar">
            <h2 id="results-title" className="results-count" aria-live="polite" aria-atomic="true">
              {resultsSummary(result.total, loading && result.items.length === 0)}
            </h2>
            <label className="sort-control">
              <span>Sort</span>
              <select
                value={state.sort}
                onChange={(event) => {
                  const sort = event.target.value;
                  if (isLabelKey(SORT_LABELS, sort)) update({ ...state, sort: sort });
                }}
              >
                {SORTS.map((sort) => (
                  <option key={sort} value={sort}>
                    {SORT_LABELS[sort]}
                  </option>
                ))}
              </select>
            </label>
          </div>
          <ActiveFilterChips state={state} onChange={(next) => update(next)} />
          {result.correctedQuery && (
            <p className="results-corrected" role="status">
              No tools match “{state.q.trim()}”. Showing results for “<strong>{result.correctedQuery}</strong>”.
            </p>
          )}

          {result.status === 'error' ? (
            <ErrorState message={result.error ?? 'The search failed.'} onRetry={result.retry} />
          ) : result.status === 'ready' && result.items.length === 0 ? (
            <EmptyState title="No tools match">
              <p>Try fewer words or remove a filter.</p>
              {(hasActiveFilters(state) || state.q) && (
                <button type="button" className="button" onClick={() => update(EMPTY_SEARCH)}>
                  Reset search
                </button>
              )}
            </EmptyState>
          ) : (
            <>
              <ol className={`tool-grid${loading ? ' is-stale' : ''}`} aria-busy={loading}>
                {result.items.map((tool) => (
                  <li key={tool.slug}>
                    <ToolCard tool={tool} />
                  </li>
                ))}
              </ol>
              {result.error && (
                <p className="form-alert" role="alert">
                  {result.error}
                </p>
              )}
              {result.nextCursor && (
                <div className="load-more">
                  <button
                    type="button"
                    className="button button-secondary"
                    onClick={result.loadMore}
                    disabled={result.loadingMore}
                  >
                    {result.loadingMore
                      ? 'Loading…'
                      : `Load more (${result.items.length} of ${result.total})`}
                  </button>
                </div>
              )}
            </>
          )}
        </section>
      </div>
    </div>
  );
}
