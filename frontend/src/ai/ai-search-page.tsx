import { useEffect, useId, useState } from 'react';
import type { AiSearchMode, SearchIntent } from '@codiesvibe/shared/domain';
import { TOOLS_API_LIMITS } from '@codiesvibe/shared/tools-api/query';
import { useApi } from '../api/api-context.js';
import { ErrorState } from '../layout/page-states.js';
import { navigate } from '../routing/router.js';
import { paths } from '../routing/routes.js';
import { ToolCard } from '../tools/tool-card.js';
import { CATEGORY_LABELS, PLATFORM_LABELS, PRICING_LABELS } from '../tools/tool-labels.js';
import { useAiSearch } from './use-ai-search.js';

const EXAMPLES = [
  'free open source code completion for neovim',
  'an agent that reviews my pull requests on GitHub',
  'self-hosted chat assistant I can run offline',
];

const MODE_TEXT: Record<AiSearchMode, { label: string; detail: string }> = {
  ollama: { label: 'Answered by Ollama', detail: 'a local language model understood and ranked this search' },
  fallback: {
    label: 'Answered by the built-in ranker',
    detail: 'no language model is running, so keyword rules ranked this search',
  },
};

/** 420 → "420 ms", 5284.2 → "5.3 s". */
export function formatDuration(ms: number): string {
  return ms < 1000 ? `${Math.round(ms)} ms` : `${(ms / 1000).toFixed(1)} s`;
}

function IntentSummary({ intent }: { intent: SearchIntent }) {
  const parts = [
    ...intent.categories.map((c) => CATEGORY_LABELS[c]),
    ...intent.pricing.map((p) => PRICING_LABELS[p]),
    ...intent.platforms.map((p) => PLATFORM_LABELS[p]),
    ...(intent.openSource === undefined ? [] : [intent.openSource ? 'Open source' : 'Proprietary']),
  ];
  return (
    <div className="intent" data-testid="ai-intent">
      <span className="intent-title">Understood:</span>
      {parts.length === 0 && !intent.text && <span className="muted">no specific filters</span>}
      <ul className="badge-list">
        {parts.map((part) => (
          <li key={part} className="badge badge-intent">
            {part}
          </li>
        ))}
        {intent.text && <li className="badge badge-tag">“{intent.text}”</li>}
      </ul>
    </div>
  );
}

/** Natural-language search; intent, results and explanation appear as the server streams them. */
export function AiSearchPage({ search }: { search: string }) {
  const { baseUrl, createEventSource } = useApi();
  const query = new URLSearchParams(search).get('q') ?? '';
  const [draft, setDraft] = useState(query);
  const inputId = useId();
  const [ai, retry] = useAiSearch({ baseUrl, query, limit: 10, createEventSource });

  useEffect(() => setDraft(query), [query]);

  const submit = (text: string) => {
    const trimmed = text.trim().slice(0, TOOLS_API_LIMITS.queryLength);
    if (trimmed) navigate(paths.ai(trimmed));
  };

  const streaming = ai.status === 'streaming';
  return (
    <div className="ai-page">
      <section className="hero hero-ai" aria-labelledby="ai-title">
        <h1 id="ai-title">
          Ask for the tool you <span className="accent">need</span>
        </h1>
        <p className="hero-sub">
          Describe your job in plain words; the AI search picks filters and ranks tools for you.
        </p>
        <form
          className="ai-form"
          onSubmit={(event) => {
            event.preventDefault();
            submit(draft);
          }}
        >
          <label htmlFor={inputId} className="visually-hidden">
            Describe what you are looking for
          </label>
          <input
            id={inputId}
            className="ai-input"
            type="text"
            value={draft}
            maxLength={TOOLS_API_LIMITS.queryLength}
            autoComplete="off"
            placeholder="e.g. a free tool that writes unit tests in VS Code"
            onChange={(event) => setDraft(event.target.value)}
          />
          <button type="submit" className="button" disabled={!draft.trim() || streaming}>
            {streaming ? 'Searching…' : 'Ask'}
          </button>
        </form>
        {ai.status === 'idle' && (
          <div className="examples">
            <span className="muted">Try:</span>
            {EXAMPLES.map((example) => (
              <button key={example} type="button" className="chip" onClick={() => submit(example)}>
                {example}
              </button>
            ))}
          </div>
        )}
      </section>

      <div aria-live="polite" className="visually-hidden">
        {streaming
          ? 'AI search running'
          : ai.status === 'done'
            ? `${ai.results?.length ?? 0} tools recommended`
            : ''}
      </div>

      {ai.status !== 'idle' && (
        <div className="ai-results">
          <div className="ai-meta">
            {ai.mode ? (
              <span
                className={`mode-badge mode-${ai.mode}`}
                title={MODE_TEXT[ai.mode].detail}
                data-testid="ai-mode"
              >
                {MODE_TEXT[ai.mode].label}
              </span>
            ) : (
              <span className="mode-badge">Understanding your question…</span>
            )}
            {ai.tookMs !== null && <span className="muted">in {formatDuration(ai.tookMs)}</span>}
          </div>
          {ai.intent && <IntentSummary intent={ai.intent} />}
          {ai.correctedQuery && (
            <p className="results-corrected" data-testid="ai-corrected">
              Showing results for “<strong>{ai.correctedQuery}</strong>”.
            </p>
          )}

          {(ai.explanation || streaming) && (
            <section className="explanation" aria-labelledby="explanation-title">
              <h2 id="explanation-title">Why these tools</h2>
              <p data-testid="ai-explanation">
                {ai.explanation}
                {streaming && <span className="caret" aria-hidden="true" />}
              </p>
            </section>
          )}

          {ai.status === 'error' && (
            <ErrorState message={ai.error ?? 'The AI search failed.'} onRetry={retry} />
          )}

          {ai.results && (
            <section aria-labelledby="ai-results-title">
              <h2 id="ai-results-title">
                {ai.results.length === 0 ? 'No matching tools' : `Top ${ai.results.length} matches`}
              </h2>
              <ol className="tool-grid ranked">
                {ai.results.map((result, index) => (
                  <li key={result.tool.slug}>
                    <ToolCard
                      tool={result.tool}
                      extra={
                        <div className="rank-info">
                          <span className="rank">#{index + 1}</span>
                          <meter
                            min={0}
                            max={1}
                            value={Math.max(0, Math.min(1, result.score))}
                            aria-label="Match score"
                          />
                          {result.reasons.length > 0 && (
                            <p className="reasons">{result.reasons.join(' · ')}</p>
                          )}
                        </div>
                      }
                    />
                  </li>
                ))}
              </ol>
            </section>
          )}
        </div>
      )}
    </div>
  );
}
