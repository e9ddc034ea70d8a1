import type { ValidateFunction } from './validate-schema.js';

/**
 * What the `stack` bundle builds ahead of time for schema validation; the bundler replaces this
 * module. `precompiledSchema` is the Compose schema (annotations stripped) for the yes/no check,
 * so a run reads no schema file; `loadPrecompiledErrorValidator` loads ajv's standalone code for
 * the schema, a separate file only a refused compose file pays for. Running from sources or the
 * unbundled build there is neither: the schema is read from its package and ajv compiles it (and
 * caches the code) when a file is refused.
 */
export const precompiledSchema: Record<string, unknown> | undefined = undefined;
export const loadPrecompiledErrorValidator: (() => ValidateFunction) | undefined = undefined;
