import { servicesOf } from '../compose-model.js';
import { locateService } from '../environment-model.js';
import type { Finding } from '../finding.js';
import { findingAt, type Rule, type RuleContext } from '../rule.js';

/** The tag of an image reference (`repo:tag@digest`), or undefined; a digest counts as pinned. */
export function imageTag(reference: string): { tag: string | undefined; digest: boolean } {
  const [name = '', digest] = reference.split('@');
  const lastSlash = name.lastIndexOf('/');
  const colon = name.lastIndexOf(':');
  const tag = colon > lastSlash ? name.slice(colon + 1) : undefined;
  return { tag, digest: digest !== undefined };
}

/** `latest` (or no tag) changes under you: every image names a fixed version. */
export const pinnedImageTagsRule: Rule = {
  id: 'pinned-image-tags',
  severity: 'error',
  description: 'every image has a pinned tag (never latest, never missing)',
  why: 'latest (or no tag) changes under you: two hosts, or two deploys, run different software',
  fix: 'pin a version tag (mongo:8.0.9) or a digest',
  check(context: RuleContext): Finding[] {
    const findings: Finding[] = [];
    for (const environment of context.environments) {
      if (!environment.model) continue;
      for (const service of servicesOf(environment.model)) {
        const image = service.image;
        if (!image) continue;
        const { tag, digest } = imageTag(image);
        if (digest || (tag !== undefined && tag !== '' && tag !== 'latest')) continue;
        findings.push(
          findingAt(
            pinnedImageTagsRule,
            locateService(context.sources, environment, service.name, ['image']),
            `service ${service.name} uses ${tag === 'latest' ? 'the latest tag' : 'no tag'} (${image})`,
            'pin a version, e.g. mongo:8.0.9, or a digest',
            environment.name,
            service.name,
          ),
        );
      }
    }
    return findings;
  },
};
