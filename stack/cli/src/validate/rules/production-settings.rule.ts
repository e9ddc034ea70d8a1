import { servicesOf, type ServiceView } from '../compose-model.js';
import {
  EDGE_SERVICES,
  locateService,
  PRODUCTION_LIKE_ENVIRONMENTS,
  type EnvironmentModel,
} from '../environment-model.js';
import type { Finding } from '../finding.js';
import { inspectImage, readBuildDockerfile } from '../image-inspection.js';
import { findingAt, type Rule, type RuleContext } from '../rule.js';

type ServiceCheck = (service: ServiceView) => { keys: string[]; message: string; hint: string } | undefined;

/** A rule evaluated on every service of the production-like environments (production, staging). */
function productionRule(id: string, description: string, checkService: ServiceCheck): Rule {
  const rule: Rule = {
    id,
    severity: 'error',
    description,
    check(context: RuleContext): Finding[] {
      const findings: Finding[] = [];
      for (const environment of productionLike(context.environments)) {
        for (const service of servicesOf(environment.model)) {
          const problem = checkService(service);
          if (!problem) continue;
          findings.push(
            findingAt(
              rule,
              locateService(context.sources, environment, service.name, problem.keys),
              `${environment.name}: ${problem.message}`,
              problem.hint,
              environment.name,
            ),
          );
        }
      }
      return findings;
    },
  };
  return rule;
}

function productionLike(environments: readonly EnvironmentModel[]): Array<EnvironmentModel & { model: object }> {
  return environments.filter(
    (environment): environment is EnvironmentModel & { model: Record<string, unknown> } =>
      environment.model !== undefined && PRODUCTION_LIKE_ENVIRONMENTS.includes(environment.name),
  );
}

export const productionHostPortsRule = productionRule(
  'production-host-ports',
  'in production only the edge publishes host ports',
  (service) => {
    if (EDGE_SERVICES.includes(service.name) || service.ports.length === 0) return undefined;
    const published = service.ports.map((port) => `${port.published ?? '?'}:${port.target}`).join(', ');
    return {
      keys: ['ports'],
      message: `service ${service.name} publishes host ports (${published})`,
      hint: 'use `expose:`; traffic enters through the nginx edge and the gateway',
    };
  },
);

export const productionReadOnlyRule = productionRule(
  'production-read-only',
  'in production the services built here run on a read-only root filesystem',
  (service) => {
    if (!service.build || service.readOnly) return undefined;
    return {
      keys: ['read_only'],
      message: `service ${service.name} has a writable root filesystem`,
      hint: 'add `read_only: true` and `tmpfs: [/tmp]`',
    };
  },
);

export const productionResourceLimitsRule = productionRule(
  'production-resource-limits',
  'in production every service has CPU and memory limits',
  (service) => {
    const limits = service.limits;
    if (limits?.cpus !== undefined && limits.memory !== undefined) return undefined;
    const missing = [limits?.cpus === undefined ? 'cpus' : '', limits?.memory === undefined ? 'memory' : '']
      .filter(Boolean)
      .join(' and ');
    return {
      keys: ['deploy', 'resources', 'limits'],
      message: `service ${service.name} has no ${missing} limit`,
      hint: 'add deploy.resources.limits (the APIs: cpus "0.5", memory 512M) and reservations',
    };
  },
);

const ROOT_USERS = new Set(['root', '0', '0:0', 'root:root']);

export const productionNonRootRule = productionRule(
  'production-non-root',
  'in production no service built here runs as root, and none is set to root',
  (service) => {
    // A build whose Dockerfile is missing is build-context's finding, not a user problem.
    if (service.build && service.user === undefined && !readBuildDockerfile(service.build)) return undefined;
    const user = service.user ?? (service.build ? inspectImage(service).dockerfileUser : undefined);
    const explicitRoot = service.user !== undefined && ROOT_USERS.has(service.user);
    if (!explicitRoot && (!service.build || (user !== undefined && !ROOT_USERS.has(user)))) return undefined;
    return {
      keys: ['user'],
      message: `service ${service.name} runs as ${user ?? 'root (no USER in its Dockerfile stage)'}`,
      hint: 'add `USER node` to the Dockerfile stage or `user: node` to the service',
    };
  },
);
