import { describe, expect, it } from 'vitest';
import { InvalidTemplateError, MissingRequiredVariableError, substitute } from './template.js';

const variables: Record<string, string> = { SET: 'value', EMPTY: '', TAG: '1.2', NAME: 'shop' };
const lookup = (name: string): string | undefined => variables[name];

describe('substitute', () => {
  it.each([
    ['$SET', 'value'],
    ['${SET}', 'value'],
    ['pre-${SET}-post', 'pre-value-post'],
    ['$NAME:$TAG', 'shop:1.2'],
    ['${UNSET:-default}', 'default'],
    ['${EMPTY:-default}', 'default'],
    ['${EMPTY-default}', ''],
    ['${UNSET-default}', 'default'],
    ['${SET:-default}', 'value'],
    ['${SET:+alt}', 'alt'],
    ['${EMPTY:+alt}', ''],
    ['${EMPTY+alt}', 'alt'],
    ['${UNSET+alt}', ''],
    ['${UNSET:-${SET}}', 'value'],
    ['${UNSET:-${ALSO_UNSET:-deep}}', 'deep'],
    ['$$SET', '$SET'],
    ['$${SET}', '${SET}'],
    ['costs $5', 'costs $5'],
    ['a$', 'a$'],
    ['${SET:?is required}', 'value'],
    ['${UNSET}', ''],
  ])('%s → %s', (template, expected) => {
    expect(substitute(template, lookup)).toBe(expected);
  });

  it('fails on ${V:?message} when the variable is empty or unset, naming it', () => {
    expect(() => substitute('${EMPTY:?needed}', lookup)).toThrow(MissingRequiredVariableError);
    expect(() => substitute('${UNSET:?needed}', lookup)).toThrow('required variable UNSET is missing a value: needed');
  });

  it('accepts an empty value with ${V?message} but not an unset variable', () => {
    expect(substitute('${EMPTY?needed}', lookup)).toBe('');
    expect(() => substitute('${UNSET?set it}', lookup)).toThrow('required variable UNSET is missing a value: set it');
  });

  it('reports each unset variable used without a default', () => {
    const unset: string[] = [];
    substitute('${A} $B ${C:-x} ${SET}', lookup, { onUnset: (name) => unset.push(name) });
    expect(unset).toEqual(['A', 'B']);
  });

  it.each(['${}', '${1X}', '${SET', '${A B}'])('refuses the invalid template %s', (template) => {
    expect(() => substitute(template, lookup)).toThrow(InvalidTemplateError);
  });
});
