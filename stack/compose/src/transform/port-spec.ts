import { COMPOSE_ERROR_CODES, ComposeError } from '../errors.js';

/** A service port in long syntax. */
export interface PortMapping {
  mode: 'ingress';
  host_ip?: string;
  target: number;
  published?: string;
  protocol: string;
}

/**
 * Parses the short port syntax `[ip:][published[-end]:]target[-end][/proto]` the way Compose
 * does (docker/go-connections `nat.ParsePortSpec`, then compose-go sorts by "port/proto"), with
 * its quirks: only the first `/` part after the target is the protocol (`80/tcp/x` is 80/tcp),
 * `80/` is tcp, only tcp, udp and sctp are protocols, `1-2-3` is the range 1-2, and a host
 * address with colons needs brackets. Errors carry go-connections' own messages.
 */
export function parsePortSpec(spec: string): PortMapping[] {
  const [rawIp, hostPort, rawContainer] = splitParts(spec);
  const [proto, containerPort] = splitProtoPort(rawContainer);
  const ip = hostOf(rawIp);
  if (ip !== '' && !isIpAddress(ip)) throw invalid(`Invalid ip address: ${ip}`);
  if (containerPort === '') throw invalid(`No port specified: ${spec}<empty>`);
  const container = parsePortRange(containerPort);
  if (!container) throw invalid(`Invalid containerPort: ${containerPort}`);
  const [start, end] = container;
  let [hostStart, hostEnd] = [0, 0];
  if (hostPort !== '') {
    const host = parsePortRange(hostPort);
    if (!host) throw invalid(`Invalid hostPort: ${hostPort}`);
    [hostStart, hostEnd] = host;
  }
  // A host range with a single container port is the range to allocate from.
  if (hostPort !== '' && end - start !== hostEnd - hostStart && end !== start) {
    throw invalid(`Invalid ranges specified for container and host Ports: ${containerPort} and ${hostPort}`);
  }
  const protocol = proto.toLowerCase();
  if (!PROTOCOLS.has(protocol)) throw invalid(`Invalid proto: ${proto}`);
  const mappings: PortMapping[] = [];
  for (let i = 0; i <= end - start; i++) {
    let published = hostPort === '' ? '' : String(hostStart + i);
    if (start === end && hostStart !== hostEnd) published = `${published}-${hostEnd}`;
    const mapping: PortMapping = { mode: 'ingress', target: start + i, protocol };
    if (ip !== '') mapping.host_ip = ip;
    if (published !== '') mapping.published = published;
    mappings.push(mapping);
  }
  // compose-go sorts the expanded ports by their "port/proto" text.
  return mappings.sort((a, b) => {
    const left = `${a.target}/${a.protocol}`;
    const right = `${b.target}/${b.protocol}`;
    return left < right ? -1 : left > right ? 1 : 0;
  });
}

const PROTOCOLS = new Set(['tcp', 'udp', 'sctp']);

/** `ip:published:target`, where an unbracketed IPv6 address keeps every part but the last two. */
function splitParts(spec: string): [string, string, string] {
  const parts = spec.split(':');
  const container = parts[parts.length - 1] ?? '';
  if (parts.length === 1) return ['', '', container];
  if (parts.length === 2) return ['', parts[0] ?? '', container];
  return [parts.slice(0, -2).join(':'), parts[parts.length - 2] ?? '', container];
}

function splitProtoPort(raw: string): [string, string] {
  const parts = raw.split('/');
  if (raw === '' || parts[0] === '') return ['', ''];
  if (parts.length === 1) return ['tcp', raw];
  if (parts[1] === '') return ['tcp', parts[0] ?? ''];
  return [parts[1] ?? '', parts[0] ?? ''];
}

/** The host part of `rawIp + ":"` as Go's net.SplitHostPort takes it: brackets stripped. */
function hostOf(rawIp: string): string {
  const hostport = `${rawIp}:`;
  const last = hostport.length - 1;
  const fail = (why: string): never => {
    throw invalid(`Invalid ip address ${rawIp}: address ${hostport}: ${why}`);
  };
  let host: string;
  let [j, k] = [0, 0];
  if (hostport.startsWith('[')) {
    const end = hostport.indexOf(']');
    if (end < 0) fail("missing ']' in address");
    if (end + 1 !== last) fail(hostport[end + 1] === ':' ? 'too many colons in address' : 'missing port in address');
    host = hostport.slice(1, end);
    [j, k] = [1, end + 1];
  } else {
    host = hostport.slice(0, last);
    if (host.includes(':')) fail('too many colons in address');
  }
  if (hostport.slice(j).includes('[')) fail("unexpected '[' in address");
  if (hostport.slice(k).includes(']')) fail("unexpected ']' in address");
  return host;
}

/**
 * `start[-end]` as go-connections reads it (strconv.ParseUint(s, 10, 16): digits only, at most
 * 65535; parts after a second `-` ignored), or undefined where it fails.
 */
function parsePortRange(text: string): [number, number] | undefined {
  const parts = text.split('-');
  const port = (part: string | undefined) => (part !== undefined && /^[0-9]+$/.test(part) && Number(part) <= 65535 ? Number(part) : undefined);
  const start = port(parts[0]);
  const end = parts.length === 1 ? start : port(parts[1]);
  if (start === undefined || end === undefined || end < start) return undefined;
  return [start, end];
}

/**
 * An address Go's net.ParseIP takes: dotted IPv4 without leading zeros, or IPv6 (with an IPv4
 * tail allowed) without a zone. Written out rather than node:net's isIP, which accepts zones and
 * would load the network stack into every `stack config`.
 */
export function isIpAddress(text: string): boolean {
  return isIpv4(text) || isIpv6(text);
}

function isIpv4(text: string): boolean {
  const parts = text.split('.');
  return parts.length === 4 && parts.every((part) => /^(0|[1-9]\d{0,2})$/.test(part) && Number(part) <= 255);
}

function isIpv6(text: string): boolean {
  const halves = text.split('::');
  if (halves.length > 2) return false;
  const groups = (half: string | undefined) => (half ? half.split(':') : []);
  const head = groups(halves[0]);
  const tail = groups(halves[1]);
  const last = (halves.length === 2 ? tail : head).at(-1);
  let count = head.length + tail.length;
  if (last !== undefined && last.includes('.')) {
    if (!isIpv4(last)) return false;
    (halves.length === 2 ? tail : head).pop();
    count += 1; // the IPv4 tail stands for two groups
  }
  if (![...head, ...tail].every((group) => /^[0-9a-fA-F]{1,4}$/.test(group))) return false;
  return halves.length === 2 ? count <= 7 : count === 8;
}

function invalid(message: string): ComposeError {
  return new ComposeError(COMPOSE_ERROR_CODES.INVALID_SYNTAX, message);
}
