import { relative } from 'node:path';
import { allLayoutFiles } from '../compose-layout.js';
import type { Finding } from '../finding.js';
import { findingAt, type Rule, type RuleContext } from '../rule.js';

/**
 * A base file reached by `include` and by `extends` defines its service twice in one model, which
 * Compose rejects ("conflicts with imported resource"): base files are only ever extended.
 */
export const includeAndExtendRule: Rule = {
  id: 'include-and-extend',
  severity: 'error',
  description: 'a base file is never both included and extended',
  why: 'the service is then defined twice in one model, which Compose refuses (conflicts with imported resource)',
  fix: 'remove the include: environment files reach base files only through `extends`',
  check(context: RuleContext): Finding[] {
    const files = allLayoutFiles(context.layout);
    const extended = new Map<string, string>();
    for (const file of files) {
      for (const entry of context.sources.extendsOf(file)) {
        if (!extended.has(entry.baseFile)) extended.set(entry.baseFile, file);
      }
    }
    const findings: Finding[] = [];
    for (const file of files) {
      const include = context.sources.get(file).value?.include;
      const includes = context.sources.includesOf(file);
      includes.forEach((includedFile, index) => {
        const extendingFile = extended.get(includedFile);
        if (!extendingFile) return;
        const position = context.sources.exactPositionOf(file, ['include']) ?? { file, line: 0, column: 0 };
        findings.push(
          findingAt(
            includeAndExtendRule,
            Array.isArray(include) ? position : { file, line: 0, column: 0 },
            `${relative(context.layout.projectDir, includedFile)} is included here (entry ${index + 1}) and extended by ${relative(context.layout.projectDir, extendingFile)}`,
            'remove the include: environment files reach base files only through `extends`',
          ),
        );
      });
    }
    return findings;
  },
};
