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
 * Parses the short port syntax like Docker does: `[ip:][published[-end]:]target[-end][/proto]`,
 * IPv6 host addresses in brackets. Ranges expand to one mapping per port.
 */
export function parsePortSpec(spec: string): PortMapping[] {
  let rest = spec;
  let protocol = 'tcp';
  const slash = rest.lastIndexOf('/');
  if (slash >= 0) {
    protocol = rest.slice(slash + 1).toLowerCase();
    rest = rest.slice(0, slash);
    if (protocol === '') throw invalid(spec, 'no protocol after /');
  }
  let hostIp: string | undefined;
  let published = '';
  let target: string;
  const bracket = /^\[([^\]]+)\]:(.*)$/.exec(rest);
  if (bracket) {
    hostIp = bracket[1];
    const remaining = bracket[2] ?? '';
    const colon = remaining.lastIndexOf(':');
    published = colon >= 0 ? remaining.slice(0, colon) : '';
    target = colon >= 0 ? remaining.slice(colon + 1) : remaining;
  } else {
    const parts = rest.split(':');
    if (parts.length === 1) target = parts[0] ?? '';
    else if (parts.length === 2) [published, target] = [parts[0] ?? '', parts[1] ?? ''];
    else if (parts.length === 3) [hostIp, published, target] = [parts[0], parts[1] ?? '', parts[2] ?? ''];
    else {
      // An IPv6 address without brackets: everything but the last two parts.
      target = parts.pop() ?? '';
      published = parts.pop() ?? '';
      hostIp = parts.join(':');
    }
  }
  if (hostIp !== undefined && hostIp !== '' && !isIpAddress(hostIp)) throw invalid(spec, `Invalid ip address: ${hostIp}`);
  if (hostIp === '') hostIp = undefined;
  const [targetStart, targetEnd] = parseRange(target, spec, 'container port');
  const count = targetEnd - targetStart + 1;
  let publishedRange: [number, number] | undefined;
  if (published !== '') publishedRange = parseRange(published, spec, 'host port');
  const mappings: PortMapping[] = [];
  for (let i = 0; i < count; i++) {
    const mapping: PortMapping = { mode: 'ingress', target: targetStart + i, protocol };
    if (hostIp !== undefined) mapping.host_ip = hostIp;
    if (publishedRange) {
      const [start, end] = publishedRange;
      if (end - start + 1 === count) mapping.published = String(start + i);
      else if (count === 1) mapping.published = start === end ? String(start) : `${start}-${end}`;
      else throw invalid(spec, 'port ranges do not have the same length');
    }
    mappings.push(mapping);
  }
  // Docker sorts the expanded ports by their "port/proto" text.
  return mappings.sort((a, b) => {
    const left = `${a.target}/${a.protocol}`;
    const right = `${b.target}/${b.protocol}`;
    return left < right ? -1 : left > right ? 1 : 0;
  });
}

function parseRange(text: string, spec: string, what: string): [number, number] {
  const match = /^(\d+)(?:-(\d+))?$/.exec(text);
  if (!match) throw invalid(spec, `invalid ${what}: ${JSON.stringify(text)}`);
  const start = Number.parseInt(match[1] ?? '', 10);
  const end = match[2] === undefined ? start : Number.parseInt(match[2], 10);
  if (start > 65535 || end > 65535 || end < start) throw invalid(spec, `invalid ${what} range: ${text}`);
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

function invalid(spec: string, reason: string): ComposeError {
  return new ComposeError(COMPOSE_ERROR_CODES.INVALID_SYNTAX, `invalid port ${JSON.stringify(spec)}: ${reason}`);
}
