import { type CSSProperties, useEffect, useId, useRef, useState } from 'react';
import type { Tool } from '@codiesvibe/shared/domain';
import { useApi } from '../api/api-context.js';
import { ApiError } from '../api/api-error.js';
import { EmptyState, ErrorState, LoadingState } from '../layout/page-states.js';
import { usePageTitle } from '../layout/use-page-title.js';
import { Link, navigate } from '../routing/router.js';
import { paths } from '../routing/routes.js';
import { ToolAvatar } from '../tools/tool-avatar.js';
import { useAsync } from '../tools/use-async.js';
import { setPickedTools } from './compare-basket.js';
import { CompareAddTool } from './compare-add-tool.js';
import { type CompareCell, compareRows } from './compare-rows.js';
import { COMPARE_MAX, COMPARE_MIN, parseCompareRequest } from './compare-selection.js';

interface LoadedComparison {
  /** The tools shown: the first {@link COMPARE_MAX} found, in the link's order. */
  tools: Tool[];
  /** Found, but past the limit. */
  extra: string[];
  /** Slugs the directory does not have (404). */
  missing: string[];
}

/**
 * Looks every requested tool up at once; unknown slugs are reported, any other failure fails the
 * page. The first four found are shown, so an unknown slug makes room for the next one.
 */
async function loadComparison(
  getTool: (slug: string, options: { signal: AbortSignal }) => Promise<Tool>,
  slugs: readonly string[],
  signal: AbortSignal,
): Promise<LoadedComparison> {
  const settled = await Promise.allSettled(slugs.map((slug) => getTool(slug, { signal })));
  const tools: Tool[] = [];
  const missing: string[] = [];
  settled.forEach((outcome, index) => {
    if (outcome.status === 'fulfilled') tools.push(outcome.value);
    else if (outcome.reason instanceof ApiError && outcome.reason.status === 404) missing.push(slugs[index]!);
    else throw outcome.reason;
  });
  return {
    tools: tools.slice(0, COMPARE_MAX),
    extra: tools.slice(COMPARE_MAX).map((tool) => tool.slug),
    missing,
  };
}

function Cell({ cell }: { cell: CompareCell }) {
  switch (cell.kind) {
    case 'text':
      return <>{cell.text}</>;
    case 'link':
      return (
        <a href={cell.href} target="_blank" rel="noopener noreferrer">
          {cell.text}
        </a>
      );
    case 'list':
      return (
        <ul className="badge-list">
          {cell.items.map((item) => (
            <li key={item} className="badge">
              {item}
            </li>
          ))}
        </ul>
      );
  }
}

/** Copies the page's address; the comparison lives in it. */
function CopyLinkButton() {
  const [copied, setCopied] = useState<'idle' | 'copied' | 'failed'>('idle');
  return (
    <span className="copy-link">
      <button
        type="button"
        className="button button-secondary"
        onClick={() => {
          navigator.clipboard.writeText(window.location.href).then(
            () => setCopied('copied'),
            () => setCopied('failed'),
          );
        }}
      >
        Copy link
      </button>
      <span role="status" className="muted">
        {copied === 'copied' ? 'Link copied' : copied === 'failed' ? 'Copy the address bar to share' : ''}
      </span>
    </span>
  );
}

/** What the URL asked for but the page cannot show, in words. */
function DroppedNotice({ overflow, unknown }: { overflow: string[]; unknown: string[] }) {
  if (overflow.length === 0 && unknown.length === 0) return null;
  return (
    <div className="notice" role="status" data-testid="compare-dropped">
      {unknown.length > 0 && (
        <p>
          Not in the directory, so left out: <strong>{unknown.join(', ')}</strong>.
        </p>
      )}
      {overflow.length > 0 && (
        <p>
          A comparison shows up to {COMPARE_MAX} tools, so these were left out:{' '}
          <strong>{overflow.join(', ')}</strong>.
        </p>
      )}
    </div>
  );
}

function CompareTable({ tools, onRemove }: { tools: Tool[]; onRemove: (slug: string) => void }) {
  const [onlyDifferences, setOnlyDifferences] = useState(false);
  const captionId = useId();
  const rows = compareRows(tools);
  const shown = onlyDifferences ? rows.filter((row) => row.differs) : rows;
  return (
    <>
      {tools.length >= COMPARE_MIN && (
        <div className="compare-toolbar">
          <label className="choice choice-inline">
            <input
              type="checkbox"
              checked={onlyDifferences}
              onChange={(event) => setOnlyDifferences(event.target.checked)}
            />
            Show only differences
          </label>
          <CopyLinkButton />
        </div>
      )}
      {/* A scrolling region must be reachable by keyboard, hence the tabIndex. */}
      <div className="compare-scroll" role="region" aria-labelledby={captionId} tabIndex={0}>
        <table className="compare-table" style={{ '--compare-columns': tools.length } as CSSProperties}>
          <caption id={captionId} className="visually-hidden">
            {tools.map((tool) => tool.name).join(' compared with ')}
          </caption>
          <thead>
            <tr>
              <th scope="col" className="compare-corner">
                <span className="visually-hidden">Attribute</span>
              </th>
              {tools.map((tool) => (
                <th key={tool.slug} scope="col" className="compare-tool">
                  <div className="compare-tool-head">
                    <ToolAvatar slug={tool.slug} name={tool.name} />
                    <Link to={paths.tool(tool.slug)} className="compare-tool-name">
                      {tool.name}
                    </Link>
                  </div>
                  <p className="compare-tool-tagline">{tool.tagline}</p>
                  <button
                    type="button"
                    className="link-button"
                    aria-label={`Remove ${tool.name} from the comparison`}
                    onClick={() => onRemove(tool.slug)}
                  >
                    Remove
                  </button>
                </th>
              ))}
            </tr>
          </thead>
          <tbody>
            {shown.map((row) => (
              <tr key={row.id} className={row.differs ? 'differs' : undefined}>
                <th scope="row">{row.label}</th>
                {row.cells.map((cell, index) => (
                  <td key={tools[index]!.slug}>
                    <Cell cell={cell} />
                  </td>
                ))}
              </tr>
            ))}
          </tbody>
        </table>
      </div>
      {onlyDifferences && shown.length === 0 && (
        <p className="muted">These tools have the same pricing, platforms, categories, license and tags.</p>
      )}
    </>
  );
}

/** 2–4 tools side by side; the URL (`/compare?tools=a,b`) is the selection, so it can be shared. */
export function ComparePage({ search }: { search: string }) {
  const { tools: api } = useApi();
  const request = parseCompareRequest(search);
  const key = request.slugs.join(',');
  // Tools already loaded are reused, so removing or re-adding a column costs no request.
  const known = useRef(new Map<string, Tool>());
  const [state, reload] = useAsync(`compare:${key}`, (signal) =>
    loadComparison(
      async (slug, options) => {
        const tool = known.current.get(slug) ?? (await api.getTool(slug, options));
        known.current.set(slug, tool);
        return tool;
      },
      request.slugs,
      signal,
    ),
  );
  const loaded = state.status === 'ready' ? state.value.tools : [];
  usePageTitle(loaded.length ? `Compare ${loaded.map((tool) => tool.name).join(', ')}` : 'Compare tools');

  // The page is the selection: the tray and the cards' checkboxes follow what is compared here.
  const adopted = loaded.map((tool) => `${tool.slug}:${tool.name}`).join('|');
  useEffect(() => {
    if (state.status === 'ready') setPickedTools(state.value.tools.map(({ slug, name }) => ({ slug, name })));
    // `adopted` names exactly the tools shown.
  }, [adopted]);

  const shownSlugs = loaded.map((tool) => tool.slug);
  const go = (slugs: string[]) => navigate(paths.compare(slugs));

  let body;
  if (request.slugs.length === 0) {
    body = (
      <EmptyState title="Nothing to compare yet">
        <p>
          Tick “Compare” on {COMPARE_MIN} to {COMPARE_MAX} tools in the{' '}
          <Link to={paths.home()}>directory</Link>, on a tool’s page or in AI search results.
        </p>
      </EmptyState>
    );
  } else if (state.status === 'loading') {
    body = <LoadingState label="Loading the comparison…" />;
  } else if (state.status === 'error') {
    body = <ErrorState message={state.message} onRetry={reload} />;
  } else if (loaded.length === 0) {
    body = (
      <EmptyState title="None of these tools are in the directory">
        <p>
          <Link to={paths.home()}>Browse the directory</Link> to pick tools to compare.
        </p>
      </EmptyState>
    );
  } else {
    body = <CompareTable tools={loaded} onRemove={(slug) => go(shownSlugs.filter((s) => s !== slug))} />;
  }

  const unknown = [...request.invalid, ...(state.status === 'ready' ? state.value.missing : [])];
  const overflow = [...(state.status === 'ready' ? state.value.extra : []), ...request.overflow];
  return (
    <div className="compare-page">
      <div className="compare-header">
        <h1>Compare tools</h1>
        <p className="muted">
          Pricing, platforms, categories, license and links of up to {COMPARE_MAX} tools side by side. The
          address of this page is the comparison: share it.
        </p>
      </div>
      <DroppedNotice overflow={overflow} unknown={unknown} />
      {state.status === 'ready' && loaded.length > 0 && loaded.length < COMPARE_MIN && (
        <p className="notice">Add at least one more tool to see a comparison.</p>
      )}
      {body}
      {state.status === 'ready' && loaded.length < COMPARE_MAX && (
        <CompareAddTool exclude={shownSlugs} onAdd={(slug) => go([...shownSlugs, slug])} />
      )}
    </div>
  );
}
