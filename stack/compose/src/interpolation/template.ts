/**
 * Compose's variable substitution: `$V`, `${V}`, `${V:-d}`, `${V-d}`, `${V:?e}`, `${V?e}`,
 * `${V:+a}`, `${V+a}`, nested templates in defaults, and `$$` for a literal dollar.
 */

/** Looks a variable up: the value, or undefined when it is not set (empty string is set). */
export type VariableLookup = (name: string) => string | undefined;

/** A `${VAR:?message}` whose variable is missing. */
export class MissingRequiredVariableError extends Error {
  constructor(
    readonly variable: string,
    readonly reason: string,
  ) {
    super(reason ? `required variable ${variable} is missing a value: ${reason}` : `required variable ${variable} is missing a value`);
  }
}

/** A `$` sequence that cannot be parsed, such as `${}` or `${1X}`. */
export class InvalidTemplateError extends Error {
  constructor(readonly template: string) {
    super(`Invalid template: ${JSON.stringify(template)}`);
  }
}

export interface SubstituteOptions {
  /** Called once per variable that is used without a value and without a default. */
  onUnset?: (name: string) => void;
}

const NAME_START = /[_a-zA-Z]/;
const NAME_CHAR = /[_a-zA-Z0-9]/;
const BRACED = /^[_a-zA-Z][_a-zA-Z0-9]*(?::?[-+?](.*))?$/s;
const OPERATORS = [':?', '?', ':-', '-', ':+', '+'] as const;
type Operator = (typeof OPERATORS)[number];

/** Substitutes every variable reference in `template`. */
export function substitute(template: string, lookup: VariableLookup, options: SubstituteOptions = {}): string {
  // Most values of a compose file hold no `$`: they come back as they are.
  if (!template.includes('$')) return template;
  let out = '';
  let i = 0;
  while (i < template.length) {
    if (template[i] !== '$') {
      // Text up to the next `$` in one piece.
      const dollar = template.indexOf('$', i);
      const end = dollar < 0 ? template.length : dollar;
      out += template.slice(i, end);
      i = end;
      continue;
    }
    const next = template[i + 1];
    if (next === '$') {
      out += '$';
      i += 2;
      continue;
    }
    if (next !== undefined && NAME_START.test(next)) {
      let end = i + 2;
      while (end < template.length && NAME_CHAR.test(template[end] ?? '')) end++;
      const name = template.slice(i + 1, end);
      out += plainLookup(name, lookup, options);
      i = end;
      continue;
    }
    if (next === '{') {
      const close = closingBrace(template, i);
      const body = close < 0 ? template.slice(i + 2) : template.slice(i + 2, close);
      if (close < 0 || !BRACED.test(body)) throw new InvalidTemplateError(template);
      out += substituteBraced(body, lookup, options);
      i = close + 1;
      continue;
    }
    // A `$` followed by anything else is kept as is, like Compose does.
    out += '$';
    i++;
  }
  return out;
}

/** Index of the brace closing the `${` at `start`, counting nested `${...}`; -1 when unclosed. */
function closingBrace(text: string, start: number): number {
  let depth = 0;
  for (let i = start + 1; i < text.length; i++) {
    const char = text[i];
    if (char === '}') {
      depth--;
      if (depth === 0) return i;
    }
    if (char === '{') {
      depth++;
      i++; // Compose skips the character right after an opening brace.
    }
  }
  return -1;
}

function plainLookup(name: string, lookup: VariableLookup, options: SubstituteOptions): string {
  const value = lookup(name);
  if (value === undefined) {
    options.onUnset?.(name);
    return '';
  }
  return value;
}

function substituteBraced(body: string, lookup: VariableLookup, options: SubstituteOptions): string {
  let operator: Operator | undefined;
  let at = -1;
  for (const candidate of OPERATORS) {
    const index = body.indexOf(candidate);
    if (index >= 0 && (at < 0 || index < at)) {
      at = index;
      operator = candidate;
    }
  }
  if (operator === undefined) return plainLookup(body, lookup, options);
  const name = body.slice(0, at);
  const argument = body.slice(at + operator.length);
  // compose-go substitutes the argument before it looks at the variable, used or not: a
  // required variable in a default that is not taken still fails (`${A:-${B:?}}` with A set),
  // and an unset one in it is still reported.
  const resolved = substitute(argument, lookup, options);
  const value = lookup(name);
  switch (operator) {
    case ':-':
      return value === undefined || value === '' ? resolved : value;
    case '-':
      return value === undefined ? resolved : value;
    case ':+':
      return value !== undefined && value !== '' ? resolved : (value ?? '');
    case '+':
      return value !== undefined ? resolved : '';
    case ':?':
    case '?':
      if (value === undefined || (operator === ':?' && value === '')) throw new MissingRequiredVariableError(name, resolved);
      return value;
  }
}

/**
 * Replaces the references to the variables of `values` in `template` by what they evaluate to and
 * keeps every other reference as written: interpolating the result with any lookup that agrees
 * with `values` gives what interpolating `template` gives. A file moved out of an `include` whose
 * env file set `values` keeps its meaning this way. A required variable that would be missing
 * stays as written (it fails either way), and so does a template Compose would refuse.
 */
export function bindVariables(template: string, values: ReadonlyMap<string, string>): string {
  if (!template.includes('$') || values.size === 0) return template;
  try {
    return bind(template, values, false);
  } catch (error) {
    if (error instanceof InvalidTemplateError) return template;
    throw error;
  }
}

/** `nested`: inside a `${...}` argument, where a brace in an inserted value would end it early. */
function bind(template: string, values: ReadonlyMap<string, string>, nested: boolean): string {
  let out = '';
  let i = 0;
  while (i < template.length) {
    const char = template[i];
    const next = template[i + 1];
    if (char !== '$' || next === undefined) {
      out += char;
      i++;
    } else if (next === '$') {
      out += '$$';
      i += 2;
    } else if (NAME_START.test(next)) {
      let end = i + 2;
      while (end < template.length && NAME_CHAR.test(template[end] ?? '')) end++;
      const name = template.slice(i + 1, end);
      const value = values.get(name);
      // Braced, so that a value inserted right after it cannot extend the name.
      out += value === undefined ? `\${${name}}` : literal(value, nested);
      i = end;
    } else if (next === '{') {
      const close = closingBrace(template, i);
      const body = close < 0 ? template.slice(i + 2) : template.slice(i + 2, close);
      if (close < 0 || !BRACED.test(body)) throw new InvalidTemplateError(template);
      out += bindBraced(body, values, nested) ?? template.slice(i, close + 1);
      i = close + 1;
    } else {
      out += '$';
      i++;
    }
  }
  return out;
}

/** What `${body}` becomes, or undefined to keep it as written. */
function bindBraced(body: string, values: ReadonlyMap<string, string>, nested: boolean): string | undefined {
  let operator: Operator | undefined;
  let at = -1;
  for (const candidate of OPERATORS) {
    const index = body.indexOf(candidate);
    if (index >= 0 && (at < 0 || index < at)) {
      at = index;
      operator = candidate;
    }
  }
  const name = operator === undefined ? body : body.slice(0, at);
  const argument = operator === undefined ? '' : body.slice(at + operator.length);
  const value = values.get(name);
  if (value === undefined) return operator === undefined ? undefined : `\${${name}${operator}${bind(argument, values, true)}}`;
  switch (operator) {
    case ':-':
      return value === '' ? bind(argument, values, nested) : literal(value, nested);
    case ':+':
      return value === '' ? '' : bind(argument, values, nested);
    case '+':
      return bind(argument, values, nested);
    case ':?':
      return value === '' ? undefined : literal(value, nested);
    default:
      return literal(value, nested);
  }
}

/** `value` as template text that interpolates to itself. */
function literal(value: string, nested: boolean): string {
  if (nested && /[{}]/.test(value)) throw new InvalidTemplateError(value);
  return value.replaceAll('$', '$$$$');
}
