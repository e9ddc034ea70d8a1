import { existsSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { parseDotenv } from '@codiesvibe/compose';
import { readInputFile } from '../../cli/input-file.js';
import { asRecord, scalarText, servicesOf } from '../compose-model.js';
import { environmentFiles, locateService } from '../environment-model.js';
import type { Finding } from '../finding.js';
import { findingAt, type Rule, type RuleContext } from '../rule.js';

const SECRET_KEY = /(PASSWORD|PASSWD|SECRET|TOKEN|API_?KEY|PRIVATE_KEY|CREDENTIALS)/i;
const REQUIRED_VARIABLE = /^\$\{[A-Za-z_][A-Za-z0-9_]*:?\?[^}]*\}$/;
const URL_PASSWORD = /:\/\/[^:/@\s]*:([^@\s]+)@/;
/** Values that are placeholders wherever they appear. */
const WELL_KNOWN_DEFAULTS = ['password', 'password123', 'changeme', 'secret', 'admin', 'example', 'test'];

const HINT =
  'read it from a Docker secret (NAME_FILE=/run/secrets/name, created by `stack secrets init`) or require it with ${NAME:?message}';

/** True for a variable name that holds a secret (and is not the path of one, NAME_FILE). */
export function isSecretKey(key: string): boolean {
  return SECRET_KEY.test(key) && !key.endsWith('_FILE');
}

/**
 * Staging and production never carry a password in a committed file, nor a development default:
 * secrets come from Docker secrets or `${VAR:?}` (which stops the deploy when unset).
 */
export const productionSecretsRule: Rule = {
  id: 'production-secrets',
  severity: 'error',
  description: 'in production-like environments no literal passwords or development defaults: Docker secrets or ${VAR:?}',
  why: 'a password in a committed file is a password in every clone, and a development default is one anybody can guess',
  fix: 'read it from a Docker secret (NAME_FILE=/run/secrets/name) or require it with ${NAME:?message}',
  check(context: RuleContext): Finding[] {
    const findings: Finding[] = [];
    const developmentDefaults = readDevelopmentDefaults(context.layout.projectDir);
    for (const environment of context.environments) {
      if (!context.settings.productionLike.includes(environment.name)) continue;
      // Every file the environment is written in: itself, what it includes, and what its
      // services extend (transitively: staging may extend production, which extends the base).
      const files = environmentFiles(context.sources, environment).flatMap((file) => [
        file,
        ...context.sources.extendsOf(file).flatMap((entry) => context.sources.definitionChain(file, entry.service).map((definition) => definition.file)),
      ]);
      // As written: a literal secret, or a URL with a literal password.
      for (const sourceFile of new Set(files)) {
        const services = asRecord(context.sources.get(sourceFile).value?.services) ?? {};
        for (const [service, definition] of Object.entries(services)) {
          for (const [key, value] of environmentEntries(asRecord(definition)?.environment)) {
            if (value === null) continue;
            const password = URL_PASSWORD.exec(value)?.[1];
            const literalSecret = isSecretKey(key) && !REQUIRED_VARIABLE.test(value);
            const literalUrlPassword = password !== undefined && !REQUIRED_VARIABLE.test(password);
            if (!literalSecret && !literalUrlPassword) continue;
            const position = context.sources.deepestKey(sourceFile, ['services', service, 'environment', key]) ?? {
              file: sourceFile,
              line: 0,
              column: 0,
            };
            findings.push(
              findingAt(
                productionSecretsRule,
                position,
                `${environment.name}: service ${service} sets ${key} to a ${literalSecret ? 'literal secret' : 'URL with a literal password'}`,
                HINT,
                environment.name,
                service,
              ),
            );
          }
        }
      }
      // As resolved: a value equal to a development default.
      if (!environment.model) continue;
      for (const service of servicesOf(environment.model)) {
        for (const [key, value] of Object.entries(service.environment)) {
          if (value === null || !isSecretKey(key)) continue;
          if (!developmentDefaults.has(value) && !WELL_KNOWN_DEFAULTS.includes(value.toLowerCase())) continue;
          findings.push(
            findingAt(
              productionSecretsRule,
              locateService(context.sources, environment, service.name, ['environment', key]),
              `${environment.name}: service ${service.name} gets a development default for ${key}`,
              HINT,
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

/** Entries of an `environment` in either syntax; a value of null passes the variable through. */
function environmentEntries(environment: unknown): Array<[string, string | null]> {
  if (Array.isArray(environment)) {
    return environment.map((entry: unknown) => {
      const text = scalarText(entry) ?? '';
      const equals = text.indexOf('=');
      return equals === -1 ? [text, null] : [text.slice(0, equals), text.slice(equals + 1)];
    });
  }
  return Object.entries(asRecord(environment) ?? {}).map(([key, value]) => [key, scalarText(value)]);
}

/** Secret values of .env.development: production must never receive one of them. */
function readDevelopmentDefaults(projectDir: string): Set<string> {
  const file = join(projectDir, '.env.development');
  const values = new Set<string>();
  // A folder in its place is the development environment's own finding, not this rule's.
  if (!existsSync(file) || statSync(file).isDirectory()) return values;
  // Read as Compose reads it (quotes, comments, `export`), with the engine's one .env parser.
  for (const [key, value] of parseDotenv(readInputFile(file), undefined, file)) {
    if (isSecretKey(key) && value) values.add(value);
  }
  return values;
}
