import { servicesOf, type ServiceView } from '../compose-model.js';
import { locateService } from '../environment-model.js';
import type { Finding } from '../finding.js';
import { inspectImage, readBuildDockerfile } from '../image-inspection.js';
import { findingAt, productionLikeEnvironments, type Rule, type RuleContext } from '../rule.js';

interface Problem {
  keys: string[];
  message: string;
  hint: string;
}

type ServiceCheck = (service: ServiceView, context: RuleContext) => Problem | undefined;

interface ProductionRuleSpec {
  id: string;
  description: string;
  why: string;
  fix: string;
  check: ServiceCheck;
}

/** A rule evaluated on every service of the production-like environments (x-stack.productionLike). */
function productionRule(spec: ProductionRuleSpec): Rule {
  const rule: Rule = {
    id: spec.id,
    severity: 'error',
    description: spec.description,
    why: spec.why,
    fix: spec.fix,
    check(context: RuleContext): Finding[] {
      const findings: Finding[] = [];
      for (const environment of productionLikeEnvironments(context)) {
        for (const service of servicesOf(environment.model)) {
          const problem = spec.check(service, context);
          if (!problem) continue;
          findings.push(
            findingAt(
              rule,
              locateService(context.sources, environment, service.name, problem.keys),
              `${environment.name}: ${problem.message}`,
              problem.hint,
              environment.name,
              service.name,
            ),
          );
        }
      }
      return findings;
    },
  };
  return rule;
}

export const productionHostPortsRule = productionRule({
  id: 'production-host-ports',
  description: 'in production-like environments only the edge publishes host ports',
  why: 'every published port is a way in that skips the edge: its TLS, rate limits, headers and whatever fronts the APIs',
  fix: 'replace `ports:` by `expose:`; traffic enters through the edge service',
  check: (service, context) => {
    if (service.ports.length === 0 || service.name === context.edge) return undefined;
    const published = service.ports
      .map((port) => `${port.hostIp ? `${port.hostIp}:` : ''}${port.published || '?'}:${port.target}`)
      .join(', ');
    if (context.edge === undefined && context.edgeCandidates.length > 1) {
      const others = context.edgeCandidates.filter((name) => name !== service.name);
      return {
        keys: ['ports'],
        message: `service ${service.name} publishes host ports (${published}), and so ${others.length === 1 ? 'does' : 'do'} ${others.join(', ')}: which one is the edge?`,
        hint: 'keep host ports on the edge only; if this service is the edge, name it with `x-stack: { edge: <service> }` in the root compose file',
      };
    }
    return {
      keys: ['ports'],
      message: `service ${service.name} publishes host ports (${published})`,
      hint: `use \`expose:\`; traffic enters through the edge${context.edge ? ` (${context.edge})` : ''}`,
    };
  },
});

export const productionReadOnlyRule = productionRule({
  id: 'production-read-only',
  description: 'in production-like environments every long-running service has a read-only root filesystem',
  why: 'a writable root filesystem lets a compromised process plant binaries or change config that survives until the container is recreated',
  fix: 'add `read_only: true` and name what the service writes: `tmpfs:` for scratch space, volumes for data',
  check: (service) => {
    if (!service.longRunning || service.readOnly) return undefined;
    const writable = [...service.tmpfs, ...service.mounts.filter((mount) => !mount.readOnly && mount.type !== 'tmpfs').map((mount) => mount.target)];
    return {
      keys: ['read_only'],
      message: `service ${service.name} has a writable root filesystem`,
      hint: `add \`read_only: true\`${writable.length > 0 ? ` (it already writes to ${writable.join(', ')})` : ''} and \`tmpfs: [/tmp]\` or a volume for any other path it writes`,
    };
  },
});

export const productionResourceLimitsRule = productionRule({
  id: 'production-resource-limits',
  description: 'in production-like environments every service has CPU and memory limits',
  why: 'one runaway container can starve every other service on the host',
  fix: 'add `deploy.resources.limits` (cpus and memory) and reservations',
  check: (service) => {
    const limits = service.limits;
    if (limits.cpus !== undefined && limits.memory !== undefined) return undefined;
    const missing = [limits.cpus === undefined ? 'cpus' : '', limits.memory === undefined ? 'memory' : ''].filter(Boolean).join(' and ');
    return {
      keys: ['deploy', 'resources', 'limits'],
      message: `service ${service.name} has no ${missing} limit`,
      hint: 'add deploy.resources.limits with cpus and memory (e.g. cpus "0.5", memory 512M) and reservations',
    };
  },
});

/** Whether a `user:` value (or a Dockerfile USER) runs as uid 0. */
export function isRootUser(user: string): boolean {
  const [uid] = user.trim().split(':');
  return uid === 'root' || uid === '0';
}

export const productionNonRootRule = productionRule({
  id: 'production-non-root',
  description: 'in production-like environments no service runs as root, and a pulled image states its user',
  why: 'root in a container is root on the host as soon as anything escapes it; a pulled image’s default user is not visible in the model',
  fix: 'built here: `USER <unprivileged>` in the Dockerfile stage; pulled: `user:` with the image’s unprivileged user (uid:gid)',
  check: (service) => {
    if (service.user !== undefined) {
      if (!isRootUser(service.user)) return undefined;
      return { keys: ['user'], message: `service ${service.name} is set to run as ${service.user}`, hint: 'set `user:` to an unprivileged user (uid:gid)' };
    }
    if (service.build) {
      // A build whose Dockerfile is missing is build-context's finding, not a user problem.
      if (!readBuildDockerfile(service.build)) return undefined;
      const user = inspectImage(service).dockerfileUser;
      if (user !== undefined && !isRootUser(user)) return undefined;
      return {
        keys: ['user'],
        message: `service ${service.name} runs as ${user ?? 'root (no USER in its Dockerfile stage)'}`,
        hint: 'add `USER <unprivileged user>` to the Dockerfile stage it builds, or `user:` to the service',
      };
    }
    return {
      keys: ['user'],
      message: `service ${service.name} runs ${service.image ?? 'its image'} as the image's default user, which the model does not show`,
      hint: 'add `user:` with the unprivileged user the image provides (uid:gid), or wrap the image to add one; if it must run as root, switch this rule off for it with a reason',
    };
  },
});
