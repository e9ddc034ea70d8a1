import { relative } from 'node:path';
import { asRecord } from '../compose-model.js';
import type { Finding } from '../finding.js';
import { findingAt, type Rule, type RuleContext } from '../rule.js';

/**
 * Each environment file is a complete model: every base service (data services too) appears in
 * it, extended from its base file, so no environment silently lacks a service.
 */
export const environmentCompleteRule: Rule = {
  id: 'environment-complete',
  severity: 'error',
  description: 'every environment defines every base service through extends (directly or through another environment)',
  why: 'an environment that silently lacks a service fails only when something needs it',
  fix: 'add the service to the environment file with `extends` from its base file (or from the environment it builds on)',
  check(context: RuleContext): Finding[] {
    const findings: Finding[] = [];
    const baseServices = context.layout.baseFiles.flatMap((file) =>
      Object.keys(asRecord(context.sources.get(file).value?.services) ?? {}).map((service) => ({ file, service })),
    );
    for (const [environment, file] of context.layout.environmentFiles) {
      // Through any chain of extends: staging may extend production, which extends the base file.
      const extended = new Set(
        context.sources
          .extendsOf(file)
          .flatMap((entry) => context.sources.definitionChain(file, entry.service))
          .map((definition) => `${definition.file}\u0000${definition.service}`),
      );
      for (const base of baseServices) {
        if (extended.has(`${base.file}\u0000${base.service}`)) continue;
        findings.push(
          findingAt(
            environmentCompleteRule,
            context.sources.exactPositionOf(file, ['services']) ?? { file, line: 0, column: 0 },
            `${environment} does not define ${base.service} from ${relative(context.layout.projectDir, base.file)}`,
            `add \`${base.service}: { extends: { file: ../services/${relative(context.layout.root + '/services', base.file)}, service: ${base.service} } }\` with this environment's overrides`,
            environment,
            base.service,
          ),
        );
      }
    }
    return findings;
  },
};
