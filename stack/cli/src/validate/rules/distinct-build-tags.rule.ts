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
  /** What the build produces: Dockerfile, target (the last stage when none is given) and build args. */
  identity: string;
  dockerfile: string;
  target: string;
  /** Build args as written (uninterpolated). */
  args: Readonly<Record<string, string | null>>;
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
        const dockerfile = dockerfilePath(build);
        const target = build.target ?? '(last stage)';
        // One Dockerfile builds several images when told which by its args (backend/Dockerfile's SERVICE).
        // As written, so a variable (VERSION) set differently per environment is the same arg.
        const args = writtenBuildArgs(context, environment, service.name);
        const identity = JSON.stringify([dockerfile, target, args]);
        const written = serviceDefinitions(context.sources, environment, service.name)
          .map((definition) => asRecord(asRecord(context.sources.get(definition.file).value?.services)?.[definition.service])?.image)
          .find((image): image is string => typeof image === 'string');
        // Without `image:` Compose tags the build <project>-<service>.
        const template = written ?? service.image ?? `${project}-${service.name}`;
        uses.push({ environment: environment.name, environmentFile: environment.environmentFile, service: service.name, identity, dockerfile, target, args, template });
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
              `${mine.environment}: service ${mine.service} and ${theirs.environment}'s ${theirs.service} both tag their builds ${shown}: ${describe(mine, theirs, context)} and ${describe(theirs, mine, context)}`,
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

/** The build args of a service as written along its definitions (the most specific wins), sorted by name. */
function writtenBuildArgs(context: RuleContext, environment: RuleContext['environments'][number], service: string): Record<string, string | null> {
  const merged: Record<string, string | null> = {};
  for (const definition of [...serviceDefinitions(context.sources, environment, service)].reverse()) {
    const written = asRecord(asRecord(asRecord(context.sources.get(definition.file).value?.services)?.[definition.service])?.build)?.args;
    if (Array.isArray(written)) {
      for (const entry of written) {
        const [name = '', ...value] = String(entry).split('=');
        merged[name] = value.length > 0 ? value.join('=') : null;
      }
    } else {
      for (const [name, value] of Object.entries(asRecord(written) ?? {})) merged[name] = value === null ? null : JSON.stringify(value);
    }
  }
  return Object.fromEntries(Object.entries(merged).sort(([a], [b]) => a.localeCompare(b)));
}

/** A build as the message names it: Dockerfile, target, and the build args in which it differs from `other`. */
function describe(use: BuildUse, other: BuildUse, context: RuleContext): string {
  const differing = Object.entries(use.args)
    .filter(([name, value]) => other.args[name] !== value)
    .map(([name, value]) => `${name}=${value ?? ''}`);
  const args = differing.length > 0 ? `, ${differing.join(' ')}` : '';
  return `${relative(context.layout.projectDir, use.dockerfile)} (target ${use.target}${args})`;
}
