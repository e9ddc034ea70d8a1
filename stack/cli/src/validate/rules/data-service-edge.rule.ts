import { servicesOf } from '../compose-model.js';
import { locateService } from '../environment-model.js';
import type { Finding } from '../finding.js';
import { findingAt, productionLikeEnvironments, type Rule, type RuleContext } from '../rule.js';
import { isDataService } from '../tiers.js';

/**
 * Zero-trust direction of the plan: what holds the data is unreachable from the edge. Checked
 * where the networks are split (the production-like environments); development may run on one
 * flat project network, as the plan's does.
 */
export const dataServiceEdgeRule: Rule = {
  id: 'data-service-edge',
  severity: 'error',
  description: 'in production-like environments a data service shares no network with the edge',
  why: 'the edge faces the outside world: if it is broken into, every database on its networks is one connection away',
  fix: 'take the data service off the edge’s networks; only the services that use it share an internal network with it',
  check(context: RuleContext): Finding[] {
    const findings: Finding[] = [];
    const edge = context.edge;
    if (!edge) return findings;
    for (const environment of productionLikeEnvironments(context)) {
      const services = servicesOf(environment.model);
      const edgeService = services.find((service) => service.name === edge);
      if (!edgeService) continue;
      for (const service of services) {
        if (service.name === edge || !isDataService(service)) continue;
        const shared = service.networks.filter((network) => edgeService.networks.includes(network));
        if (shared.length === 0) continue;
        findings.push(
          findingAt(
            dataServiceEdgeRule,
            locateService(context.sources, environment, service.name, ['networks']),
            `${environment.name}: data service ${service.name} is on ${shared.join(', ')} with the edge (${edge})`,
            `remove ${shared.join(', ')} from ${service.name}'s networks; the services that use it reach it over an internal network`,
            environment.name,
            service.name,
          ),
        );
      }
    }
    return findings;
  },
};
