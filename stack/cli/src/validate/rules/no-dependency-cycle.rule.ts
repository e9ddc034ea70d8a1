import { servicesOf } from '../compose-model.js';
import { locateService } from '../environment-model.js';
import type { Finding } from '../finding.js';
import { findDependencyCycle } from '../../matrix/dependency-graph.js';
import { findingAt, type Rule, type RuleContext } from '../rule.js';

/** A depends_on cycle can never start: every service waits for another. */
export const noDependencyCycleRule: Rule = {
  id: 'no-dependency-cycle',
  severity: 'error',
  description: 'depends_on has no cycle',
  why: 'a cycle can never start: every service waits for another',
  fix: 'remove one depends_on of the cycle; a service that needs the other at run time can retry instead',
  check(context: RuleContext): Finding[] {
    const findings: Finding[] = [];
    for (const environment of context.environments) {
      if (!environment.model) continue;
      const graph = new Map(
        servicesOf(environment.model).map((service) => [service.name, service.dependsOn.map((dependency) => dependency.service)]),
      );
      const cycle = findDependencyCycle(graph);
      if (!cycle) continue;
      const [first, second] = cycle;
      findings.push(
        findingAt(
          noDependencyCycleRule,
          locateService(context.sources, environment, first ?? '', ['depends_on', second ?? '']),
          `dependency cycle: ${cycle.join(' -> ')}`,
          'remove one of these depends_on entries; a service that needs another at run time can retry instead',
          environment.name,
          first,
        ),
      );
    }
    return findings;
  },
};
