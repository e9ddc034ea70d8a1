import type { IncomingHttpHeaders } from 'node:http';

/**
 * Headers that describe one connection, not the message (RFC 9110 §7.6.1): never forwarded in
 * either direction. `host` is handled separately.
 */
const HOP_BY_HOP = new Set(['connection', 'keep-alive', 'proxy-connection', 'proxy-authenticate', 'proxy-authorization', 'te', 'trailer', 'transfer-encoding', 'upgrade']);

/** Headers about the client that only a trusted proxy may set; dropped otherwise. */
const CLIENT_CLAIMS = new Set(['x-forwarded-for', 'x-forwarded-proto', 'x-forwarded-host', 'x-forwarded-port', 'forwarded', 'x-real-ip']);

/** What the gateway knows about the request it forwards. */
export interface ForwardContext {
  /** The address of the TCP peer (the client or a proxy in front of us). */
  peerAddress: string;
  /** Whether the peer is one of TRUSTED_PROXIES, so its X-Forwarded-* claims are believed. */
  peerTrusted: boolean;
  /** The client address after walking trusted proxies (Fastify's `request.ip`). */
  clientAddress: string;
  requestId: string;
  traceparent: string;
}

/**
 * Builds the header object sent upstream: the client's headers minus hop-by-hop ones (and those
 * named in its `Connection` header), with X-Forwarded-*, X-Real-IP, the request id and the
 * gateway's `traceparent`. From an untrusted peer, incoming X-Forwarded-* are replaced, not
 * extended, so a spoofed chain never reaches the services.
 */
export function buildUpstreamHeaders(incoming: IncomingHttpHeaders, context: ForwardContext): Record<string, string | string[]> {
  const connectionTokens = listedConnectionTokens(incoming.connection);
  const headers: Record<string, string | string[]> = {};
  for (const name in incoming) {
    const value = incoming[name];
    if (value === undefined || HOP_BY_HOP.has(name)) continue;
    if (connectionTokens !== undefined && connectionTokens.has(name)) continue;
    if (!context.peerTrusted && CLIENT_CLAIMS.has(name)) continue;
    headers[name] = value;
  }
  const priorChain = context.peerTrusted ? incoming['x-forwarded-for'] : undefined;
  headers['x-forwarded-for'] = priorChain ? `${Array.isArray(priorChain) ? priorChain.join(', ') : priorChain}, ${context.peerAddress}` : context.peerAddress;
  if (headers['x-forwarded-proto'] === undefined) headers['x-forwarded-proto'] = 'http';
  if (headers['x-forwarded-host'] === undefined && incoming.host !== undefined) headers['x-forwarded-host'] = incoming.host;
  headers['x-real-ip'] = context.clientAddress;
  headers['x-request-id'] = context.requestId;
  headers.traceparent = context.traceparent;
  return headers;
}

function listedConnectionTokens(connection: string | undefined): Set<string> | undefined {
  if (connection === undefined) return undefined;
  // The common values name no extra headers; skip the split for them.
  const lowered = connection.toLowerCase();
  if (lowered === 'keep-alive' || lowered === 'close') return undefined;
  return new Set(lowered.split(',').map((token) => token.trim()));
}

/**
 * Headers the gateway adds to every response unless the upstream set its own (e.g. a stricter or
 * looser Content-Security-Policy for an API docs page), precomputed once at start.
 */
export class DefaultResponseHeaders {
  /** Flat [name, value, ...] pairs. */
  readonly pairs: readonly string[];
  private readonly indexByName: ReadonlyMap<string, number>;

  constructor(headers: Readonly<Record<string, string>>) {
    const pairs: string[] = [];
    const indexByName = new Map<string, number>();
    for (const [name, value] of Object.entries(headers)) {
      indexByName.set(name.toLowerCase(), pairs.length / 2);
      pairs.push(name, value);
    }
    if (pairs.length / 2 > 28) throw new Error('at most 28 default response headers are supported');
    this.pairs = pairs;
    this.indexByName = indexByName;
  }

  /** Bit of `loweredName` in the "already set" mask, or 0 when it is not a default header. */
  bitOf(loweredName: string): number {
    const index = this.indexByName.get(loweredName);
    return index === undefined ? 0 : 1 << index;
  }

  /** Appends the default headers whose bit is not in `presentMask`. */
  appendMissing(into: string[], presentMask: number): void {
    const pairs = this.pairs;
    for (let index = 0; index < pairs.length; index += 2) {
      if ((presentMask & (1 << (index / 2))) === 0) into.push(pairs[index]!, pairs[index + 1]!);
    }
  }
}

/** What `copyResponseHeaders` learned while copying. */
export const RESPONSE_IS_EVENT_STREAM = 1 << 30;
export const RESPONSE_HAS_REQUEST_ID = 1 << 29;

/**
 * Copies an upstream's response headers ([name, value, ...] as the upstream pool parsed them) into the flat
 * [name, value, ...] array `writeHead` takes, minus hop-by-hop ones. Returns a mask of the default
 * headers the upstream already set, plus RESPONSE_IS_EVENT_STREAM for server-sent events, which
 * must reach the client without waiting for a first body chunk, and RESPONSE_HAS_REQUEST_ID.
 */
export function copyResponseHeaders(raw: readonly string[], into: string[], defaults: DefaultResponseHeaders): number {
  let mask = 0;
  for (let index = 0; index < raw.length; index += 2) {
    const name = raw[index]!;
    const lowered = name.toLowerCase();
    if (HOP_BY_HOP.has(lowered)) continue;
    const value = raw[index + 1]!;
    if (lowered === 'content-type' && value.startsWith('text/event-stream')) mask |= RESPONSE_IS_EVENT_STREAM;
    else if (lowered === 'x-request-id') mask |= RESPONSE_HAS_REQUEST_ID;
    mask |= defaults.bitOf(lowered);
    into.push(name, value);
  }
  return mask;
}
