/** Where a service answers natively: loopback ports, one per replica. */
export interface NativeAddress {
  ports: number[];
  /**
   * The program runs without authentication (on loopback only), so a URL naming it loses its
   * `user:password@`: credentials the server does not know would be refused.
   */
  withoutCredentials?: boolean;
}

/** Service name → its native address. */
export type AddressBook = ReadonlyMap<string, NativeAddress>;

export const LOOPBACK = '127.0.0.1';

export interface RewriteOptions {
  /** The value may hold a comma-separated list of every replica (a load balancer's upstreams). */
  replicaList?: boolean;
  /** Services that run nothing natively: a value naming one is dropped, so its consumer falls back. */
  embedded: ReadonlySet<string>;
}

// scheme://[user[:pass]@]host[:port][rest]
const URL_PATTERN = /^([a-z][a-z0-9+.-]*:\/\/)([^@/\s]*@)?([a-zA-Z0-9_.-]+)(?::(\d+))?(.*)$/;
// host:port, as nginx upstreams and many clients take an address
const ADDRESS_PATTERN = /^([a-zA-Z0-9_.-]+):(\d+)$/;

/**
 * Rewrites one value that names services (`http://nestjs-api:4001`, `redis://:pw@redis:6379/0`,
 * `gateway:4000`, or a comma-separated list of them) to loopback addresses. Returns undefined when
 * it names a service that runs nothing natively: the variable must then be dropped. Anything else
 * (public hosts, plain words) is returned unchanged.
 */
export function rewriteValue(value: string, book: AddressBook, options: RewriteOptions): string | undefined {
  const parts = value.split(',');
  if (parts.length > 1 && !parts.every((part) => URL_PATTERN.test(part.trim()) || ADDRESS_PATTERN.test(part.trim()))) return value;
  const rewritten: string[] = [];
  for (const raw of parts) {
    const part = raw.trim();
    const url = URL_PATTERN.exec(part);
    const address = url ? undefined : ADDRESS_PATTERN.exec(part);
    const host = url?.[3] ?? address?.[1];
    if (!host) {
      rewritten.push(part);
      continue;
    }
    const target = book.get(host);
    if (!target) {
      // A bare single-label host in a URL is a service name this environment does not run.
      if (options.embedded.has(host) || (url && isServiceHost(host))) return undefined;
      rewritten.push(part);
      continue;
    }
    const ports = options.replicaList ? target.ports : target.ports.slice(0, 1);
    for (const port of ports) {
      if (url) {
        const credentials = target.withoutCredentials ? '' : (url[2] ?? '');
        rewritten.push(`${url[1]}${credentials}${LOOPBACK}:${port}${url[5] ?? ''}`);
      } else {
        rewritten.push(`${LOOPBACK}:${port}`);
      }
    }
  }
  return rewritten.join(',');
}

/**
 * Rewrites every value of an environment with {@link rewriteValue}. Variables naming a service
 * that runs nothing natively are left out and listed in `dropped`.
 */
export function rewriteEnvironment(
  environment: Record<string, string | null | undefined>,
  book: AddressBook,
  options: { replicaLists?: ReadonlySet<string>; embedded: ReadonlySet<string> },
): { environment: Record<string, string>; dropped: string[] } {
  const out: Record<string, string> = {};
  const dropped: string[] = [];
  for (const [key, value] of Object.entries(environment)) {
    if (value === null || value === undefined) continue;
    const rewritten = rewriteValue(value, book, { replicaList: options.replicaLists?.has(key), embedded: options.embedded });
    if (rewritten === undefined) dropped.push(key);
    else out[key] = rewritten;
  }
  return { environment: out, dropped };
}

/** A bare single-label host (`mongodb`, `redis`) is a service name, not a public host. */
function isServiceHost(host: string): boolean {
  return !host.includes('.') && host !== 'localhost';
}
