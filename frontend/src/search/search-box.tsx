import { useId } from 'react';

export interface SearchBoxProps {
  value: string;
  onChange: (value: string) => void;
  busy: boolean;
  label?: string;
  placeholder?: string;
}

/** The big search field of the home page; Escape clears it. */
export function SearchBox({ value, onChange, busy, label = 'Search tools', placeholder }: SearchBoxProps) {
  const id = useId();
  return (
    <div className="search-box" role="search">
      <label htmlFor={id} className="visually-hidden">
        {label}
      </label>
      <span className="search-icon" aria-hidden="true">
        ⌕
      </span>
      <input
        id={id}
        type="search"
        value={value}
        autoComplete="off"
        spellCheck={false}
        maxLength={200}
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
