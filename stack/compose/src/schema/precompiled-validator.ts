import type { ValidateFunction } from './validate-schema.js';

/**
 * The Compose schema's validator compiled ahead of time. The `stack` bundle replaces this module
 * with ajv's standalone code for the schema, so the command never compiles it (nor loads ajv's
 * compiler or the schema file). Running from sources or the unbundled build there is none, and
 * the schema is compiled (and cached) on first use.
 */
export const precompiledValidator: ValidateFunction | undefined = undefined;
