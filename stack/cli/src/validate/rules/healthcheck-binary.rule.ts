import { servicesOf } from '../compose-model.js';
import { locateService } from '../environment-model.js';
import type { Finding } from '../finding.js';
import { inspectImage, missingBinaries } from '../image-inspection.js';
import { findingAt, type Rule, type RuleContext } from '../rule.js';

/** The programs a healthcheck test runs: argv[0] of CMD, every command word of CMD-SHELL. */
export function healthcheckPrograms(test: readonly string[]): string[] {
  const [kind, ...rest] = test;
  if (kind === 'CMD') return rest[0] ? [rest[0]] : [];
  if (kind === 'CMD-SHELL') {
    const script = rest.join(' ');
    // The first word of each command of the pipeline/list, after any VAR=value assignments.
    return script
      .split(/&&|\|\||[|;]/)
      .map((command) => command.trim().split(/\s+/).find((word) => !/^[A-Za-z_][A-Za-z0-9_]*=/.test(word)) ?? '')
      .filter((word) => word !== '');
  }
  return [];
}

/** A healthcheck that runs a program the image lacks marks a healthy container unhealthy forever. */
export const healthcheckBinaryRule: Rule = {
  id: 'healthcheck-binary',
  severity: 'error',
  description: 'healthcheck commands only run programs the image has',
  why: 'a healthcheck that runs a missing program marks a healthy container unhealthy forever',
  fix: 'use a program the image ships (node, its own CLI) or add one in the Dockerfile',
  check(context: RuleContext): Finding[] {
    const findings: Finding[] = [];
    for (const environment of context.environments) {
      if (!environment.model) continue;
      for (const service of servicesOf(environment.model)) {
        const test = service.healthcheckTest;
        if (!test) continue;
        const { baseImage, addedPrograms } = inspectImage(service);
        if (!baseImage) continue;
        const missing = missingBinaries(baseImage).filter((program) => !addedPrograms.has(program));
        // CMD-SHELL runs through /bin/sh, which images built FROM scratch lack too.
        const programs = [...healthcheckPrograms(test), ...(test[0] === 'CMD-SHELL' ? ['sh'] : [])];
        for (const program of programs) {
          const name = program.split('/').at(-1) ?? program;
          if (!missing.includes(name)) continue;
          findings.push(
            findingAt(
              healthcheckBinaryRule,
              locateService(context.sources, environment, service.name, ['healthcheck', 'test']),
              `service ${service.name}: healthcheck runs ${name}, which ${baseImage} does not have`,
              /(^|\/)node:/.test(baseImage)
                ? 'use node: test: [CMD, node, dist/healthcheck.js] (Node has fetch)'
                : 'use a program the image ships (e.g. its own CLI) or add it in the Dockerfile',
              environment.name,
              service.name,
            ),
          );
        }
      }
    }
    return findings;
  },
};
