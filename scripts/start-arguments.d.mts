/** See start-arguments.mjs. */
export function startArguments(args: readonly string[], env: Record<string, string | undefined>): string[];
