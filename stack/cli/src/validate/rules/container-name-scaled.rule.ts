import { servicesOf } from '../compose-model.js';
import { locateService } from '../environment-model.js';
import type { Finding } from '../finding.js';
import { findingAt, type Rule, type RuleContext } from '../rule.js';

/**
 * Container names are unique per engine: a service with replicas (in any environment, since
 * `--scale` works everywhere) cannot have one.
 */
export const containerNameScaledRule: Rule = {
  id: 'container-name-scaled',
  severity: 'error',
  description: 'no container_name on a service that has replicas or that an environment scales',
  why: 'container names are unique per engine: the second replica cannot start',
  fix: 'remove container_name; Compose names replicas <project>-<service>-<n>',
  check(context: RuleContext): Finding[] {
    const scaledIn = new Map<string, string>();
    for (const environment of context.environments) {
      if (!environment.model) continue;
      for (const service of servicesOf(environment.model)) {
        if ((service.replicas ?? 1) > 1 && !scaledIn.has(service.name)) scaledIn.set(service.name, environment.name);
      }
    }
    const findings: Finding[] = [];
    for (const environment of context.environments) {
      if (!environment.model) continue;
      for (const service of servicesOf(environment.model)) {
        const scaledEnvironment = scaledIn.get(service.name);
        if (!service.containerName || scaledEnvironment === undefined) continue;
        findings.push(
          findingAt(
            containerNameScaledRule,
            locateService(context.sources, environment, service.name, ['container_name']),
            `service ${service.name} sets container_name "${service.containerName}" but runs several replicas in ${scaledEnvironment}`,
            'remove container_name: Compose names replicas <project>-<service>-<n>',
            environment.name,
            service.name,
          ),
        );
      }
    }
    return findings;
  },
};
