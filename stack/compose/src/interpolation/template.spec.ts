import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { bindVariables, InvalidTemplateError, MissingRequiredVariableError, substitute, type VariableLookup } from './template.js';

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

describe('bindVariables', () => {
  const bound = new Map([
    ['PROM_PORT', '19090'],
    ['EMPTY_TOO', ''],
    ['PRICE', '$5'],
  ]);

  it.each([
    ['${PROM_PORT:-9090}:9090', '19090:9090'],
    ['$PROM_PORT', '19090'],
    ['$OTHER$PROM_PORT', '${OTHER}19090'],
    ['${OTHER:-9090}', '${OTHER:-9090}'],
    ['${OTHER:-${PROM_PORT}}', '${OTHER:-19090}'],
    ['${EMPTY_TOO:-fallback-${OTHER}}', 'fallback-${OTHER}'],
    ['${EMPTY_TOO:?needed}', '${EMPTY_TOO:?needed}'],
    ['costs ${PRICE}', 'costs $$5'],
    ['$$PROM_PORT', '$$PROM_PORT'],
    ['${PROM_PORT+--debug}', '--debug'],
  ])('%s → %s', (template, expected) => {
    expect(bindVariables(template, bound)).toBe(expected);
  });

  it('interpolates to what the template gives with the bound values, for any other variables', () => {
    const names = ['A', 'B', 'C'];
    const piece = fc.oneof(
      fc.constantFrom('$A', '$B', '$C', '$$', 'x', ':', '}', '{', '-', '$'),
      fc.tuple(fc.constantFrom(...names), fc.constantFrom('', ':-', '-', ':+', '+', ':?', '?'), fc.constantFrom('', 'd', '$B', '${C:-z}', '$$')).map(
        ([name, operator, argument]) => `\${${name}${operator}${operator === '' ? '' : argument}}`,
      ),
    );
    const value = fc.constantFrom('', 'v', '$', 'a}b', '${A}');
    const outcome = (run: () => string): string => {
      try {
        return `ok:${run()}`;
      } catch (error) {
        return `error:${(error as Error).constructor.name}`;
      }
    };
    fc.assert(
      fc.property(fc.array(piece, { maxLength: 6 }), fc.dictionary(fc.constantFrom(...names), value), fc.dictionary(fc.constantFrom(...names), value), (pieces, boundValues, others) => {
        const template = pieces.join('');
        const values = new Map(Object.entries(boundValues));
        const lookup: VariableLookup = (name) => values.get(name) ?? others[name];
        expect(outcome(() => substitute(bindVariables(template, values), lookup))).toBe(outcome(() => substitute(template, lookup)));
      }),
      { numRuns: 3000 },
    );
  });
});
