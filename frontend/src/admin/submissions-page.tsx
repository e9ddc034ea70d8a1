import { useId, useState } from 'react';
import type { Submission, SubmissionFlags } from '@codiesvibe/shared/tools-api';
import { useApi } from '../api/api-context.js';
import { ApiError, describeError } from '../api/api-error.js';
import { EmptyState, ErrorState, LoadingState } from '../layout/page-states.js';
import { Link, navigate } from '../routing/router.js';
import { paths } from '../routing/routes.js';
import { useAsync } from '../tools/use-async.js';
import { AdminFrame } from './admin-page.js';
import { readAdminKey, useAdminKey } from './admin-key.js';
import { ToolForm } from './tool-form.js';
import { formValuesToInput, toolToFormValues } from './tool-form-values.js';
import { AdminTable } from './admin-table.js';

/** Why a submission deserves a second look, in words; empty when nothing is suspicious. */
export function flagNotes(flags: SubmissionFlags): string[] {
  const notes: string[] = [];
  if (flags.slugTaken) notes.push('A published tool already has this slug');
  if (flags.sameWebsiteTools.length > 0) notes.push(`Same website as ${flags.sameWebsiteTools.join(', ')}`);
  if (flags.samePendingSubmissions.length > 0)
    notes.push(
      `Also suggested in ${flags.samePendingSubmissions.length} other pending submission${flags.samePendingSubmissions.length > 1 ? 's' : ''}`,
    );
  return notes;
}

function FlagList({ flags }: { flags: SubmissionFlags }) {
  const notes = flagNotes(flags);
  if (notes.length === 0) return <span className="muted">—</span>;
  return (
    <ul className="flag-list">
      {notes.map((note) => (
        <li key={note} className="flag">
          <span aria-hidden="true">⚠ </span>
          {note}
        </li>
      ))}
    </ul>
  );
}

/** The moderation queue: pending suggestions, newest first, with their duplicate flags. */
export function AdminSubmissionsPage({ search = '' }: { search?: string }) {
  const { tools } = useApi();
  const [apiKey] = useAdminKey();
  const decided = new URLSearchParams(search).get('decided');
  const [list, reload] = useAsync(`submissions:${apiKey}`, (signal) =>
    apiKey
      ? tools.listSubmissions('pending', apiKey, { signal })
      : Promise.reject(
          new ApiError(401, 'CV_ERR_UNAUTHORIZED', 'Enter the admin API key above to see suggestions.'),
        ),
  );
  return (
    <AdminFrame title="Suggested tools">
      <p>
        <Link to={paths.admin()}>← All tools</Link>
      </p>
      {decided && (
        <div className="notice" role="status">
          <p>{decided}</p>
        </div>
      )}
      {list.status === 'loading' && <LoadingState label="Loading suggestions…" />}
      {list.status === 'error' && <ErrorState message={list.message} onRetry={reload} />}
      {list.status === 'ready' &&
        (list.value.items.length === 0 ? (
          <EmptyState title="No suggestions waiting" />
        ) : (
          <AdminTable
            caption={`Pending suggestions (${list.value.total})`}
            columns={['Name', 'Slug', 'Website', 'Suggested', 'Check']}
          >
            {list.value.items.map((submission) => (
              <tr key={submission.id}>
                <td>{submission.tool.name}</td>
                <td>
                  <code>{submission.tool.slug}</code>
                </td>
                <td className="cell-wrap">{submission.tool.website}</td>
                <td>{submission.submittedAt.slice(0, 10)}</td>
                <td>
                  <FlagList flags={submission.flags} />
                </td>
                <td>
                  <Link
                    to={paths.adminSubmission(submission.id)}
                    aria-label={`Review ${submission.tool.name}`}
                  >
                    Review
                  </Link>
                </td>
              </tr>
            ))}
          </AdminTable>
        ))}
    </AdminFrame>
  );
}

function RejectForm({ submission }: { submission: Submission }) {
  const { tools } = useApi();
  const [reason, setReason] = useState('');
  const [error, setError] = useState<string | null>(null);
  const [sending, setSending] = useState(false);
  const id = useId();
  return (
    <form
      className="reject-form"
      noValidate
      onSubmit={(event) => {
        event.preventDefault();
        setSending(true);
        setError(null);
        tools.rejectSubmission(submission.id, reason, readAdminKey()).then(
          () =>
            navigate(
              `${paths.adminSubmissions()}?${new URLSearchParams({ decided: `Rejected "${submission.tool.name}".` }).toString()}`,
            ),
          (failure: unknown) => {
            setSending(false);
            setError(
              failure instanceof ApiError && failure.fieldErrors.length > 0
                ? `Reason ${failure.fieldErrors[0]?.message ?? 'is invalid'}`
                : describeError(failure),
            );
          },
        );
      }}
    >
      <h2>Reject</h2>
      {error && (
        <div className="form-alert" role="alert">
          {error}
        </div>
      )}
      <div className={`field${error ? ' has-error' : ''}`}>
        <label htmlFor={id}>
          Reason{' '}
          <span className="required" aria-hidden="true">
            *
          </span>
        </label>
        <textarea
          id={id}
          rows={3}
          aria-required
          value={reason}
          onChange={(event) => setReason(event.target.value)}
        />
      </div>
      <div className="form-actions">
        <button type="submit" className="button button-secondary" disabled={sending}>
          {sending ? 'Rejecting…' : 'Reject suggestion'}
        </button>
      </div>
    </form>
  );
}

/** One suggestion: its flags, the tool form to edit and approve it, and the reject form. */
export function AdminSubmissionPage({ id }: { id: string }) {
  const { tools } = useApi();
  const [apiKey] = useAdminKey();
  const [state, reload] = useAsync(`submission:${id}:${apiKey}`, (signal) =>
    tools.getSubmission(id, apiKey, { signal }),
  );
  const title = state.status === 'ready' ? `Review ${state.value.tool.name}` : 'Review a suggestion';
  return (
    <AdminFrame title={title}>
      <p>
        <Link to={paths.adminSubmissions()}>← Suggested tools</Link>
      </p>
      {state.status === 'loading' && <LoadingState label="Loading suggestion…" />}
      {state.status === 'error' &&
        (state.error instanceof ApiError && state.error.status === 404 ? (
          <EmptyState title="Suggestion not found" />
        ) : (
          <ErrorState message={state.message} onRetry={reload} />
        ))}
      {state.status === 'ready' &&
        (state.value.status !== 'pending' ? (
          <div className="notice" role="status">
            <p>
              This suggestion was already {state.value.status}
              {state.value.decidedAt ? ` on ${state.value.decidedAt.slice(0, 10)}` : ''}.
              {state.value.rejectionReason && <> Reason: {state.value.rejectionReason}</>}
            </p>
            {state.value.toolSlug && (
              <p>
                <Link to={paths.tool(state.value.toolSlug)}>Open the published tool</Link>
              </p>
            )}
          </div>
        ) : (
          <>
            <section className="review-flags" aria-label="Checks">
              <p>Suggested on {state.value.submittedAt.slice(0, 10)}. Checks: </p>
              <FlagList flags={state.value.flags} />
            </section>
            <ToolForm
              mode="create"
              initialValues={toolToFormValues({ ...state.value.tool, createdAt: '', updatedAt: '' })}
              submitLabel="Approve and publish"
              conflictField={null}
              onSubmit={(values) => tools.approveSubmission(id, formValuesToInput(values), readAdminKey())}
              onSaved={({ tool }) => navigate(paths.tool(tool.slug))}
            />
            <RejectForm submission={state.value} />
          </>
        ))}
    </AdminFrame>
  );
}
