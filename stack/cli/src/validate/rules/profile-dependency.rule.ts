import { servicesOf } from '../compose-model.js';
import { locateService } from '../environment-model.js';
import type { Finding } from '../finding.js';
import { findingAt, type Rule, type RuleContext } from '../rule.js';

/**
 * A service that always starts must not need one only a profile starts. Validation loads every
 * environment with every profile enabled (so optional groups are checked too), which hides this:
 * there the dependency exists, while `stack config` and `stack up` without the profile refuse
 * the model ("depends on undefined service").
 */
export const profileDependencyRule: Rule = {
  id: 'profile-dependency',
  severity: 'error',
  description: 'a service that always starts depends (required) only on services that always start',
  why: 'without the profile the dependency is not in the model: Compose refuses to start the environment at all',
  fix: 'remove the dependency’s profiles, give the dependant the same profile, or mark the dependency `required: false`',
  check(context: RuleContext): Finding[] {
    const findings: Finding[] = [];
    for (const environment of context.environments) {
      if (!environment.model) continue;
      const services = new Map(servicesOf(environment.model).map((service) => [service.name, service]));
      for (const service of services.values()) {
        // A service behind a profile is started with it; which profiles go together is a choice.
        if (service.profiles.length > 0) continue;
        for (const dependency of service.dependsOn) {
          const target = services.get(dependency.service);
          if (!dependency.required || !target || target.profiles.length === 0) continue;
          const profiles = target.profiles.join(', ');
          findings.push(
            findingAt(
              profileDependencyRule,
              locateService(context.sources, environment, service.name, ['depends_on', dependency.service]),
              `service ${service.name} always starts but depends on ${dependency.service}, which only profile ${profiles} starts: without it the environment does not load`,
              `remove profiles from ${dependency.service}, or give ${service.name} profiles: [${profiles}], or set depends_on.${dependency.service}.required: false`,
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
