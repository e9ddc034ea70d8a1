import type { ReactNode } from 'react';

/** A friendly "nothing here" panel with an optional action. */
export function EmptyState({ title, children }: { title: string; children?: ReactNode }) {
  return (
    <div className="state-panel">
      <div className="state-icon" aria-hidden="true">
        ∅
      </div>
      <h2>{title}</h2>
      {children}
    </div>
  );
}

/** An error panel announced to screen readers, with a retry button when one makes sense. */
export function ErrorState({ message, onRetry }: { message: string; onRetry?: () => void }) {
  return (
    <div className="state-panel state-error" role="alert">
      <div className="state-icon" aria-hidden="true">
        !
      </div>
      <h2>That did not work</h2>
      <p>{message}</p>
      {onRetry && (
        <button type="button" className="button" onClick={onRetry}>
          Try again
        </button>
      )}
    </div>
  );
}

/** A placeholder shown while a page loads. */
export function LoadingState({ label }: { label: string }) {
  return (
    <div className="state-panel" role="status">
      <span className="spinner" aria-hidden="true" />
      <p>{label}</p>
    </div>
  );
}
