import { existsSync } from 'node:fs';
import { servicesOf } from '../compose-model.js';
import { locateService } from '../environment-model.js';
import type { Finding } from '../finding.js';
import { dockerfilePath, isDirectory, readBuildDockerfile } from '../image-inspection.js';
import { targetStage } from '../dockerfile.js';
import { findingAt, type Rule, type RuleContext } from '../rule.js';

/** A build whose context or Dockerfile is missing fails only when someone finally builds. */
export const buildContextRule: Rule = {
  id: 'build-context',
  severity: 'error',
  description: 'build contexts and Dockerfiles exist',
  why: 'a missing context or Dockerfile fails only when someone finally builds, usually in CI or on the deploy host',
  fix: 'fix build.context (relative to the file that declares it) or build.dockerfile (relative to the context)',
  check(context: RuleContext): Finding[] {
    const findings: Finding[] = [];
    for (const environment of context.environments) {
      if (!environment.model) continue;
      for (const service of servicesOf(environment.model)) {
        const build = service.build;
        if (!build) continue;
        if (!isDirectory(build.context)) {
          findings.push(
            findingAt(
              buildContextRule,
              locateService(context.sources, environment, service.name, ['build', 'context']),
              `service ${service.name}: build context ${build.context} does not exist`,
              'build.context is relative to the file that declares it (e.g. ../.. from docker-compose/services/)',
              environment.name,
              service.name,
            ),
          );
        } else if (!existsSync(dockerfilePath(build))) {
          findings.push(
            findingAt(
              buildContextRule,
              locateService(context.sources, environment, service.name, ['build', 'dockerfile']),
              `service ${service.name}: Dockerfile ${dockerfilePath(build)} does not exist`,
              'build.dockerfile is relative to the build context',
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

/** `build.target` must name a stage of the Dockerfile, or the build stops at its first step. */
export const buildTargetRule: Rule = {
  id: 'build-target',
  severity: 'error',
  description: 'the build target names a stage of the Dockerfile',
  why: 'a target that names no stage fails the build at its first step',
  fix: 'use one of the Dockerfile’s stage names, or add `FROM ... AS <target>`',
  check(context: RuleContext): Finding[] {
    const findings: Finding[] = [];
    for (const environment of context.environments) {
      if (!environment.model) continue;
      for (const service of servicesOf(environment.model)) {
        const build = service.build;
        if (!build?.target) continue;
        const dockerfile = readBuildDockerfile(build);
        if (!dockerfile || targetStage(dockerfile, build.target)) continue;
        const stages = dockerfile.stages.map((stage) => stage.name).filter(Boolean).join(', ');
        findings.push(
          findingAt(
            buildTargetRule,
            locateService(context.sources, environment, service.name, ['build', 'target']),
            `service ${service.name}: target stage "${build.target}" is not in ${dockerfilePath(build)}`,
            `use one of its stages (${stages || 'none are named'}) or add \`FROM ... AS ${build.target}\``,
            environment.name,
            service.name,
          ),
        );
      }
    }
    return findings;
  },
};
