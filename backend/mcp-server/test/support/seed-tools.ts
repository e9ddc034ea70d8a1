import type { Tool, ToolInput } from '@codiesvibe/shared/domain';
import seed from '@codiesvibe/nestjs-api/seed' with { type: 'json' };

/** nestjs-api's seed data as it serves it: the same 79 tools, with timestamps. */
export const SEED_TOOLS: Tool[] = (seed as ToolInput[]).map((tool) => ({
  ...tool,
  createdAt: '2025-01-01T00:00:00.000Z',
  updatedAt: '2025-01-01T00:00:00.000Z',
}));
