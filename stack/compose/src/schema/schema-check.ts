/**
 * A yes/no validator for the Compose JSON schema (draft-07), built from the schema at run time, a
 * part at a time as the data reaches it. It decides exactly what ajv (with the options `validate-schema` gives it)
 * decides, for the keywords the Compose schema uses; it does not explain a refusal. Loading and
 * running ajv's generated code for the schema (400 KB) costs a `stack config` process several
 * times what the whole resolve does, so the common case (a valid file) takes this path, and only a
 * refused file asks ajv for its errors. A differential test holds the two to the same answers.
 *
 * ajv's semantics kept here (`strict: false`, so `strictNumbers` is off): `number` is any JS
 * number (NaN and Infinity too), `integer` one with no fraction (Infinity counts), `object` a
 * non-null non-array object; `properties` and `required` look a key up and treat `undefined` as
 * absent; `additionalProperties` and `patternProperties` walk the keys with `for...in`; patterns
 * are unicode regular expressions; `uniqueItems` and `enum` compare deeply; `format` is ignored.
 */
import { YamlTimestamp } from '../yaml/yaml-timestamp.js';

export type SchemaCheck = (data: unknown) => boolean;

type SchemaNode = Record<string, unknown>;

const KNOWN = new Set([
  // keywords checked below
  'type', 'properties', 'patternProperties', 'additionalProperties', 'required', 'items', 'uniqueItems',
  'enum', 'const', 'pattern', 'minimum', 'maximum', 'minItems', 'maxItems', 'minProperties', 'maxProperties',
  'oneOf', 'anyOf', 'allOf', 'not', '$ref',
  // annotations, and keywords ajv ignores with these options
  '$id', '$schema', '$comment', 'title', 'description', 'default', 'examples', 'deprecated', 'definitions', 'format',
]);

/** Builds the check for a whole schema (its `#/definitions/...` references resolved lazily). */
export function compileSchemaCheck(root: SchemaNode): SchemaCheck {
  const byRef = new Map<string, SchemaCheck>();
  const resolveRef = (ref: string): SchemaCheck => {
    const known = byRef.get(ref);
    if (known) return known;
    if (!ref.startsWith('#')) throw new Error(`compose schema: unsupported $ref ${ref}`);
    let target: unknown = root;
    for (const part of ref.slice(1).split('/').filter(Boolean)) {
      const key = decodeURIComponent(part).replace(/~1/g, '/').replace(/~0/g, '~');
      target = (target as SchemaNode | undefined)?.[key];
    }
    if (target === undefined) throw new Error(`compose schema: unresolved $ref ${ref}`);
    // Cycles (a definition referring to itself) go through this indirection.
    let compiled: SchemaCheck | undefined;
    const check: SchemaCheck = (data) => (compiled ??= compileNode(target, resolveRef))(data);
    byRef.set(ref, check);
    return check;
  };
  return compileNode(root, resolveRef);
}

/**
 * The keywords of `schema` this check does not know (sub-schemas compile lazily, so a keyword a
 * newer schema adds would otherwise only fail when a file reaches it). Empty for compose-go's.
 */
export function unsupportedKeywords(schema: unknown): string[] {
  const found = new Set<string>();
  const walk = (node: unknown, names: boolean): void => {
    if (Array.isArray(node)) node.forEach((item) => walk(item, false));
    else if (isObject(node)) {
      for (const [key, value] of Object.entries(node)) {
        if (names) walk(value, false);
        else if (key === 'enum' || key === 'const' || key === 'required' || key === 'default' || key === 'examples') continue;
        else {
          if (!KNOWN.has(key)) found.add(key);
          walk(value, key === 'properties' || key === 'patternProperties' || key === 'definitions');
        }
      }
    }
  };
  walk(schema, false);
  return [...found].sort();
}

const isObject = (data: unknown): data is Record<string, unknown> => typeof data === 'object' && data !== null && !Array.isArray(data);

function typeMatches(type: string, data: unknown): boolean {
  switch (type) {
    case 'null':
      return data === null;
    case 'array':
      return Array.isArray(data);
    case 'object':
      return isObject(data);
    case 'integer':
      return typeof data === 'number' && !(data % 1) && !Number.isNaN(data);
    case 'number':
      return typeof data === 'number';
    default:
      return typeof data === type;
  }
}

/** fast-deep-equal's rules (what ajv compares `uniqueItems` and `enum` with). */
function deepEqual(a: unknown, b: unknown): boolean {
  if (a === b) return true;
  if (a && b && typeof a === 'object' && typeof b === 'object') {
    if (a.constructor !== b.constructor) return false;
    if (Array.isArray(a)) {
      const other = b as unknown[];
      if (a.length !== other.length) return false;
      for (let i = 0; i < a.length; i++) if (!deepEqual(a[i], other[i])) return false;
      return true;
    }
    const left = a as Record<string, unknown>;
    const right = b as Record<string, unknown>;
    const keys = Object.keys(left);
    if (keys.length !== Object.keys(right).length) return false;
    for (const key of keys) if (!Object.prototype.hasOwnProperty.call(right, key) || !deepEqual(left[key], right[key])) return false;
    return true;
  }
  return a !== a && b !== b;
}

function compileNode(node: unknown, resolveRef: (ref: string) => SchemaCheck): SchemaCheck {
  if (node === true || (isObject(node) && Object.keys(node).length === 0)) return () => true;
  if (node === false) return () => false;
  if (!isObject(node)) throw new Error('compose schema: a schema node is not an object');
  for (const key of Object.keys(node)) if (!KNOWN.has(key)) throw new Error(`compose schema: keyword ${key} is not supported`);
  const checks: SchemaCheck[] = [];
  // Sub-schemas compile on first use: a run compiles only the parts of the schema its files reach.
  const sub = (schema: unknown): SchemaCheck => {
    let compiled: SchemaCheck | undefined;
    return (data) => (compiled ??= compileNode(schema, resolveRef))(data);
  };

  if (typeof node.$ref === 'string') checks.push(resolveRef(node.$ref));
  if (node.type !== undefined) {
    const types = (Array.isArray(node.type) ? node.type : [node.type]) as string[];
    checks.push(types.length === 1 ? (data) => typeMatches(types[0] as string, data) : (data) => types.some((type) => typeMatches(type, data)));
  }
  if (Array.isArray(node.enum)) {
    const values = node.enum as unknown[];
    checks.push((data) => values.some((value) => deepEqual(value, data)));
  }
  if ('const' in node) {
    const value = node.const;
    checks.push((data) => deepEqual(value, data));
  }

  // Keywords of one JSON type apply only to values of that type.
  const strings: SchemaCheck[] = [];
  if (typeof node.pattern === 'string') {
    const pattern = new RegExp(node.pattern, 'u');
    strings.push((data) => pattern.test(data as string));
  }
  if (strings.length > 0) checks.push((data) => typeof data !== 'string' || strings.every((check) => check(data)));

  const numbers: SchemaCheck[] = [];
  if (typeof node.minimum === 'number') {
    const limit = node.minimum;
    numbers.push((data) => !((data as number) < limit));
  }
  if (typeof node.maximum === 'number') {
    const limit = node.maximum;
    numbers.push((data) => !((data as number) > limit));
  }
  if (numbers.length > 0) checks.push((data) => typeof data !== 'number' || numbers.every((check) => check(data)));

  const arrays: SchemaCheck[] = [];
  if (typeof node.minItems === 'number') {
    const limit = node.minItems;
    arrays.push((data) => (data as unknown[]).length >= limit);
  }
  if (typeof node.maxItems === 'number') {
    const limit = node.maxItems;
    arrays.push((data) => (data as unknown[]).length <= limit);
  }
  if (Array.isArray(node.items)) {
    const positional = node.items.map(sub);
    arrays.push((data) => positional.every((check, index) => index >= (data as unknown[]).length || check((data as unknown[])[index])));
  } else if (node.items !== undefined) {
    const item = sub(node.items);
    arrays.push((data) => (data as unknown[]).every((value) => item(value)));
  }
  if (node.uniqueItems === true) {
    arrays.push((data) => {
      const list = data as unknown[];
      for (let i = 1; i < list.length; i++) for (let j = 0; j < i; j++) if (deepEqual(list[i], list[j])) return false;
      return true;
    });
  }
  if (arrays.length > 0) checks.push((data) => !Array.isArray(data) || arrays.every((check) => check(data)));

  const objects: SchemaCheck[] = [];
  if (Array.isArray(node.required)) {
    const required = node.required as string[];
    objects.push((data) => required.every((key) => (data as Record<string, unknown>)[key] !== undefined));
  }
  if (typeof node.minProperties === 'number') {
    const limit = node.minProperties;
    objects.push((data) => Object.keys(data as object).length >= limit);
  }
  if (typeof node.maxProperties === 'number') {
    const limit = node.maxProperties;
    objects.push((data) => Object.keys(data as object).length <= limit);
  }
  const properties = isObject(node.properties) ? Object.entries(node.properties).map(([key, schema]) => [key, sub(schema)] as const) : [];
  const propertyNames = new Set(properties.map(([key]) => key));
  if (properties.length > 0) {
    objects.push((data) => {
      const object = data as Record<string, unknown>;
      for (const [key, check] of properties) {
        const value = object[key];
        if (value !== undefined && !check(value)) return false;
      }
      return true;
    });
  }
  const patterns = isObject(node.patternProperties)
    ? Object.entries(node.patternProperties).map(([pattern, schema]) => [new RegExp(pattern, 'u'), sub(schema)] as const)
    : [];
  if (patterns.length > 0) {
    objects.push((data) => {
      const object = data as Record<string, unknown>;
      for (const [pattern, check] of patterns) {
        for (const key in object) if (pattern.test(key) && !check(object[key])) return false;
      }
      return true;
    });
  }
  if (node.additionalProperties !== undefined && node.additionalProperties !== true) {
    const additional = sub(node.additionalProperties);
    objects.push((data) => {
      const object = data as Record<string, unknown>;
      for (const key in object) {
        if (propertyNames.has(key) || patterns.some(([pattern]) => pattern.test(key))) continue;
        if (!additional(object[key])) return false;
      }
      return true;
    });
  }
  if (objects.length > 0) checks.push((data) => !isObject(data) || objects.every((check) => check(data)));

  if (Array.isArray(node.allOf)) {
    const all = node.allOf.map(sub);
    checks.push((data) => all.every((check) => check(data)));
  }
  if (Array.isArray(node.anyOf)) {
    const any = node.anyOf.map(sub);
    checks.push((data) => any.some((check) => check(data)));
  }
  if (Array.isArray(node.oneOf)) {
    const one = node.oneOf.map(sub);
    checks.push((data) => {
      let passing = 0;
      for (const check of one) if (check(data) && ++passing > 1) return false;
      return passing === 1;
    });
  }
  if (node.not !== undefined) {
    const not = sub(node.not);
    checks.push((data) => !not(data));
  }

  // Go's validator types every value a schema with keywords meets, and has no JSON type for a
  // time.Time (a YAML timestamp): it refuses it there, whatever the keywords say.
  return (data) => {
    if (data instanceof YamlTimestamp) {
      rejectedTimestamp ??= data;
      return false;
    }
    for (const check of checks) if (!check(data)) return false;
    return true;
  };
}

let rejectedTimestamp: YamlTimestamp | undefined;

/**
 * The first YAML timestamp a check refused since the last call (then forgotten): Compose reports
 * it as `invalid jsonType time.Time` whatever else the file has.
 */
export function takeRejectedTimestamp(): YamlTimestamp | undefined {
  const found = rejectedTimestamp;
  rejectedTimestamp = undefined;
  return found;
}
