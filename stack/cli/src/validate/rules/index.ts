import type { Rule } from '../rule.js';
import { baseHealthcheckRule, baseNetworksRule, baseRestartRule } from './base-service-standard.rule.js';
import { buildContextRule, buildTargetRule } from './build-context.rule.js';
import { containerNameScaledRule } from './container-name-scaled.rule.js';
import { dataServiceEdgeRule } from './data-service-edge.rule.js';
import { dependsOnHealthyRule } from './depends-on-healthy.rule.js';
import { distinctBuildTagsRule } from './distinct-build-tags.rule.js';
import { environmentCompleteRule } from './environment-complete.rule.js';
import { fileNamingRule } from './file-naming.rule.js';
import { healthcheckBinaryRule } from './healthcheck-binary.rule.js';
import { includeAndExtendRule } from './include-and-extend.rule.js';
import { noDockerSocketRule, noRepositoryRootMountRule } from './mounts.rule.js';
import { dataNetworkInternalRule, networkTiersRule } from './network-tiers.rule.js';
import { noDependencyCycleRule } from './no-dependency-cycle.rule.js';
import { noShellOperatorsRule } from './no-shell-operators.rule.js';
import { noShellSubstitutionRule } from './no-shell-substitution.rule.js';
import { profileDependencyRule } from './profile-dependency.rule.js';
import { pinnedImageTagsRule } from './pinned-image-tags.rule.js';
import {
  productionHostPortsRule,
  productionNonRootRule,
  productionReadOnlyRule,
  productionResourceLimitsRule,
} from './production-settings.rule.js';
import { productionSecretsRule } from './production-secrets.rule.js';
import { restartPolicyRule } from './restart-policy.rule.js';
import { validDisableRule } from './valid-disable.rule.js';

/** Every standard `stack validate` checks, in report order. */
export const RULES: readonly Rule[] = [
  fileNamingRule,
  includeAndExtendRule,
  environmentCompleteRule,
  baseHealthcheckRule,
  baseRestartRule,
  baseNetworksRule,
  restartPolicyRule,
  noShellSubstitutionRule,
  noShellOperatorsRule,
  buildContextRule,
  buildTargetRule,
  distinctBuildTagsRule,
  healthcheckBinaryRule,
  dependsOnHealthyRule,
  noDependencyCycleRule,
  profileDependencyRule,
  containerNameScaledRule,
  pinnedImageTagsRule,
  noDockerSocketRule,
  noRepositoryRootMountRule,
  dataServiceEdgeRule,
  networkTiersRule,
  dataNetworkInternalRule,
  productionHostPortsRule,
  productionReadOnlyRule,
  productionResourceLimitsRule,
  productionNonRootRule,
  productionSecretsRule,
  validDisableRule,
];

/** Rules whose findings a `stack-disable` cannot switch off. */
export const UNSWITCHABLE_RULES: ReadonlySet<string> = new Set([validDisableRule.id]);
