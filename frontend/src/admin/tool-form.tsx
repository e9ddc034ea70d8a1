import { type ChangeEvent, type ReactNode, useId, useLayoutEffect, useRef, useState } from 'react';
import type { Tool } from '@codiesvibe/shared/domain';
import { ApiError, describeError } from '../api/api-error.js';
import {
  CATEGORIES,
  CATEGORY_LABELS,
  PLATFORMS,
  PLATFORM_LABELS,
  PRICING_LABELS,
  PRICING_MODELS,
} from '../tools/tool-labels.js';
import { toggleValue } from '../search/search-state.js';
import { type ToolFormField, type ToolFormValues, groupFieldErrors } from './tool-form-values.js';

export interface ToolFormProps<T = Tool> {
  /** `create` asks for the slug; `edit` leaves it as it is. */
  mode: 'create' | 'edit';
  initialValues: ToolFormValues;
  /**
   * Sends the values; an ApiError with field errors is shown next to the fields. `honeypot` is
   * what the hidden field holds (empty unless a bot filled it).
   */
  onSubmit: (values: ToolFormValues, extras: { honeypot: string }) => Promise<T>;
  onSaved: (result: T) => void;
  /** The submit button's words; "Add tool" or "Save changes" unless told. */
  submitLabel?: string;
  /** Adds the hidden field bots fill in and people never see (the public form). */
  honeypot?: boolean;
  /**
   * The field a bare 409 (conflict without field errors) belongs to: the slug when creating a
   * tool; null where a conflict means something else (a submission another admin decided).
   */
  conflictField?: ToolFormField | null;
  /** Shown beside the submit button (another action on the same record). */
  secondaryAction?: ReactNode;
}

interface FieldProps {
  name: ToolFormField;
  label: string;
  required?: boolean;
  hint?: string;
  error: string | undefined;
  children: (props: {
    id: string;
    'aria-invalid': boolean;
    'aria-describedby': string | undefined;
    'aria-required': boolean;
  }) => ReactNode;
}

/** Label, control, hint and the API's error for one field, wired together for screen readers. */
function Field({ name, label, required = false, hint, error, children }: FieldProps) {
  const id = `${useId()}-${name}`;
  const described =
    [hint ? `${id}-hint` : '', error ? `${id}-error` : ''].filter(Boolean).join(' ') || undefined;
  return (
    <div className={`field${error ? ' has-error' : ''}`}>
      <label htmlFor={id}>
        {label}
        {required && (
          <span className="required" aria-hidden="true">
            {' '}
            *
          </span>
        )}
      </label>
      {children({
        id,
        'aria-invalid': Boolean(error),
        'aria-describedby': described,
        'aria-required': required,
      })}
      {hint && (
        <p id={`${id}-hint`} className="field-hint">
          {hint}
        </p>
      )}
      {error && (
        <p id={`${id}-error`} className="field-error" data-field-error={name}>
          {error}
        </p>
      )}
    </div>
  );
}

interface ChoiceGroupProps<T extends string> {
  name: ToolFormField;
  legend: string;
  values: readonly T[];
  labels: Record<T, string>;
  selected: readonly T[];
  error: string | undefined;
  onToggle: (value: T) => void;
}

function ChoiceGroup<T extends string>({
  name,
  legend,
  values,
  labels,
  selected,
  error,
  onToggle,
}: ChoiceGroupProps<T>) {
  const errorId = `${useId()}-${name}-error`;
  return (
    <fieldset
      className={`field choice-group${error ? ' has-error' : ''}`}
      aria-describedby={error ? errorId : undefined}
    >
      <legend>
        {legend}
        <span className="required" aria-hidden="true">
          {' '}
          *
        </span>
      </legend>
      <div className="choice-grid">
        {values.map((value) => (
          <label key={value} className="choice">
            <input
              type="checkbox"
              name={name}
              checked={selected.includes(value)}
              onChange={() => onToggle(value)}
            />
            {labels[value]}
          </label>
        ))}
      </div>
      {error && (
        <p id={errorId} className="field-error" data-field-error={name}>
          {error}
        </p>
      )}
    </fieldset>
  );
}

/**
 * The form of a tool, for admins adding or editing one, visitors suggesting one and admins
 * reviewing a suggestion: the same fields, and the same rules, because the API checks them all with
 * the one shared contract. It validates nothing itself: the API's answer is the truth.
 */
export function ToolForm<T = Tool>({
  mode,
  initialValues,
  onSubmit,
  onSaved,
  submitLabel,
  honeypot = false,
  conflictField = 'slug',
  secondaryAction,
}: ToolFormProps<T>) {
  const [values, setValues] = useState(initialValues);
  const [trap, setTrap] = useState('');
  const trapId = useId();
  const [fieldErrors, setFieldErrors] = useState<Partial<Record<ToolFormField, string>>>({});
  const [formError, setFormError] = useState<string | null>(null);
  const [saving, setSaving] = useState(false);
  const [errorRound, setErrorRound] = useState(0);
  const formRef = useRef<HTMLFormElement>(null);

  // After a rejected save, move focus to the first field the API complained about (or the alert),
  // so keyboard and screen-reader users land on the problem instead of the submit button. A layout
  // effect, so focus moves in the same commit that marks the field invalid: nobody (user or test)
  // ever sees the error shown while focus still sits on the submit button.
  useLayoutEffect(() => {
    if (errorRound === 0) return;
    const form = formRef.current;
    if (!form) return;
    const target =
      form.querySelector<HTMLElement>('[aria-invalid="true"]') ??
      form.querySelector<HTMLElement>('fieldset.has-error input') ??
      form.querySelector<HTMLElement>('.form-alert');
    target?.focus();
    target?.scrollIntoView?.({ block: 'center' });
  }, [errorRound]);

  const set = <K extends ToolFormField>(field: K, value: ToolFormValues[K]) => {
    setValues((previous) => ({ ...previous, [field]: value }));
  };

  const submit = async () => {
    setSaving(true);
    setFormError(null);
    try {
      const result = await onSubmit(values, { honeypot: trap });
      setFieldErrors({});
      onSaved(result);
    } catch (error) {
      if (error instanceof ApiError && error.fieldErrors.length > 0) {
        const grouped = groupFieldErrors(error.fieldErrors);
        setFieldErrors(grouped.fields);
        setFormError([error.message, ...grouped.form].join(' '));
      } else if (error instanceof ApiError && error.status === 409 && conflictField) {
        setFieldErrors({ [conflictField]: error.message });
        setFormError(error.message);
      } else {
        setFieldErrors({});
        setFormError(
          error instanceof ApiError && error.status === 401
            ? 'The admin API key was rejected. Check it above.'
            : describeError(error),
        );
      }
      setErrorRound((round) => round + 1);
    } finally {
      setSaving(false);
    }
  };

  const text = (
    field: 'name' | 'tagline' | 'website' | 'repository' | 'license' | 'slug' | 'tags' | 'monthlyPriceFrom',
  ) => ({
    value: values[field],
    onChange: (event: ChangeEvent<HTMLInputElement>) => set(field, event.target.value),
  });

  return (
    <form
      ref={formRef}
      className="tool-form"
      noValidate
      onSubmit={(event) => {
        event.preventDefault();
        void submit();
      }}
    >
      {formError && (
        <div className="form-alert" role="alert" tabIndex={-1}>
          {formError}
        </div>
      )}
      {mode === 'create' && (
        <Field
          name="slug"
          label="Slug"
          required
          hint="Lowercase words joined by dashes; it becomes the page address."
          error={fieldErrors.slug}
        >
          {(props) => <input {...props} {...text('slug')} autoComplete="off" />}
        </Field>
      )}
      <div className="field-row">
        <Field name="name" label="Name" required error={fieldErrors.name}>
          {(props) => <input {...props} {...text('name')} />}
        </Field>
        <Field name="website" label="Website" required error={fieldErrors.website}>
          {(props) => (
            <input {...props} {...text('website')} type="url" inputMode="url" placeholder="https://" />
          )}
        </Field>
      </div>
      <Field
        name="tagline"
        label="Tagline"
        required
        hint="One sentence, up to 200 characters."
        error={fieldErrors.tagline}
      >
        {(props) => <input {...props} {...text('tagline')} />}
      </Field>
      <Field name="description" label="Description" required error={fieldErrors.description}>
        {(props) => (
          <textarea
            {...props}
            rows={5}
            value={values.description}
            onChange={(event) => set('description', event.target.value)}
          />
        )}
      </Field>
      <ChoiceGroup
        name="categories"
        legend="Categories"
        values={CATEGORIES}
        labels={CATEGORY_LABELS}
        selected={values.categories}
        error={fieldErrors.categories}
        onToggle={(value) => set('categories', toggleValue(values.categories, value))}
      />
      <ChoiceGroup
        name="platforms"
        legend="Platforms"
        values={PLATFORMS}
        labels={PLATFORM_LABELS}
        selected={values.platforms}
        error={fieldErrors.platforms}
        onToggle={(value) => set('platforms', toggleValue(values.platforms, value))}
      />
      <div className="field-row">
        <Field name="pricingModel" label="Pricing" required error={fieldErrors.pricingModel}>
          {(props) => (
            <select
              {...props}
              value={values.pricingModel}
              onChange={(event) => set('pricingModel', event.target.value as ToolFormValues['pricingModel'])}
            >
              {PRICING_MODELS.map((model) => (
                <option key={model} value={model}>
                  {PRICING_LABELS[model]}
                </option>
              ))}
            </select>
          )}
        </Field>
        <Field name="monthlyPriceFrom" label="From (USD / month)" error={fieldErrors.monthlyPriceFrom}>
          {(props) => <input {...props} {...text('monthlyPriceFrom')} inputMode="decimal" />}
        </Field>
      </div>
      <div className="field-row">
        <Field name="repository" label="Repository" error={fieldErrors.repository}>
          {(props) => (
            <input {...props} {...text('repository')} type="url" inputMode="url" placeholder="https://" />
          )}
        </Field>
        <Field name="license" label="License" error={fieldErrors.license}>
          {(props) => <input {...props} {...text('license')} placeholder="e.g. Apache-2.0" />}
        </Field>
      </div>
      <Field
        name="tags"
        label="Tags"
        hint="Comma-separated, e.g. refactoring, python"
        error={fieldErrors.tags}
      >
        {(props) => <input {...props} {...text('tags')} />}
      </Field>
      <label className="choice choice-inline">
        <input
          type="checkbox"
          checked={values.openSource}
          onChange={(event) => set('openSource', event.target.checked)}
        />
        Open source
      </label>
      {honeypot && (
        // Off-screen and hidden from assistive technology; out of the tab order too.
        <div className="honeypot" aria-hidden="true">
          <label htmlFor={trapId}>Leave this field empty</label>
          <input
            id={trapId}
            name="faxNumber"
            tabIndex={-1}
            autoComplete="off"
            value={trap}
            onChange={(event) => setTrap(event.target.value)}
          />
        </div>
      )}
      <div className="form-actions">
        <button type="submit" className="button" disabled={saving}>
          {saving ? 'Saving…' : (submitLabel ?? (mode === 'create' ? 'Add tool' : 'Save changes'))}
        </button>
        {secondaryAction}
      </div>
    </form>
  );
}
