/**
 * A validation issue's message as a field error says it after the field name. zod's own wording
 * for a missing or mistyped field ("Invalid input: expected string, received undefined") reads
 * badly there (`slug Invalid input: ...`): a missing field is "is required", a mistyped one
 * "must be a string (got number)". Messages our schemas wrote themselves pass unchanged.
 */
export function issueMessage(message: string): string {
  const mistyped = /^Invalid input: expected (\w+), received (\w+)$/.exec(message);
  if (!mistyped) return message;
  const [, expected, received] = mistyped;
  return received === 'undefined'
    ? 'is required'
    : `must be ${article(expected!)} ${expected} (got ${received})`;
}

function article(word: string): string {
  return /^[aeiou]/.test(word) ? 'an' : 'a';
}
