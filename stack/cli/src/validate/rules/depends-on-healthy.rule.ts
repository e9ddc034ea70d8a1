import { servicesOf } from '../compose-model.js';
import { locateService } from '../environment-model.js';
import type { Finding } from '../finding.js';
import { findingAt, type Rule, type RuleContext } from '../rule.js';

/** Without `service_healthy`, a dependant starts while its dependency is still booting. */
export const dependsOnHealthyRule: Rule = {
  id: 'depends-on-healthy',
  severity: 'error',
  description: 'depends_on waits for service_healthy when the dependency has a healthcheck',
  why: 'without it the dependant starts while its dependency is still booting and fails its first requests',
  fix: 'depends_on: { <dependency>: { condition: service_healthy } }',
  check(context: RuleContext): Finding[] {
    const findings: Finding[] = [];
    for (const environment of context.environments) {
      if (!environment.model) continue;
      const services = new Map(servicesOf(environment.model).map((service) => [service.name, service]));
      for (const service of services.values()) {
        for (const dependency of service.dependsOn) {
          const target = services.get(dependency.service);
          if (!target?.healthcheckTest || dependency.condition === 'service_healthy') continue;
          findings.push(
            findingAt(
              dependsOnHealthyRule,
              locateService(context.sources, environment, service.name, ['depends_on', dependency.service]),
              `service ${service.name} depends on ${dependency.service} with ${dependency.condition}, but ${dependency.service} has a healthcheck`,
              `depends_on: { ${dependency.service}: { condition: service_healthy } }`,
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
