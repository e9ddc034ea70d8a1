import { servicesOf, type ServiceView } from '../compose-model.js';
import { EDGE_NETWORK, locateService } from '../environment-model.js';
import type { Finding } from '../finding.js';
import { findingAt, type Rule, type RuleContext } from '../rule.js';

const DATA_IMAGES = /^(?:.*\/)?(mongo|redis|valkey|postgres|mysql|mariadb|elasticsearch|opensearch|memcached|cassandra)(?::|@|$)/;

/** A service that stores data: by its image, or by its name when it is built here. */
export function isDataService(service: ServiceView): boolean {
  if (service.image && DATA_IMAGES.test(service.image)) return true;
  return /^(mongodb|redis|postgres|mysql|elasticsearch)$/.test(service.name);
}

/** Zero-trust direction of the plan: what holds the data is unreachable from the edge network. */
export const dataServiceEdgeRule: Rule = {
  id: 'data-service-edge',
  severity: 'error',
  description: 'a data service is never on the edge network',
  check(context: RuleContext): Finding[] {
    const findings: Finding[] = [];
    for (const environment of context.environments) {
      if (!environment.model) continue;
      for (const service of servicesOf(environment.model)) {
        if (!isDataService(service) || !service.networks.includes(EDGE_NETWORK)) continue;
        findings.push(
          findingAt(
            dataServiceEdgeRule,
            locateService(context.sources, environment, service.name, ['networks']),
            `data service ${service.name} is on the ${EDGE_NETWORK} network`,
            'put it on the internal `data` network only; services that need it join `data`',
            environment.name,
          ),
        );
      }
    }
    return findings;
  },
};
