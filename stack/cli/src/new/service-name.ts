/** Names a new service may not take: folders and packages the repository already uses for other things. */
const RESERVED = new Set(['shared', 'frontend', 'e2e', 'stack', 'compose', 'cli', 'backend', 'config', 'scripts', 'docs', 'node_modules', 'dist']);

/** Compose service names, npm package names and folder names all accept this: lower case, digits, single dashes. */
const SERVICE_NAME_PATTERN = /^[a-z][a-z0-9]*(?:-[a-z0-9]+)*$/;
const MAX_LENGTH = 40;

/** What is wrong with `name` as a new service's name, or undefined when it is fine. */
export function serviceNameProblem(name: string): string | undefined {
  if (!SERVICE_NAME_PATTERN.test(name)) return `invalid service name "${name}": use lower-case letters, digits and single dashes, starting with a letter (e.g. billing-api)`;
  if (name.length > MAX_LENGTH) return `invalid service name "${name}": at most ${MAX_LENGTH} characters`;
  if (RESERVED.has(name)) return `invalid service name "${name}": the repository uses that name for something else`;
  return undefined;
}

/** The name as a Prometheus metric prefix (`billing-api` → `billing_api`). */
export function metricPrefix(name: string): string {
  return name.replaceAll('-', '_');
}
