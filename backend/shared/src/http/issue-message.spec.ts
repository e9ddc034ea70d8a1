import { z } from 'zod';
import { describe, expect, it } from 'vitest';
import { issueMessage } from './issue-message.js';

const messageFor = (schema: z.ZodType, value: unknown) =>
  issueMessage(schema.safeParse(value).error!.issues[0]!.message);

describe('issueMessage', () => {
  it('says a missing field is required', () => {
    expect(messageFor(z.object({ slug: z.string() }), {})).toBe('is required');
  });

  it('says what type a mistyped field must have and what it got', () => {
    expect(messageFor(z.object({ slug: z.string() }), { slug: 3 })).toBe('must be a string (got number)');
    expect(messageFor(z.object({ tags: z.array(z.string()) }), { tags: 'x' })).toBe(
      'must be an array (got string)',
    );
  });

  it("keeps a schema's own message", () => {
    expect(messageFor(z.string().min(3, 'must be at least 3 characters'), 'ab')).toBe(
      'must be at least 3 characters',
    );
  });
});
