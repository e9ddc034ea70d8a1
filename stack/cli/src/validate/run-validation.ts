import { join } from 'node:path';
import { COMPOSE_ERROR_CODES } from '@codiesvibe/compose';
import { EnvFileMismatchError } from '../cli/environment-selector.js';
import { STACK_ERROR_CODES, UsageError } from '../errors.js';
import { StackSettingsError, type StackSettings } from '../settings/stack-settings.js';
import { allLayoutFiles, discoverLayout } from './compose-layout.js';
import { servicesOf, type ComposeModel } from './compose-model.js';
import type { EnvironmentModel } from './environment-model.js';
import { sortFindings, type Finding, type SuppressedFinding } from './finding.js';
import type { Rule, RuleContext } from './rule.js';
import { applyRuleSwitches } from './rule-switches.js';
import { RULES, UNSWITCHABLE_RULES } from './rules/index.js';
import { SourceSet } from './source-set.js';
import { findReference, type FileReference } from './missing-file.js';
import { findEdge } from './tiers.js';

/**
 * Resolves one environment with the engine (every profile enabled); throws the engine's error.
 * `noConsistency` skips Compose's consistency checks (undefined dependency, cycles ...).
 */
/**
 * Loads an environment's model with every profile enabled, or with `profiles` only when given;
 * `noConsistency` skips Compose's consistency checks (a model is still read when they fail).
 */
export type EnvironmentLoader = (environment: string, options?: { noConsistency?: boolean; profiles?: readonly string[] }) => ComposeModel;

const INCONSISTENT = COMPOSE_ERROR_CODES.INCONSISTENT;

/**
 * Engine errors that mean the tree cannot be read at all (as opposed to a tree that reads but
 * breaks a rule of Compose or of the architecture): `validate` stops with exit status 2.
 */
const UNREADABLE: ReadonlySet<string> = new Set([
  COMPOSE_ERROR_CODES.FILE_NOT_FOUND,
  COMPOSE_ERROR_CODES.NO_COMPOSE_FILE,
  COMPOSE_ERROR_CODES.YAML_SYNTAX,
  COMPOSE_ERROR_CODES.YAML_DUPLICATE_KEY,
  COMPOSE_ERROR_CODES.YAML_ALIAS_BOMB,
  COMPOSE_ERROR_CODES.YAML_NON_STRING_KEY,
  COMPOSE_ERROR_CODES.INVALID_DOCUMENT,
  COMPOSE_ERROR_CODES.DOTENV_SYNTAX,
]);

/** The tree cannot be read (YAML error, missing include or env file ...): one line, exit status 2. */
export class ValidationInputError extends Error {
  constructor(
    message: string,
    readonly code: string,
    readonly file: string | undefined,
    readonly line: number | undefined,
    readonly column: number | undefined,
  ) {
    super(message);
  }
}

export interface ValidationOptions {
  projectDir: string;
  settings: StackSettings;
  /** Environments to check; their files must exist in docker-compose/environments/. */
  environments: readonly string[];
  load: EnvironmentLoader;
  rules?: readonly Rule[];
}

export interface ValidationReport {
  environments: string[];
  /** The edge service the rules used, and how it was chosen. */
  edge: string | undefined;
  findings: Finding[];
  /** Findings a `stack-disable` switched off, with the reason given. */
  suppressed: SuppressedFinding[];
  errorCount: number;
  warningCount: number;
}

/**
 * Validates a modular compose tree like a linter: first what the engine refuses (schema,
 * interpolation, include conflicts ...), then every rule over the files and the resolved models,
 * then the rules switched off for a service are set aside with their reasons.
 * @throws ValidationInputError when a file cannot be read or parsed, or an include or env file is missing.
 */
export function runValidation(options: ValidationOptions): ValidationReport {
  const layout = discoverLayout(options.projectDir);
  const sources = new SourceSet();
  for (const file of allLayoutFiles(layout)) {
    const { error } = sources.get(file);
    if (error) {
      const message = error.message.replace(` in ${error.file}`, '');
      throw new ValidationInputError(message, error.code, error.file, error.line || undefined, error.column || undefined);
    }
  }

  const environments: EnvironmentModel[] = [];
  for (const name of options.environments) {
    const environmentFile = layout.environmentFiles.get(name);
    if (!environmentFile) continue;
    const environment = loadEnvironment(name, environmentFile, options.load, options.projectDir, (missing) => findReference(sources, allLayoutFiles(layout), missing));
    environments.push({ ...environment, overrideFiles: layout.overrideFiles });
  }
  const loaded = environments.filter((environment) => environment.model);
  const findings: Finding[] = environments.flatMap((environment) => (environment.loadError ? [environment.loadError] : []));

  const { settings } = options;
  const edgeNamed = settings.edge;
  // An edge no environment has would turn every edge rule into a finding about nothing.
  if (edgeNamed && loaded.length > 0 && !loaded.some((environment) => servicesOf(environment.model as ComposeModel).some((service) => service.name === edgeNamed))) {
    const services = [...new Set(loaded.flatMap((environment) => servicesOf(environment.model as ComposeModel).map((service) => service.name)))].sort();
    throw new StackSettingsError(
      `x-stack.edge: ${edgeNamed} is not a service of ${loaded.map((environment) => environment.name).join(', ')} (services: ${services.join(', ')})`,
      settings.file ?? options.projectDir,
      settings.edgeAt?.line ?? 1,
      settings.edgeAt?.column ?? 1,
    );
  }
  const edge = projectEdge(loaded, settings);
  const rules = options.rules ?? RULES;
  const context: RuleContext = {
    layout,
    sources,
    environments: loaded,
    settings,
    edge: edge.service,
    edgeCandidates: edge.candidates,
    ruleIds: RULES.map((rule) => rule.id),
  };
  for (const rule of rules) findings.push(...rule.check(context));

  const switched = applyRuleSwitches(findings, context, UNSWITCHABLE_RULES);
  const sorted = sortFindings(switched.findings);
  return {
    environments: environments.map((environment) => environment.name),
    edge: edge.service,
    findings: sorted,
    suppressed: sortFindings(switched.suppressed) as SuppressedFinding[],
    errorCount: sorted.filter((finding) => finding.severity === 'error').length,
    warningCount: sorted.filter((finding) => finding.severity === 'warning').length,
  };
}

/**
 * The edge: x-stack.edge, else the one found in the first production-like environment that shows
 * one (there only the edge should publish host ports), else in any environment.
 */
function projectEdge(environments: readonly EnvironmentModel[], settings: StackSettings): { service: string | undefined; candidates: string[] } {
  if (settings.edge) return { service: settings.edge, candidates: [] };
  const ordered = [
    ...environments.filter((environment) => settings.productionLike.includes(environment.name)),
    ...environments.filter((environment) => !settings.productionLike.includes(environment.name)),
  ];
  let candidates: string[] | undefined;
  for (const environment of ordered) {
    const choice = findEdge(environment.model as ComposeModel, undefined);
    if (choice.service) return { service: choice.service, candidates: [] };
    if (candidates === undefined && choice.candidates.length > 1) candidates = choice.candidates;
  }
  return { service: undefined, candidates: candidates ?? [] };
}

function loadEnvironment(
  name: string,
  environmentFile: string,
  load: EnvironmentLoader,
  projectDir: string,
  referenceTo: (missing: string) => FileReference | undefined,
): EnvironmentModel {
  try {
    return { name, environmentFile, model: load(name) };
  } catch (error) {
    // The environment's .env.<name> (nor its .example) does not exist.
    if (error instanceof UsageError) throw new ValidationInputError(error.message, STACK_ERROR_CODES.ENV_FILE_NOT_FOUND, join(projectDir, `.env.${name}`), undefined, undefined);
    const loadError = toFinding(name, environmentFile, error, referenceTo);
    // Compose refuses an inconsistent model, but it is still a model: the rules explain the
    // problem (a cycle, a container_name with replicas ...) with a location and a fix.
    if (loadError.ruleId === INCONSISTENT) {
      let model: ComposeModel;
      try {
        model = load(name, { noConsistency: true });
      } catch {
        // Report the first error only.
        return { name, environmentFile, model: undefined, loadError };
      }
      return { name, environmentFile, model, loadError: loadsProfileByProfile(name, model, load) ? undefined : loadError };
    }
    return { name, environmentFile, model: undefined, loadError };
  }
}

/**
 * True when the environment loads with no profile and with each of its profiles alone: then only
 * enabling profiles together fails (two services behind `cpu` and `gpu` sharing a container name,
 * as projects that offer one or the other write them), which nobody does, so it is no finding.
 */
function loadsProfileByProfile(name: string, model: ComposeModel, load: EnvironmentLoader): boolean {
  const profiles = new Set(servicesOf(model).flatMap((service) => service.profiles));
  if (profiles.size < 2) return false;
  try {
    for (const selection of [[], ...[...profiles].map((profile) => [profile])]) load(name, { profiles: selection });
    return true;
  } catch {
    return false;
  }
}

function toFinding(name: string, environmentFile: string, error: unknown, referenceTo: (missing: string) => FileReference | undefined): Finding {
  const located = error as { code?: string; file?: string; line?: number; column?: number; message?: string; missingPath?: string };
  // Not an error of the engine: a bug, reported as such by the CLI (one line, trace with --debug).
  if (typeof located.code !== 'string' || !located.code.startsWith('STACK_ERR_')) throw error;
  if (error instanceof EnvFileMismatchError) {
    // Not Compose's refusal: the env file and the environment disagree, and the error says how to settle it.
    return { ruleId: error.code, severity: 'error', file: error.file, line: error.line, column: 1, message: `${name}: ${error.detail}`, hint: error.fix, env: name };
  }
  const message = (located.message ?? String(error)).split('\n')[0] ?? '';
  if (UNREADABLE.has(located.code)) {
    // A missing file is reported where it is named (the include, extends or env_file line).
    const missing = located.missingPath ?? located.file;
    const reference = located.code === COMPOSE_ERROR_CODES.FILE_NOT_FOUND && missing ? referenceTo(missing) : undefined;
    if (reference) {
      throw new ValidationInputError(`${reference.kind} ${reference.written}: no such file (${name})`, located.code, reference.file, reference.line, reference.column);
    }
    const file = located.file ?? environmentFile;
    throw new ValidationInputError(`${message.replace(`${file}: `, '').replace(` in ${file}`, '')} (${name})`, located.code, file, located.line, located.column);
  }
  return {
    ruleId: located.code === COMPOSE_ERROR_CODES.SCHEMA ? 'schema' : located.code,
    severity: 'error',
    file: located.file ?? environmentFile,
    line: located.line ?? 0,
    column: located.column ?? 0,
    message: `${name}: ${message}`,
    hint: 'the environment does not load in Compose; fix this first',
    env: name,
  };
}
