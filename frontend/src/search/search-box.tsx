import { useEffect, useId, useRef } from 'react';
import { TOOLS_API_LIMITS } from '@codiesvibe/shared/tools-api/query';

export interface SearchBoxProps {
  value: string;
  onChange: (value: string) => void;
  busy: boolean;
  label?: string;
  placeholder?: string;
}

/** True when a key press belongs to a field the user is typing in. */
function isTypingTarget(target: EventTarget | null): boolean {
  if (!(target instanceof HTMLElement)) return false;
  return target.isContentEditable || ['INPUT', 'TEXTAREA', 'SELECT'].includes(target.tagName);
}

/** The big search field of the home page; "/" anywhere focuses it, Escape clears it. */
export function SearchBox({ value, onChange, busy, label = 'Search tools', placeholder }: SearchBoxProps) {
  const id = useId();
  const input = useRef<HTMLInputElement>(null);

  useEffect(() => {
    const focusOnSlash = (event: KeyboardEvent) => {
      if (event.key !== '/' || event.ctrlKey || event.metaKey || event.altKey || isTypingTarget(event.target))
        return;
      event.preventDefault();
      input.current?.focus();
    };
    document.addEventListener('keydown', focusOnSlash);
    return () => document.removeEventListener('keydown', focusOnSlash);
  }, []);
  return (
    <div className="search-box" role="search">
      <label htmlFor={id} className="visually-hidden">
        {label}
      </label>
      <span className="search-icon" aria-hidden="true">
        ⌕
      </span>
      <input
        ref={input}
        id={id}
        aria-keyshortcuts="/"
        type="search"
        value={value}
        autoComplete="off"
        spellCheck={false}
        maxLength={TOOLS_API_LIMITS.queryLength}
        placeholder={placeholder ?? 'Search, e.g. "code review"'}
        onChange={(event) => onChange(event.target.value)}
        onKeyDown={(event) => {
          if (event.key === 'Escape' && value) {
            event.preventDefault();
            onChange('');
          }
        }}
      />
      {busy && <span className="spinner search-spinner" aria-hidden="true" />}
      {value && (
        <button type="button" className="search-clear" aria-label="Clear search" onClick={() => onChange('')}>
          ×
        </button>
      )}
    </div>
  );
}
