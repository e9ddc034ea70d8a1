import seed from '@codiesvibe/nestjs-api/seed' with { type: 'json' };
import { toolInputSchema, type Tool } from '@codiesvibe/shared/domain';

/**
 * The directory's seed data (nestjs-api) as stored tools: validated, with fixed timestamps so
 * results are reproducible.
 */
export function loadSeedTools(): Tool[] {
  return toolInputSchema
    .array()
    .parse(seed)
    .map((tool) => ({
      ...tool,
      createdAt: '2026-01-01T00:00:00.000Z',
      updatedAt: '2026-01-01T00:00:00.000Z',
    }));
}
