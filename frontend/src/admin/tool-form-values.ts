import type { PricingModel, Tool, ToolCategory, ToolInput, ToolPlatform } from '@codiesvibe/shared/domain';
import type { FieldError } from '../api/api-error.js';

/** The admin form as the user edits it: text fields are strings until submit. */
export interface ToolFormValues {
  slug: string;
  name: string;
  tagline: string;
  description: string;
  website: string;
  repository: string;
  categories: ToolCategory[];
  tags: string;
  pricingModel: PricingModel;
  monthlyPriceFrom: string;
  platforms: ToolPlatform[];
  openSource: boolean;
  license: string;
}

export type ToolFormField = keyof ToolFormValues;

export const EMPTY_TOOL_FORM: ToolFormValues = {
  slug: '',
  name: '',
  tagline: '',
  description: '',
  website: '',
  repository: '',
  categories: [],
  tags: '',
  pricingModel: 'free',
  monthlyPriceFrom: '',
  platforms: [],
  openSource: false,
  license: '',
};

/** Form values of an existing tool. */
export function toolToFormValues(tool: Tool): ToolFormValues {
  return {
    slug: tool.slug,
    name: tool.name,
    tagline: tool.tagline,
    description: tool.description,
    website: tool.website,
    repository: tool.repository ?? '',
    categories: [...tool.categories],
    tags: tool.tags.join(', '),
    pricingModel: tool.pricing.model,
    monthlyPriceFrom:
      tool.pricing.monthlyPriceFrom === undefined ? '' : String(tool.pricing.monthlyPriceFrom),
    platforms: [...tool.platforms],
    openSource: tool.openSource,
    license: tool.license ?? '',
  };
}

/**
 * The body to send. Validation is the API's job (its messages are shown next to the fields);
 * this only turns text into the contract's shapes and leaves empty optional fields out.
 */
export function formValuesToInput(values: ToolFormValues): ToolInput {
  const price = values.monthlyPriceFrom.trim();
  const input: ToolInput = {
    slug: values.slug.trim(),
    name: values.name,
    tagline: values.tagline,
    description: values.description,
    website: values.website.trim(),
    categories: values.categories,
    tags: values.tags
      .split(',')
      .map((tag) => tag.trim())
      .filter(Boolean),
    pricing: { model: values.pricingModel },
    platforms: values.platforms,
    openSource: values.openSource,
  };
  if (values.repository.trim()) input.repository = values.repository.trim();
  if (values.license.trim()) input.license = values.license.trim();
  // A non-numeric price is sent as-is so the API reports it like any other invalid field.
  if (price)
    input.pricing.monthlyPriceFrom = Number.isFinite(Number(price))
      ? Number(price)
      : (price as unknown as number);
  return input;
}

const FORM_FIELDS = new Set<string>(Object.keys(EMPTY_TOOL_FORM));

/**
 * Maps an API field path (`name`, `pricing.monthlyPriceFrom`, `tags.2`, `/body/website`) to the
 * form field that shows it; undefined when no field matches.
 */
export function formFieldOf(apiField: string): ToolFormField | undefined {
  const segments = apiField
    .split(/[./[\]]+/)
    .filter(Boolean)
    .filter((segment) => segment !== 'body');
  const [first, second] = segments;
  if (first === 'pricing') return second === 'monthlyPriceFrom' ? 'monthlyPriceFrom' : 'pricingModel';
  return first !== undefined && FORM_FIELDS.has(first) ? (first as ToolFormField) : undefined;
}

/** Groups API field errors by form field; the ones no field can show go to `form`. */
export function groupFieldErrors(errors: FieldError[]): {
  fields: Partial<Record<ToolFormField, string>>;
  form: string[];
} {
  const fields: Partial<Record<ToolFormField, string>> = {};
  const form: string[] = [];
  for (const error of errors) {
    const field = formFieldOf(error.field);
    if (!field) form.push(error.field ? `${error.field}: ${error.message}` : error.message);
    else fields[field] = fields[field] ? `${fields[field]}; ${error.message}` : error.message;
  }
  return { fields, form };
}
