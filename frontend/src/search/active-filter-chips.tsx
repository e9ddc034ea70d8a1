import { type SearchState, EMPTY_SEARCH, hasActiveFilters } from './search-state.js';
import { CATEGORY_LABELS, PLATFORM_LABELS, PRICING_LABELS } from '../tools/tool-labels.js';

interface Chip {
  key: string;
  label: string;
  remove: (state: SearchState) => SearchState;
}

/** One removable chip per active filter, in the order of the filter panel. */
export function activeFilterChips(state: SearchState): Chip[] {
  return [
    ...state.category.map((value) => ({
      key: `category:${value}`,
      label: CATEGORY_LABELS[value],
      remove: (s: SearchState) => ({ ...s, category: s.category.filter((v) => v !== value) }),
    })),
    ...state.pricing.map((value) => ({
      key: `pricing:${value}`,
      label: PRICING_LABELS[value],
      remove: (s: SearchState) => ({ ...s, pricing: s.pricing.filter((v) => v !== value) }),
    })),
    ...state.platform.map((value) => ({
      key: `platform:${value}`,
      label: PLATFORM_LABELS[value],
      remove: (s: SearchState) => ({ ...s, platform: s.platform.filter((v) => v !== value) }),
    })),
    ...(state.openSource === undefined
      ? []
      : [
          {
            key: 'openSource',
            label: state.openSource ? 'Open source only' : 'Proprietary only',
            remove: (s: SearchState) => ({ ...s, openSource: undefined }),
          },
        ]),
  ];
}

/** The active filters as chips with remove buttons, and a "Clear all". */
export function ActiveFilterChips({
  state,
  onChange,
}: {
  state: SearchState;
  onChange: (next: SearchState) => void;
}) {
  if (!hasActiveFilters(state)) return null;
  return (
    <div className="chips" aria-label="Active filters" role="group">
      {activeFilterChips(state).map((chip) => (
        <button
          key={chip.key}
          type="button"
          className="chip"
          aria-label={`Remove filter ${chip.label}`}
          onClick={() => onChange(chip.remove(state))}
        >
          {chip.label}
          <span aria-hidden="true" className="chip-x">
            ×
          </span>
        </button>
      ))}
      <button
        type="button"
        className="link-button"
        onClick={() => onChange({ ...EMPTY_SEARCH, q: state.q, sort: state.sort })}
      >
        Clear all
      </button>
    </div>
  );
}
