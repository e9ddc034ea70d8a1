import { useState } from 'react';
import type { SubmissionInput } from '@codiesvibe/shared/tools-api';
import { useApi } from '../api/api-context.js';
import { ToolForm } from '../admin/tool-form.js';
import { EMPTY_TOOL_FORM, formValuesToInput } from '../admin/tool-form-values.js';
import { Link } from '../routing/router.js';
import { paths } from '../routing/routes.js';

/**
 * "Suggest a tool": the admin's tool form, for everyone. What is sent waits for an admin; nothing
 * appears in the directory before one approves it.
 */
export function SubmitPage() {
  const { tools } = useApi();
  // A new key remounts the form empty for the next suggestion.
  const [round, setRound] = useState(0);
  const [sent, setSent] = useState<string | null>(null);
  return (
    <div className="admin">
      <div className="admin-header">
        <h1>Suggest a tool</h1>
      </div>
      {sent !== null ? (
        <div className="notice" role="status">
          <p>
            Thank you! <strong>{sent}</strong> is waiting for review. An admin checks every suggestion
            before it appears in the directory.
          </p>
          <p>
            <button
              type="button"
              className="link-button"
              onClick={() => {
                setSent(null);
                setRound((n) => n + 1);
              }}
            >
              Suggest another tool
            </button>{' '}
            · <Link to={paths.home()}>Back to the directory</Link>
          </p>
        </div>
      ) : (
        <>
          <p className="page-intro">
            Know an AI developer tool we are missing? Tell us about it. Fields marked * are required; an
            admin reviews every suggestion before it is published.
          </p>
          <ToolForm
            key={round}
            mode="create"
            initialValues={EMPTY_TOOL_FORM}
            submitLabel="Send suggestion"
            honeypot
            onSubmit={async (values, { honeypot }) => {
              const input: SubmissionInput = formValuesToInput(values);
              if (honeypot) input.faxNumber = honeypot;
              await tools.submitTool(input);
              return input.name;
            }}
            onSaved={(name) => setSent(name)}
          />
        </>
      )}
    </div>
  );
}
