import { describe, expect, it } from 'vitest';
import { cleanPath } from './canonical.js';
import { parsePortSpec } from './port-spec.js';
import { parseVolumeSpec } from './volume-spec.js';

describe('parsePortSpec', () => {
  it.each([
    ['80', [{ mode: 'ingress', target: 80, protocol: 'tcp' }]],
    ['8080:80', [{ mode: 'ingress', target: 80, published: '8080', protocol: 'tcp' }]],
    ['53:53/udp', [{ mode: 'ingress', target: 53, published: '53', protocol: 'udp' }]],
    ['127.0.0.1:8053:8053', [{ mode: 'ingress', host_ip: '127.0.0.1', target: 8053, published: '8053', protocol: 'tcp' }]],
    ['[::1]:80:80', [{ mode: 'ingress', host_ip: '::1', target: 80, published: '80', protocol: 'tcp' }]],
    ['8000-8001:80', [{ mode: 'ingress', target: 80, published: '8000-8001', protocol: 'tcp' }]],
    [
      '9000-9001:9000-9001',
      [
        { mode: 'ingress', target: 9000, published: '9000', protocol: 'tcp' },
        { mode: 'ingress', target: 9001, published: '9001', protocol: 'tcp' },
      ],
    ],
  ])('%s', (spec, expected) => {
    expect(parsePortSpec(spec)).toEqual(expected);
  });

  it.each([
    ['80/', [{ mode: 'ingress', target: 80, protocol: 'tcp' }]],
    ['80/UDP/x', [{ mode: 'ingress', target: 80, protocol: 'udp' }]],
    ['1-2-3', [{ mode: 'ingress', target: 1, protocol: 'tcp' }, { mode: 'ingress', target: 2, protocol: 'tcp' }]],
  ])('reads %s as go-connections does', (spec, expected) => {
    expect(parsePortSpec(spec)).toEqual(expected);
  });

  it.each([
    ['abc', 'Invalid containerPort: abc'],
    ['127.0.1:80:80', 'Invalid ip address: 127.0.1'],
    ['1-3:4-5', 'Invalid ranges specified for container and host Ports: 4-5 and 1-3'],
    ['70000', 'Invalid containerPort: 70000'],
    ['80/icmp', 'Invalid proto: icmp'],
    ['::1:80:80', 'Invalid ip address ::1: address ::1:: too many colons in address'],
    ['80:', 'No port specified: 80:<empty>'],
  ])('refuses %s', (spec, message) => {
    expect(() => parsePortSpec(spec)).toThrow(message);
  });
});

describe('parseVolumeSpec', () => {
  it.each([
    ['data:/var/lib/data', { type: 'volume', source: 'data', target: '/var/lib/data', volume: {} }],
    ['./conf:/etc/app:ro', { type: 'bind', source: './conf', target: '/etc/app', read_only: true, bind: { create_host_path: true } }],
    ['/cache', { type: 'volume', target: '/cache', volume: {} }],
    ['/c', { type: 'volume', target: '/c' }],
    ['logs:/logs:rw,nocopy', { type: 'volume', source: 'logs', target: '/logs', volume: { nocopy: true } }],
    ['.:/src:z', { type: 'bind', source: '.', target: '/src', bind: { selinux: 'z', create_host_path: true } }],
    ['${DIR:-./x}:/x', { type: 'volume', source: '${DIR:-./x}', target: '/x', volume: {} }],
    ['C:\\data:/data', { type: 'bind', source: 'C:\\data', target: '/data', bind: { create_host_path: true } }],
  ])('%s', (spec, expected) => {
    expect(parseVolumeSpec(spec)).toEqual(expected);
  });

  it.each(['', 'src::dst', 'src:/dst:ro:extra'])('refuses %j', (spec) => {
    expect(() => parseVolumeSpec(spec)).toThrow(/invalid volume spec/);
  });
});

describe('cleanPath', () => {
  it.each([
    ['/a/b/../c/', '/a/c'],
    ['/a//b/./c', '/a/b/c'],
    ['a/../..', '..'],
    ['', '.'],
  ])('%s → %s', (path, expected) => {
    expect(cleanPath(path)).toBe(expected);
  });
});
