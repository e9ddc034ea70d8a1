import { describe, expect, it } from 'vitest';
import { diffModels, formatPath } from './model-diff.js';

describe('diffModels', () => {
  it('finds nothing in equal models', () => {
    expect(diffModels({ services: { a: { image: 'x', ports: [{ target: 1 }] } } }, { services: { a: { image: 'x', ports: [{ target: 1 }] } } })).toEqual([]);
  });

  it('reports keys only on one side and changed scalars by path', () => {
    expect(diffModels({ services: { a: { image: 'x', init: true } } }, { services: { a: { image: 'y', restart: 'always' } } })).toEqual([
      { path: ['services', 'a', 'image'], kind: 'changed', left: 'x', right: 'y' },
      { path: ['services', 'a', 'init'], kind: 'removed', left: true },
      { path: ['services', 'a', 'restart'], kind: 'added', right: 'always' },
    ]);
  });

  it('compares lists of scalars whole', () => {
    expect(diffModels({ cap_drop: ['ALL', 'NET_RAW'] }, { cap_drop: ['NET_RAW'] })).toEqual([
      { path: ['cap_drop'], kind: 'changed', left: ['ALL', 'NET_RAW'], right: ['NET_RAW'] },
    ]);
  });

  it('matches volumes by target, so an inserted mount is one addition', () => {
    const left = { volumes: [{ target: '/a', source: 'x' }, { target: '/c', source: 'z' }] };
    const right = { volumes: [{ target: '/a', source: 'x' }, { target: '/b', source: 'y' }, { target: '/c', source: 'w' }] };
    expect(diffModels(left, right)).toEqual([
      { path: ['volumes', '1', 'source'], kind: 'changed', left: 'z', right: 'w' },
      { path: ['volumes', '1'], kind: 'added', right: { target: '/b', source: 'y' } },
    ]);
  });

  it('matches ports by target and protocol, so a new published port is a change', () => {
    expect(diffModels({ ports: [{ target: 80, published: '8080', protocol: 'tcp' }] }, { ports: [{ target: 80, published: '80', protocol: 'tcp' }] })).toEqual([
      { path: ['ports', '0', 'published'], kind: 'changed', left: '8080', right: '80' },
    ]);
  });
});

describe('formatPath', () => {
  it('writes list items in brackets and quotes keys with dots', () => {
    expect(formatPath(['services', 'api', 'ports', '0', 'published'])).toBe('services.api.ports[0].published');
    expect(formatPath(['services', 'api', 'labels', 'com.example.tier'])).toBe('services.api.labels."com.example.tier"');
  });
});
