import { describe, expect, it } from 'vitest';
import { makeTool } from '../../test/support/tool.fixture.js';
import { contentHash, cosine, embeddingText } from './embedding.scorer.js';

describe('embedding helpers', () => {
  it('computes cosine similarity, 0 for an empty vector', () => {
    expect(cosine([1, 0], [1, 0])).toBeCloseTo(1);
    expect(cosine([1, 0], [0, 1])).toBeCloseTo(0);
    expect(cosine([1, 1], [-1, -1])).toBeCloseTo(-1);
    expect(cosine([], [1])).toBe(0);
  });

  it('changes the content hash when the embedded text changes, and only then', () => {
    const tool = makeTool({ slug: 'tabby', tags: ['self-hosted'] });
    expect(
      contentHash({ ...tool, updatedAt: '2030-01-01T00:00:00.000Z', website: 'https://other.example' }),
    ).toBe(contentHash(tool));
    expect(contentHash({ ...tool, tags: ['self-hosted', 'rust'] })).not.toBe(contentHash(tool));
    expect(embeddingText(tool)).toContain('Tags: self-hosted');
  });
});
