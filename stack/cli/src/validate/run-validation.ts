import { COMPOSE_ERROR_CODES } from '@codiesvibe/compose';
import { discoverLayout } from './compose-layout.js';
import type { ComposeModel } from './compose-model.js';
import type { EnvironmentModel } from './environment-model.js';
import { sortFindings, type Finding } from './finding.js';
import type { Rule } from './rule.js';
import { RULES } from './rules/index.js';
import { SourceSet } from './source-set.js';

/**
 * Resolves one environment with the engine (every profile enabled); throws the engine's error.
 * `noConsistency` skips Compose's consistency checks (undefined dependency, cycles ...).
 */
export type EnvironmentLoader = (environment: string, options?: { noConsistency?: boolean }) => ComposeModel;

const INCONSISTENT = COMPOSE_ERROR_CODES.INCONSISTENT;

export interface ValidationOptions {
  projectDir: string;
  /** Environments to check; their files must exist in docker-compose/environments/. */
  environments: readonly string[];
  load: EnvironmentLoader;
  rules?: readonly Rule[];
}

export interface ValidationReport {
  environments: string[];
  findings: Finding[];
  errorCount: number;
  warningCount: number;
}

/**
 * Validates a modular compose tree like a linter: first what the engine refuses (YAML, schema,
 * interpolation, include conflicts ...), then every rule over the files and the resolved models.
 */
export function runValidation(options: ValidationOptions): ValidationReport {
  const layout = discoverLayout(options.projectDir);
  const sources = new SourceSet();
  const findings: Finding[] = [];

  const unreadable = new Set<string>();
  for (const file of [...layout.entryFiles, ...layout.baseFiles, ...layout.environmentFiles.values(), ...layout.infrastructureFiles]) {
    const { error } = sources.get(file);
    if (!error) continue;
    unreadable.add(file);
    findings.push({ ruleId: 'yaml', severity: 'error', ...error, hint: 'fix the YAML syntax' });
  }

  const environments: EnvironmentModel[] = [];
  for (const name of options.environments) {
    const environmentFile = layout.environmentFiles.get(name);
    if (!environmentFile) continue;
    environments.push(loadEnvironment(name, environmentFile, options.load, unreadable.has(environmentFile)));
  }
  for (const environment of environments) {
    if (environment.loadError) findings.push(environment.loadError);
  }

  for (const rule of options.rules ?? RULES) {
    findings.push(...rule.check({ layout, sources, environments: environments.filter((environment) => environment.model) }));
  }

  const sorted = sortFindings(findings);
  return {
    environments: environments.map((environment) => environment.name),
    findings: sorted,
    errorCount: sorted.filter((finding) => finding.severity === 'error').length,
    warningCount: sorted.filter((finding) => finding.severity === 'warning').length,
  };
}

function loadEnvironment(name: string, environmentFile: string, load: EnvironmentLoader, unreadable: boolean): EnvironmentModel {
  if (unreadable) return { name, environmentFile, model: undefined };
  try {
    return { name, environmentFile, model: load(name) };
  } catch (error) {
    const loadError = toFinding(name, environmentFile, error);
    // Compose refuses an inconsistent model, but it is still a model: the rules explain the
    // problem (a cycle, a container_name with replicas ...) with a location and a fix.
    if (loadError.ruleId === INCONSISTENT) {
      try {
        return { name, environmentFile, model: load(name, { noConsistency: true }), loadError };
      } catch {
        // Report the first error only.
      }
    }
    return { name, environmentFile, model: undefined, loadError };
  }
}

function toFinding(name: string, environmentFile: string, error: unknown): Finding {
  const located = error as { code?: string; file?: string; line?: number; column?: number; message?: string };
  const message = located.message ?? String(error);
  return {
    ruleId: located.code === COMPOSE_ERROR_CODES.SCHEMA ? 'schema' : (located.code ?? 'load'),
    severity: 'error',
    file: located.file ?? environmentFile,
    line: located.line ?? 0,
    column: located.column ?? 0,
    message: `${name}: ${message.split('\n')[0] ?? message}`,
    hint: 'the environment does not load in Compose; fix this first',
    env: name,
  };
}
