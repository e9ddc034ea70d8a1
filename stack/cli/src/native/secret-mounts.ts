import { posix } from 'node:path';

/** Where Compose mounts a secret whose `target` is missing or relative. */
export const SECRETS_MOUNT_DIR = '/run/secrets';

/** A service's `secrets:` entry as the resolved model holds it (short syntax is a bare name). */
export type ServiceSecretEntry = string | { source?: string; target?: string };

/** A top-level `secrets:` entry. */
export interface SecretDefinition {
  file?: string;
  environment?: string;
  external?: unknown;
  'x-generate'?: unknown;
}

/** One secret a service sees: which one, at which path inside the container, and where it comes from. */
export interface SecretMount {
  secret: string;
  /** Absolute path the service is told (`/run/secrets/NAME` or the long syntax's `target`). */
  target: string;
  source: { file: string } | { variable: string };
  /** `x-generate` is set: `stack secrets init` can create the file. */
  generated: boolean;
}

/** A secret that cannot reach a service natively, in one line. */
export class SecretMountError extends Error {}

/**
 * The secrets `service` mounts, with their container paths and sources.
 * @throws SecretMountError for a secret that is not defined, or external (the engine owns it).
 */
export function secretMountsOf(
  service: string,
  entries: readonly ServiceSecretEntry[] | undefined,
  definitions: Readonly<Record<string, SecretDefinition>>,
): SecretMount[] {
  const mounts: SecretMount[] = [];
  for (const entry of entries ?? []) {
    const secret = typeof entry === 'string' ? entry : entry.source;
    if (!secret) continue;
    const definition = definitions[secret];
    if (!definition) throw new SecretMountError(`service ${service} mounts secret ${secret}, which the top-level secrets: section does not define`);
    const target = secretTarget(secret, typeof entry === 'string' ? undefined : entry.target);
    const generated = definition['x-generate'] !== undefined;
    if (typeof definition.file === 'string') mounts.push({ secret, target, source: { file: definition.file }, generated });
    else if (typeof definition.environment === 'string') mounts.push({ secret, target, source: { variable: definition.environment }, generated });
    else if (definition.external) {
      throw new SecretMountError(
        `secret ${secret} (mounted by ${service}) is external: the Docker engine holds it; natively give it a file: (or environment:) source`,
      );
    } else throw new SecretMountError(`secret ${secret} (mounted by ${service}) has neither file: nor environment:`);
  }
  return mounts;
}

function secretTarget(secret: string, target: string | undefined): string {
  if (!target) return posix.join(SECRETS_MOUNT_DIR, secret);
  return posix.isAbsolute(target) ? posix.normalize(target) : posix.join(SECRETS_MOUNT_DIR, target);
}

/**
 * Replaces the container paths of mounted files inside a value by their host paths: the whole value
 * (`MONGODB_URI_FILE=/run/secrets/mongodb_uri`) or a path inside it (`--config=/run/secrets/x`).
 * A path only matches up to a boundary, so `/run/secrets/a` never rewrites `/run/secrets/ab`.
 */
export function mapContainerPaths(value: string, paths: ReadonlyMap<string, string>): string {
  let out = value;
  // Longest first, so a file inside a mounted folder wins over the folder.
  for (const [container, host] of [...paths].sort((a, b) => b[0].length - a[0].length)) {
    out = out.replace(new RegExp(`(^|[\\s=:,"'])${escapeRegExp(container)}(?=$|[\\s,;"'/])`, 'g'), (_, before: string) => `${before}${host}`);
  }
  return out;
}

function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}
