import { type ReactNode, useId, useState } from 'react';
import type { ToolPatch } from '@codiesvibe/shared/domain';
import { useApi } from '../api/api-context.js';
import { EmptyState, ErrorState, LoadingState } from '../layout/page-states.js';
import { Link, navigate } from '../routing/router.js';
import { paths } from '../routing/routes.js';
import { ApiError } from '../api/api-error.js';
import { useAsync } from '../tools/use-async.js';
import { useDebouncedValue } from '../search/use-debounced-value.js';
import { readAdminKey, useAdminKey } from './admin-key.js';
import { ToolForm } from './tool-form.js';
import { EMPTY_TOOL_FORM, formValuesToInput, toolToFormValues } from './tool-form-values.js';
import { AdminTable } from './admin-table.js';

/** Where the admin enters the API key; it stays in this tab's session storage only. */
function AdminKeyPanel({ apiKey, onChange }: { apiKey: string; onChange: (key: string) => void }) {
  const [draft, setDraft] = useState('');
  const id = useId();
  if (apiKey) {
    return (
      <div className="key-panel">
        <span>
          <span aria-hidden="true">🔑</span> Admin key set for this tab.
        </span>
        <button type="button" className="link-button" onClick={() => onChange('')}>
          Forget key
        </button>
      </div>
    );
  }
  return (
    <form
      className="key-panel"
      onSubmit={(event) => {
        event.preventDefault();
        onChange(draft);
      }}
    >
      <label htmlFor={id}>Admin API key</label>
      <input
        id={id}
        type="password"
        autoComplete="off"
        value={draft}
        onChange={(event) => setDraft(event.target.value)}
      />
      <button type="submit" className="button" disabled={!draft.trim()}>
        Use key
      </button>
    </form>
  );
}

export function AdminFrame({ title, children }: { title: string; children: ReactNode }) {
  const [apiKey, setApiKey] = useAdminKey();
  return (
    <div className="admin">
      <div className="admin-header">
        <h1>{title}</h1>
        <AdminKeyPanel apiKey={apiKey} onChange={setApiKey} />
      </div>
      {children}
    </div>
  );
}

/** The admin home: find a tool to edit, or add one. */
export function AdminPage() {
  const { tools } = useApi();
  const [query, setQuery] = useState('');
  const debounced = useDebouncedValue(query.trim(), 250);
  const [list, reload] = useAsync(`admin-list:${debounced}`, (signal) =>
    tools.listTools(debounced ? { q: debounced } : {}, { sort: 'name', limit: 100, signal }),
  );
  const searchId = useId();
  return (
    <AdminFrame title="Manage tools">
      <div className="admin-toolbar">
        <label htmlFor={searchId} className="visually-hidden">
          Filter tools
        </label>
        <input
          id={searchId}
          type="search"
          placeholder="Filter tools by name…"
          value={query}
          onChange={(event) => setQuery(event.target.value)}
        />
        <Link className="button button-secondary" to={paths.adminSubmissions()}>
          Suggested tools
        </Link>
        <Link className="button" to={paths.adminNew()}>
          Add tool
        </Link>
      </div>
      {list.status === 'loading' && <LoadingState label="Loading tools…" />}
      {list.status === 'error' && <ErrorState message={list.message} onRetry={reload} />}
      {list.status === 'ready' &&
        (list.value.items.length === 0 ? (
          <EmptyState title="No tools" />
        ) : (
          <AdminTable caption="Tools" columns={['Name', 'Slug', 'Updated']}>
            {list.value.items.map((tool) => (
              <tr key={tool.slug}>
                <td>
                  <Link to={paths.tool(tool.slug)}>{tool.name}</Link>
                </td>
                <td>
                  <code>{tool.slug}</code>
                </td>
                <td>{tool.updatedAt.slice(0, 10)}</td>
                <td>
                  <Link to={paths.adminEdit(tool.slug)} aria-label={`Edit ${tool.name}`}>
                    Edit
                  </Link>
                </td>
              </tr>
            ))}
          </AdminTable>
        ))}
    </AdminFrame>
  );
}

/** Adds a tool; on success opens its page. */
export function AdminNewToolPage() {
  const { tools } = useApi();
  return (
    <AdminFrame title="Add a tool">
      <ToolForm
        mode="create"
        initialValues={EMPTY_TOOL_FORM}
        onSubmit={(values) => tools.createTool(formValuesToInput(values), readAdminKey())}
        onSaved={(tool) => navigate(paths.tool(tool.slug))}
      />
    </AdminFrame>
  );
}

/** Edits a tool; on success opens its page. */
export function AdminEditToolPage({ slug }: { slug: string }) {
  const { tools } = useApi();
  const [state, reload] = useAsync(`admin-edit:${slug}`, (signal) => tools.getTool(slug, { signal }));
  return (
    <AdminFrame title={state.status === 'ready' ? `Edit ${state.value.name}` : 'Edit tool'}>
      {state.status === 'loading' && <LoadingState label="Loading tool…" />}
      {state.status === 'error' &&
        (state.error instanceof ApiError && state.error.status === 404 ? (
          <EmptyState title="Tool not found" />
        ) : (
          <ErrorState message={state.message} onRetry={reload} />
        ))}
      {state.status === 'ready' && (
        <ToolForm
          mode="edit"
          initialValues={toolToFormValues(state.value)}
          onSubmit={(values) => {
            const { slug: _slug, ...patch } = formValuesToInput(values);
            return tools.updateTool(slug, patch satisfies ToolPatch, readAdminKey());
          }}
          onSaved={(tool) => navigate(paths.tool(tool.slug))}
        />
      )}
    </AdminFrame>
  );
}
