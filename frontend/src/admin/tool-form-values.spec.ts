import { describe, expect, it } from 'vitest';
import { fixtureTools } from '../testing/fixture-tools.js';
import {
  EMPTY_TOOL_FORM,
  formFieldOf,
  formValuesToInput,
  groupFieldErrors,
  toolToFormValues,
} from './tool-form-values.js';

describe('tool form values', () => {
  it('round-trips a tool through the form', () => {
    const { createdAt: _c, updatedAt: _u, ...input } = fixtureTools().find((tool) => tool.repository)!;
    expect(formValuesToInput(toolToFormValues({ ...input, createdAt: '', updatedAt: '' }))).toEqual(input);
  });

  it('splits tags and leaves empty optional fields out', () => {
    const input = formValuesToInput({ ...EMPTY_TOOL_FORM, tags: ' a, b ,,c ', monthlyPriceFrom: '12.5' });
    expect(input.tags).toEqual(['a', 'b', 'c']);
    expect(input.pricing).toEqual({ model: 'free', monthlyPriceFrom: 12.5 });
    expect(input).not.toHaveProperty('repository');
    expect(input).not.toHaveProperty('license');
  });

  it.each([
    ['name', 'name'],
    ['tags.2', 'tags'],
    ['pricing.monthlyPriceFrom', 'monthlyPriceFrom'],
    ['pricing.model', 'pricingModel'],
    ['/body/website', 'website'],
    ['categories[0]', 'categories'],
    ['createdAt', undefined],
  ])('maps API field %s to form field %s', (apiField, formField) => {
    expect(formFieldOf(apiField)).toBe(formField);
  });

  it('groups errors by field and keeps the rest for the form', () => {
    expect(
      groupFieldErrors([
        { field: 'tagline', message: 'Too short' },
        { field: 'tagline', message: 'Required' },
        { field: 'unknownThing', message: 'Bad' },
      ]),
    ).toEqual({ fields: { tagline: 'Too short; Required' }, form: ['unknownThing: Bad'] });
  });
});
