import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';


type SchemaNode = Record<string, unknown>;

/** Path of the Compose JSON schema shipped by the installed `dclint` package (the base we amend). */
export function composeSchemaPath(): string {
  return join(dirname(createRequire(import.meta.url).resolve('dclint/package.json')), 'schemas', 'compose.schema.json');
}

/**
 * The Compose JSON schema exactly as compose-go v2.9.1 (Docker Compose v2.40.3) embeds it. The
 * copy shipped by `dclint` is one spec release older; the differences are few and written out in
 * {@link amendToComposeGo291}, so the schema comes from a registry package and not from a copy in
 * this repository.
 */
export function composeSchema(): SchemaNode {
  const schema = JSON.parse(readFileSync(composeSchemaPath(), 'utf8')) as SchemaNode;
  amendToComposeGo291(schema);
  // ajv knows draft-07 under its canonical id; the schema's own $schema spelling differs slightly.
  delete schema.$schema;
  return schema;
}

/**
 * What compose-go v2.9.1's schema has that dclint 3.1's copy lacks:
 * - `develop.watch[].initial_sync` (boolean);
 * - `build.provenance` and `build.sbom` (string or boolean attestations);
 * - a service's `models` entry may be null (`models: {llm: }`) as well as a mapping.
 * Each step checks the node it changes, so a newer dclint that already has the change (or moved
 * the node) fails loudly in the tests instead of producing a different schema.
 */
export function amendToComposeGo291(schema: SchemaNode): void {
  const definitions = node(schema, 'definitions');
  const watchItem = node(node(node(node(definitions, 'development'), 'properties'), 'watch'), 'items');
  const watchProperties = node(watchItem, 'properties');
  watchProperties.initial_sync ??= {
    description: 'Ensure that an initial synchronization is done before starting watch mode for sync+x triggers',
    type: 'boolean',
  };

  const service = node(node(definitions, 'service'), 'properties');
  const buildForms = list(node(service, 'build'), 'oneOf');
  const buildObject = buildForms.find((form) => form.type === 'object');
  if (!buildObject) throw new Error('compose schema: service.build has no object form');
  const buildProperties = node(buildObject, 'properties');
  buildProperties.provenance ??= { description: 'Add a provenance attestation', type: ['string', 'boolean'] };
  buildProperties.sbom ??= { description: 'Add a SBOM attestation', type: ['string', 'boolean'] };

  const modelForms = list(node(service, 'models'), 'oneOf');
  const modelMap = modelForms.find((form) => form.type === 'object');
  if (!modelMap) throw new Error('compose schema: service.models has no mapping form');
  const patterns = node(modelMap, 'patternProperties');
  for (const [pattern, entry] of Object.entries(patterns)) {
    const current = entry as SchemaNode;
    if (Array.isArray(current.oneOf)) continue;
    patterns[pattern] = { oneOf: [current, { type: 'null' }] };
  }
}

function node(parent: SchemaNode, key: string): SchemaNode {
  const value = parent[key];
  if (typeof value !== 'object' || value === null || Array.isArray(value)) throw new Error(`compose schema: missing ${key}`);
  return value as SchemaNode;
}

function list(parent: SchemaNode, key: string): SchemaNode[] {
  const value = parent[key];
  if (!Array.isArray(value)) throw new Error(`compose schema: missing ${key}`);
  return value as SchemaNode[];
}
