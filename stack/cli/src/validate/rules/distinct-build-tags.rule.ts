import { relative } from 'node:path';
import { substitute } from '@codiesvibe/compose';
import { asRecord, servicesOf } from '../compose-model.js';
import { locateService, serviceDefinitions } from '../environment-model.js';
import type { Finding } from '../finding.js';
import { dockerfilePath } from '../image-inspection.js';
import { findingAt, type Rule, type RuleContext } from '../rule.js';

// Stand-ins for "some value" of a variable: characters no image reference can contain.
const PLACEHOLDER_OPEN = '\u2039';
const PLACEHOLDER_CLOSE = '\u203a';

/** One build of one service in one environment, with its image name as written. */
interface BuildUse {
  environment: string;
  environmentFile: string;
  service: string;
  /** What the build produces: Dockerfile and target (the last stage when none is given). */
  identity: string;
  /** The image reference as written (uninterpolated), or Compose's default name. */
  template: string;
}

function namesOf(use: BuildUse, context: RuleContext): string[] {
  return imageNameCases(use.template, { [context.settings.environmentVariable]: use.environment });
}

/**
 * What the image name becomes (a) with every variable unset and (b) with every variable set to
 * the same placeholder. Two different builds whose names are equal in either case overwrite each
 * other's image: (a) on a machine where nothing is set, (b) where the shell sets the variable for
 * both, e.g. VERSION exported for a release. A required variable (`${V:?}`) cannot be unset.
 * `known` variables have the same value in both cases (the environment selector: it is the
 * environment's own name, which differs between environments by definition).
 */
export function imageNameCases(template: string, known: Readonly<Record<string, string>> = {}): string[] {
  const cases: string[] = [];
  try {
    cases.push(substitute(template, (name) => known[name]));
  } catch {
    // Unset, the build refuses to start: no silent overwrite in this case.
  }
  try {
    cases.push(substitute(template, (name) => known[name] ?? `${PLACEHOLDER_OPEN}${name}${PLACEHOLDER_CLOSE}`));
  } catch {
    // An invalid template is the engine's finding.
  }
  return cases;
}

/**
 * A tag names one image: two build targets (development and production stages) or two
 * Dockerfiles under the same tag overwrite each other, and whichever was built last is what runs.
 */
export const distinctBuildTagsRule: Rule = {
  id: 'distinct-build-tags',
  severity: 'error',
  description: 'different builds (Dockerfile or target) never share an image tag, in any environment',
  why: 'the last build wins the tag: a development image can end up running in production, or the reverse',
  fix: 'give each build target its own tag, e.g. <image>:dev for the development target and <image>:${VERSION:?} for production',
  check(context: RuleContext): Finding[] {
    const uses: BuildUse[] = [];
    for (const environment of context.environments) {
      if (!environment.model) continue;
      const project = typeof environment.model.name === 'string' ? environment.model.name : '';
      for (const service of servicesOf(environment.model)) {
        const build = service.build;
        if (!build) continue;
        const identity = `${dockerfilePath(build)}#${build.target ?? '(last stage)'}`;
        const written = serviceDefinitions(context.sources, environment, service.name)
          .map((definition) => asRecord(asRecord(context.sources.get(definition.file).value?.services)?.[definition.service])?.image)
          .find((image): image is string => typeof image === 'string');
        // Without `image:` Compose tags the build <project>-<service>.
        const template = written ?? service.image ?? `${project}-${service.name}`;
        uses.push({ environment: environment.name, environmentFile: environment.environmentFile, service: service.name, identity, template });
      }
    }

    const findings: Finding[] = [];
    const reported = new Set<string>();
    for (const [index, use] of uses.entries()) {
      const names = namesOf(use, context);
      for (const other of uses.slice(index + 1)) {
        if (other.identity === use.identity) continue;
        const otherNames = namesOf(other, context);
        const clash = names.find((name) => otherNames.includes(name));
        if (clash === undefined) continue;
        for (const [mine, theirs] of [
          [use, other],
          [other, use],
        ] as const) {
          const key = `${mine.environment}\u0000${mine.service}\u0000${theirs.identity}`;
          if (reported.has(key)) continue;
          reported.add(key);
          const shown = clash.replaceAll(PLACEHOLDER_OPEN, '$').replaceAll(PLACEHOLDER_CLOSE, '');
          findings.push(
            findingAt(
              distinctBuildTagsRule,
              locateService(context.sources, { environmentFile: mine.environmentFile }, mine.service, ['image']),
              `${mine.environment}: service ${mine.service} and ${theirs.environment}'s ${theirs.service} both tag their builds ${shown}: ${describe(mine.identity, context)} and ${describe(theirs.identity, context)}`,
              'tag each build target differently, e.g. <image>:dev for the development target and <image>:${VERSION:?} for production',
              mine.environment,
              mine.service,
            ),
          );
        }
      }
    }
    return findings;
  },
};

function describe(identity: string, context: RuleContext): string {
  const [dockerfile = '', target = ''] = identity.split('#');
  return `${relative(context.layout.projectDir, dockerfile)} (target ${target})`;
}
