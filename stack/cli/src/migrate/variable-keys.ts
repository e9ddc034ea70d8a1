import { relative } from 'node:path';
import type { PlannedCompose } from './plan-tree.js';

type Mapping = Record<string, unknown>;

const isMapping = (value: unknown): value is Mapping => typeof value === 'object' && value !== null && !Array.isArray(value);

/** Sections whose list items name something and become mapping keys in the long form. */
const NAMED_SECTIONS = ['depends_on', 'networks'] as const;

/**
 * Written entries whose name holds a variable in the long (mapping) form. Compose interpolates list
 * items but not mapping keys, so `- ${DB_HOST:-postgresql}` (appwrite) is fine as a list item and a
 * schema error as a key. Migrate writes the short form whenever it can; when an environment's
 * merged files also give another entry a condition or aliases, it cannot, and says why.
 */
export function variableKeyExplanations(files: readonly PlannedCompose[], projectDir: string): string[] {
  const lines: string[] = [];
  for (const file of files) {
    const services = file.document.services;
    if (!isMapping(services)) continue;
    for (const [name, service] of Object.entries(services)) {
      if (!isMapping(service)) continue;
      for (const section of NAMED_SECTIONS) {
        const entries = service[section];
        if (!isMapping(entries)) continue;
        const variables = Object.keys(entries).filter((key) => key.replaceAll('$$', '').includes('$'));
        if (variables.length === 0) continue;
        lines.push(
          `${relative(projectDir, file.path)}: ${name}'s ${section} names ${variables.join(', ')} with a variable and has an entry that needs the long form; Compose does not interpolate mapping keys: name it without the variable in the files of that environment, or give every entry there the short form`,
        );
      }
    }
  }
  return lines;
}
