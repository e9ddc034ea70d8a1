import { splitShellWordsAt } from '@codiesvibe/compose';
import type { Finding } from '../finding.js';
import { allLayoutFiles } from '../compose-layout.js';
import { findingAt, type Rule, type RuleContext } from '../rule.js';

/** The fields Compose splits into words itself (go-shellwords), running no shell. */
const SPLIT_FIELDS = ['command', 'entrypoint'] as const;

/**
 * The first shell operator (`;`, `&`, `|`, `<`, `>`, doubled ones whole) that ends a command
 * string when Compose splits it, where it starts, and the words Compose keeps; undefined when the
 * whole string is used, or when Compose refuses it (the engine reports that on its own).
 */
export function firstShellOperator(text: string): { operator: string; index: number; kept: string[] } | undefined {
  let split: ReturnType<typeof splitShellWordsAt>;
  try {
    split = splitShellWordsAt(text);
  } catch {
    return undefined;
  }
  if (split.stoppedAt === undefined) return undefined;
  const index = split.stoppedAt;
  const character = text[index]!;
  const doubled = text[index + 1] === character && character !== ';';
  return { operator: doubled ? character + character : character, index, kept: split.words };
}

/**
 * A `command` or `entrypoint` written as one string is split into words by Compose, not run by a
 * shell, and the splitter stops at the first shell operator: `npm ci && npm start` starts
 * `npm ci` alone, and nothing says the rest was dropped.
 */
export const noShellOperatorsRule: Rule = {
  id: 'no-shell-operators',
  severity: 'error',
  description: 'no shell operators (&&, ;, |, <, >) in a command or entrypoint written as a string',
  why: 'Compose splits the string into words without a shell and silently drops everything from the first operator on',
  fix: 'write it as a list that runs a shell: [sh, -c, "npm ci && npm start"], or keep one command per service',
  check(context: RuleContext): Finding[] {
    const findings: Finding[] = [];
    for (const file of allLayoutFiles(context.layout)) {
      const services = (context.sources.get(file).value as { services?: unknown } | null)?.services;
      if (services === null || typeof services !== 'object') continue;
      for (const [name, service] of Object.entries(services as Record<string, unknown>)) {
        if (service === null || typeof service !== 'object') continue;
        for (const field of SPLIT_FIELDS) {
          const value = (service as Record<string, unknown>)[field];
          if (typeof value !== 'string') continue;
          const found = firstShellOperator(value);
          if (found === undefined) continue;
          const keys = ['services', name, field];
          const position = context.sources.deepestKey(file, keys) ?? { file, line: 0, column: 0 };
          const kept = found.kept.join(' ');
          findings.push(
            findingAt(
              noShellOperatorsRule,
              position,
              `service ${name}: ${field} "${value}" runs only "${kept}": Compose runs no shell and drops everything from ${found.operator} on`,
              `write it as a list that runs a shell: ${field}: [sh, -c, ${JSON.stringify(value)}]`,
              undefined,
              name,
            ),
          );
        }
      }
    }
    return findings;
  },
};
