import type { Tool } from '@codiesvibe/shared/domain';

/** A valid tool with sensible defaults; tests override only what they are about. */
export function makeTool(overrides: Partial<Tool> & Pick<Tool, 'slug'>): Tool {
  return {
    name: overrides.slug,
    tagline: `${overrides.slug} tagline`,
    description: `${overrides.slug} description`,
    website: `https://${overrides.slug}.example`,
    categories: ['chat-assistant'],
    tags: [],
    pricing: { model: 'paid' },
    platforms: ['web'],
    openSource: false,
    createdAt: '2026-01-01T00:00:00.000Z',
    updatedAt: '2026-01-01T00:00:00.000Z',
    ...overrides,
  };
}
