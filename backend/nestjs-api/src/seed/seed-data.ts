import { readFileSync } from 'node:fs';
import { toolInputSchema, type ToolInput } from '@codiesvibe/shared/domain';
import { z } from 'zod';

/**
 * Version of `tools.seed.json`. Raise it when tools are added to the file: a store records the
 * version it was seeded with and only inserts the slugs it does not have yet, so edits made
 * through the API are never overwritten and deleted tools are not resurrected on restart.
 */
export const SEED_VERSION = 1;

const seedFileSchema = z.array(toolInputSchema).min(1);

/** Reads and validates the bundled seed file (it sits beside this module in src and in dist). */
export function loadSeedTools(): ToolInput[] {
  const raw: unknown = JSON.parse(readFileSync(new URL('./tools.seed.json', import.meta.url), 'utf8'));
  return seedFileSchema.parse(raw);
}
