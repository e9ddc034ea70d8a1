import { isInternalNetwork, servicesOf } from '../compose-model.js';
import { locateService } from '../environment-model.js';
import type { Finding } from '../finding.js';
import { findingAt, productionLikeEnvironments, type Rule, type RuleContext } from '../rule.js';
import { isDataService, tiersOf } from '../tiers.js';

/**
 * The edge reaches only its upstreams (its direct dependencies: a gateway, a frontend). A network
 * that also holds a service behind them (an API the gateway fronts) lets the edge, or whoever
 * breaks into it, bypass the gateway's authentication, rate limits and routing. Internal or not:
 * `internal` only cuts the way out to the internet, not the way between containers.
 */
export const networkTiersRule: Rule = {
  id: 'network-tiers',
  severity: 'error',
  description: 'in production-like environments the edge shares no network with the services behind its upstreams',
  why: 'a network that joins the edge to an API lets the edge reach it directly, skipping the service that fronts it (auth, rate limits, routing)',
  fix: 'take the edge off that network (give it a separate internal network for anything else it must reach), or the API off it',
  check(context: RuleContext): Finding[] {
    const findings: Finding[] = [];
    const edge = context.edge;
    if (!edge) return findings;
    for (const environment of productionLikeEnvironments(context)) {
      const tiers = tiersOf(environment.model, edge);
      if (!tiers) continue;
      const services = servicesOf(environment.model);
      const edgeService = services.find((service) => service.name === edge);
      for (const network of edgeService?.networks ?? []) {
        const reached = services
          .filter((service) => tiers.behind.has(service.name) && !tiers.data.has(service.name) && service.networks.includes(network))
          .map((service) => service.name);
        if (reached.length === 0) continue;
        const internal = isInternalNetwork(environment.model, network) ? 'internal ' : '';
        findings.push(
          findingAt(
            networkTiersRule,
            locateService(context.sources, environment, edge, ['networks']),
            `${environment.name}: the ${internal}network ${network} joins the edge (${edge}) to ${reached.join(', ')}, which ${reached.length === 1 ? 'sits' : 'sit'} behind ${[...tiers.upstreams].join(', ') || 'its upstreams'}`,
            `take ${edge} off ${network} (a separate internal network for what else it must reach there), or ${reached.join(', ')} off it`,
            environment.name,
            edge,
          ),
        );
      }
    }
    return findings;
  },
};

/** Data services accept connections only from inside: their networks are all `internal`. */
export const dataNetworkInternalRule: Rule = {
  id: 'data-network-internal',
  severity: 'error',
  description: 'in production-like environments data services are only on internal networks',
  why: 'a non-internal network gives the database a way out to the internet and a way in for anything attached to it',
  fix: 'put the data service on networks with `internal: true`, shared only with the services that use it',
  check(context: RuleContext): Finding[] {
    const findings: Finding[] = [];
    for (const environment of productionLikeEnvironments(context)) {
      for (const service of servicesOf(environment.model)) {
        if (!isDataService(service)) continue;
        const open = service.networks.filter((network) => !isInternalNetwork(environment.model, network));
        if (open.length === 0) continue;
        findings.push(
          findingAt(
            dataNetworkInternalRule,
            locateService(context.sources, environment, service.name, ['networks']),
            `${environment.name}: data service ${service.name} is on ${open.length === 1 ? 'a network that is not internal' : 'networks that are not internal'}: ${open.join(', ')}`,
            `mark ${open.join(', ')} \`internal: true\`, or move ${service.name} to an internal network shared with its clients`,
            environment.name,
            service.name,
          ),
        );
      }
    }
    return findings;
  },
};
