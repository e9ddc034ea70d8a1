import { useId, useState } from 'react';
import { useApi } from '../api/api-context.js';
import { useDebouncedValue } from '../search/use-debounced-value.js';
import { useAsync } from '../tools/use-async.js';

const SUGGESTIONS = 5;

/** A search field on the compare page that lists matching tools, each with an "Add" button. */
export function CompareAddTool({
  exclude,
  onAdd,
}: {
  exclude: readonly string[];
  onAdd: (slug: string) => void;
}) {
  const { tools } = useApi();
  const [query, setQuery] = useState('');
  const debounced = useDebouncedValue(query.trim(), 250);
  const fieldId = useId();
  const [found] = useAsync(`compare-add:${debounced}`, (signal) =>
    debounced
      ? tools.listTools({ q: debounced }, { limit: SUGGESTIONS + exclude.length, signal })
      : Promise.resolve(null),
  );
  const suggestions =
    found.status === 'ready' && found.value
      ? found.value.items.filter((tool) => !exclude.includes(tool.slug)).slice(0, SUGGESTIONS)
      : [];
  return (
    <section className="compare-add" aria-labelledby={`${fieldId}-title`}>
      <h2 id={`${fieldId}-title`}>Add a tool</h2>
      <label htmlFor={fieldId} className="visually-hidden">
        Find a tool to add to the comparison
      </label>
      <input
        id={fieldId}
        type="search"
        value={query}
        maxLength={200}
        autoComplete="off"
        placeholder="Search by name, e.g. “review”"
        onChange={(event) => setQuery(event.target.value)}
      />
      <div aria-live="polite">
        {debounced && found.status === 'ready' && suggestions.length === 0 && (
          <p className="muted">No other tool matches “{debounced}”.</p>
        )}
        {suggestions.length > 0 && (
          <ul className="compare-suggestions">
            {suggestions.map((tool) => (
              <li key={tool.slug}>
                <span>
                  <strong>{tool.name}</strong> <span className="muted">{tool.tagline}</span>
                </span>
                <button type="button" className="button button-secondary" onClick={() => onAdd(tool.slug)}>
                  Add<span className="visually-hidden"> {tool.name}</span>
                </button>
              </li>
            ))}
          </ul>
        )}
      </div>
    </section>
  );
}
