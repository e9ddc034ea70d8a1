import type { FacetCount, ToolFacets } from '@codiesvibe/shared/domain';
import type { SearchState } from './search-state.js';
import { toggleValue } from './search-state.js';
import {
  CATEGORIES,
  CATEGORY_LABELS,
  PLATFORMS,
  PLATFORM_LABELS,
  PRICING_LABELS,
  PRICING_MODELS,
} from '../tools/tool-labels.js';

export interface FilterPanelProps {
  state: SearchState;
  facets: ToolFacets | null;
  onChange: (next: SearchState) => void;
}

function countOf<T extends string>(counts: FacetCount<T>[] | undefined, value: T): number | undefined {
  if (!counts) return undefined;
  return counts.find((entry) => entry.value === value)?.count ?? 0;
}

interface CheckboxGroupProps<T extends string> {
  legend: string;
  name: string;
  values: readonly T[];
  labels: Record<T, string>;
  selected: readonly T[];
  counts: FacetCount<T>[] | undefined;
  onToggle: (value: T) => void;
}

function CheckboxGroup<T extends string>({
  legend,
  name,
  values,
  labels,
  selected,
  counts,
  onToggle,
}: CheckboxGroupProps<T>) {
  return (
    <fieldset className="filter-group">
      <legend>{legend}</legend>
      {values.map((value) => {
        const count = countOf(counts, value);
        const checked = selected.includes(value);
        return (
          <label key={value} className={`filter-option${count === 0 && !checked ? ' is-empty' : ''}`}>
            <input
              type="checkbox"
              name={name}
              value={value}
              checked={checked}
              onChange={() => onToggle(value)}
            />
            <span className="filter-label">{labels[value]}</span>
            {count !== undefined && (
              <span
                className="filter-count"
                aria-label={`${count} tools`}
                data-testid={`count-${name}-${value}`}
              >
                {count}
              </span>
            )}
          </label>
        );
      })}
    </fieldset>
  );
}

const OPEN_SOURCE_OPTIONS: { value: 'any' | 'true' | 'false'; label: string }[] = [
  { value: 'any', label: 'Any license' },
  { value: 'true', label: 'Open source only' },
  { value: 'false', label: 'Proprietary only' },
];

/** Category, pricing, platform and license filters, each option with its count for the current search. */
export function FilterPanel({ state, facets, onChange }: FilterPanelProps) {
  const openSource = state.openSource === undefined ? 'any' : String(state.openSource);
  return (
    <div className="filter-panel">
      <CheckboxGroup
        legend="Category"
        name="category"
        values={CATEGORIES}
        labels={CATEGORY_LABELS}
        selected={state.category}
        counts={facets?.categories}
        onToggle={(value) => onChange({ ...state, category: toggleValue(state.category, value) })}
      />
      <CheckboxGroup
        legend="Pricing"
        name="pricing"
        values={PRICING_MODELS}
        labels={PRICING_LABELS}
        selected={state.pricing}
        counts={facets?.pricing}
        onToggle={(value) => onChange({ ...state, pricing: toggleValue(state.pricing, value) })}
      />
      <CheckboxGroup
        legend="Platform"
        name="platform"
        values={PLATFORMS}
        labels={PLATFORM_LABELS}
        selected={state.platform}
        counts={facets?.platforms}
        onToggle={(value) => onChange({ ...state, platform: toggleValue(state.platform, value) })}
      />
      <fieldset className="filter-group">
        <legend>License</legend>
        {OPEN_SOURCE_OPTIONS.map((option) => (
          <label key={option.value} className="filter-option">
            <input
              type="radio"
              name="openSource"
              value={option.value}
              checked={openSource === option.value}
              onChange={() =>
                onChange({
                  ...state,
                  openSource: option.value === 'any' ? undefined : option.value === 'true',
                })
              }
            />
            <span className="filter-label">{option.label}</span>
          </label>
        ))}
      </fieldset>
    </div>
  );
}
