import fc from 'fast-check';
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { compileSchemaCheck, composeSchema, strippedComposeSchema } from '../src/index.js';
import { unsupportedKeywords } from '../src/schema/schema-check.js';
import { anyValue, composeModel } from './support/compose-arbitraries.js';

// The engine's yes/no schema check (what a valid file pays for) against ajv (what explains a
// refusal, and what validated every file before): on every compose file of this repository's
// conformance cases, on random edits of those files and on random Compose-shaped models, the two
// must accept and refuse exactly the same documents. If they ever disagree, a file is accepted
// that Compose refuses (or the reverse), so this test is what lets the check replace ajv.

const require = createRequire(import.meta.url);
const { default: Ajv } = require('ajv') as { default: new (options: object) => { compile(schema: object): (data: unknown) => boolean } };
const ajv = new Ajv({ strict: false, allErrors: true, validateFormats: false }).compile(composeSchema());
const check = compileSchemaCheck(strippedComposeSchema());

function agree(document: unknown): boolean {
  const expected = ajv(document);
  if (check(document) !== expected) throw new Error(`ajv says ${String(expected)} for ${JSON.stringify(document)}`);
  return expected;
}

function yamlFiles(dir: string): string[] {
  const out: string[] = [];
  for (const name of readdirSync(dir)) {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) out.push(...yamlFiles(path));
    else if (/\.ya?ml$/.test(name)) out.push(path);
  }
  return out;
}

const repoRoot = join(import.meta.dirname, '..', '..', '..');
const documents = [join(import.meta.dirname, 'conformance', 'cases'), join(import.meta.dirname, '..', 'bench', 'modular-project'), join(repoRoot, 'docker-compose')]
  .filter((dir) => existsSync(dir))
  .flatMap(yamlFiles)
  .map((file) => {
    try {
      return parse(readFileSync(file, 'utf8'), { merge: true, maxAliasCount: 1000, logLevel: 'error' }) as unknown;
    } catch {
      return undefined; // cases of broken YAML: nothing for the schema to see
    }
  })
  .filter((document): document is Record<string, unknown> => typeof document === 'object' && document !== null);

/** Every path to a value inside `document`. */
function paths(document: unknown, prefix: Array<string | number> = []): Array<Array<string | number>> {
  const out = [prefix];
  if (Array.isArray(document)) document.forEach((value, index) => out.push(...paths(value, [...prefix, index])));
  else if (typeof document === 'object' && document !== null) for (const [key, value] of Object.entries(document)) out.push(...paths(value, [...prefix, key]));
  return out;
}

/** `document` with the value at `path` replaced (or, for `undefined`, removed). */
function edit(document: unknown, path: ReadonlyArray<string | number>, value: unknown): unknown {
  if (path.length === 0) return value;
  const head = path[0] as string | number;
  const rest = path.slice(1);
  if (Array.isArray(document)) {
    const copy: unknown[] = [...(document as unknown[])];
    if (value === undefined && rest.length === 0) copy.splice(Number(head), 1);
    else copy[Number(head)] = edit(copy[Number(head)], rest, value);
    return copy;
  }
  const copy = { ...(document as Record<string, unknown>) };
  if (value === undefined && rest.length === 0) delete copy[head];
  else copy[head] = edit(copy[head], rest, value);
  return copy;
}

const KEYS = ['image', 'build', 'x-a', 'enviroment', 'command', 'ports', 'external', 'name', 'driver', 'target', 'action', 'path', 'count', 'model', 'type'];

describe('the schema check decides like ajv', { timeout: 120_000 }, () => {
  it('knows every keyword of the schema', () => {
    expect(unsupportedKeywords(composeSchema())).toEqual([]);
    expect(unsupportedKeywords({ properties: { a: { type: 'string', if: { minLength: 1 } } } })).toEqual(['if', 'minLength']);
  });

  it('on every compose file of the conformance cases and this repository', () => {
    expect(documents.length).toBeGreaterThan(50);
    const answers = documents.map(agree);
    expect(answers).toContain(true);
    expect(answers).toContain(false); // the error cases: refusals are compared too
  });

  it('on 3,000 random edits of those files (a value replaced, removed or a key added)', () => {
    let refused = 0;
    fc.assert(
      fc.property(fc.nat(), fc.nat(), fc.oneof(anyValue.map((value) => structuredClone(value)), fc.constant(undefined)), fc.constantFrom(...KEYS), fc.boolean(), (pick, at, value, key, addKey) => {
        const document = documents[pick % documents.length];
        const all = paths(document);
        const path = all[at % all.length] ?? [];
        const target = path.reduce<unknown>((node, part) => (node as Record<string | number, unknown>)[part], document);
        const changed = addKey && typeof target === 'object' && target !== null && !Array.isArray(target) ? edit(document, [...path, key], value ?? null) : edit(document, path, value);
        if (!agree(changed)) refused++;
      }),
      { seed: 14, numRuns: 3_000 },
    );
    expect(refused).toBeGreaterThan(300);
  });

  it('on 3,000 random Compose-shaped models', () => {
    let accepted = 0;
    fc.assert(
      // fast-check builds dictionaries without a prototype; YAML gives plain objects.
      fc.property(composeModel, (document) => {
        if (agree(structuredClone(document))) accepted++;
      }),
      { seed: 15, numRuns: 3_000 },
    );
    expect(accepted).toBeGreaterThan(30);
  });

  it('on the edge values of JSON types (NaN, Infinity, -0, empty containers, nulls)', () => {
    for (const value of [Number.NaN, Infinity, -Infinity, -0, 0.5, 1e21, '', [], {}, null, true, '0', [1, 1], [{ a: 1 }, { a: 1 }], ['a', 'a']]) {
      for (const document of [
        { services: { a: { image: 'x', cpus: value } } },
        { services: { a: { image: 'x', ports: value } } },
        { services: { a: { image: 'x', deploy: { replicas: value } } } },
        { services: { a: { image: 'x', healthcheck: { retries: value } } } },
        { services: { a: { image: 'x', dns: value } } },
        { services: { a: { image: 'x', develop: { watch: [{ path: '.', action: value }] } } } },
        { services: { a: value } },
        { volumes: { v: value } },
        value,
      ]) {
        agree(document);
      }
    }
  });
});
