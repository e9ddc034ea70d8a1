import { describe, expect, it } from 'vitest';
import { mergeModels } from './merge.js';
import { enforceUnicity } from './unicity.js';

/** Merges `override` over `base` for one service and applies unicity, like two -f files. */
function mergeService(base: Record<string, unknown>, override: Record<string, unknown>): Record<string, unknown> {
  const merged = enforceUnicity(mergeModels({ services: { app: base } }, { services: { app: override } }));
  return (merged.services as Record<string, Record<string, unknown>>).app ?? {};
}

describe('merge rules per key', () => {
  it('replaces scalars', () => {
    expect(mergeService({ image: 'a:1', restart: 'no' }, { image: 'a:2' })).toMatchObject({ image: 'a:2', restart: 'no' });
  });

  it('replaces command, entrypoint and healthcheck.test entirely', () => {
    const merged = mergeService(
      { command: ['a', 'b'], entrypoint: 'x', healthcheck: { test: ['CMD', 'a'], interval: '5s' } },
      { command: 'c', entrypoint: ['y'], healthcheck: { test: ['CMD-SHELL', 'b'] } },
    );
    expect(merged).toMatchObject({ command: 'c', entrypoint: ['y'], healthcheck: { test: ['CMD-SHELL', 'b'], interval: '5s' } });
  });

  it('merges environment and labels by key across list and map syntax', () => {
    const merged = mergeService({ environment: ['A=1', 'B=2'], labels: { x: 'a' } }, { environment: { B: 3, C: 'c' }, labels: ['x=b', 'y=c'] });
    expect(merged.environment).toEqual(['A=1', 'B=3', 'C=c']);
    expect(merged.labels).toEqual(['x=b', 'y=c']);
  });

  it('appends ports and keeps an identical mapping once', () => {
    expect(mergeService({ ports: ['80:80'] }, { ports: ['80:80', '443:443'] }).ports).toEqual(['80:80', '443:443']);
  });

  it('merges volumes by container target, the later entry winning in place', () => {
    const merged = mergeService({ volumes: ['one:/data', './x:/x'] }, { volumes: ['two:/data'] });
    expect(merged.volumes).toEqual(['two:/data', './x:/x']);
  });

  it('unions cap_add, dns and tmpfs', () => {
    const merged = mergeService({ cap_add: ['A'], dns: '1.1.1.1', tmpfs: '/tmp' }, { cap_add: ['B', 'A'], dns: ['1.1.1.1', '8.8.8.8'], tmpfs: ['/run'] });
    expect(merged).toMatchObject({ cap_add: ['A', 'B'], dns: ['1.1.1.1', '8.8.8.8'], tmpfs: ['/tmp', '/run'] });
  });

  it('merges depends_on short and long syntax, later conditions winning', () => {
    const merged = mergeService({ depends_on: ['db', 'cache'] }, { depends_on: { db: { condition: 'service_healthy' } } });
    expect(merged.depends_on).toEqual({
      db: { condition: 'service_healthy', required: true },
      cache: { condition: 'service_started', required: true },
    });
  });

  it('turns a string build into a mapping before merging', () => {
    expect(mergeService({ build: './app' }, { build: { target: 'dev' } }).build).toEqual({ context: './app', target: 'dev' });
  });

  it('merges logging options only when the driver is the same or not repeated', () => {
    expect(mergeService({ logging: { driver: 'a', options: { x: '1' } } }, { logging: { options: { y: '2' } } }).logging).toEqual({
      driver: 'a',
      options: { x: '1', y: '2' },
    });
    expect(mergeService({ logging: { driver: 'a', options: { x: '1' } } }, { logging: { driver: 'b', options: { y: '2' } } }).logging).toEqual({
      driver: 'b',
      options: { y: '2' },
    });
  });

  it('merges service networks by name and their aliases', () => {
    const merged = mergeService({ networks: { back: { aliases: ['a'] } } }, { networks: { back: { aliases: ['b'] }, front: null } });
    expect(merged.networks).toEqual({ back: { aliases: ['a', 'b'] }, front: null });
  });

  it('replaces a ulimit entirely', () => {
    expect(mergeService({ ulimits: { nofile: { soft: 1, hard: 2 } } }, { ulimits: { nofile: 5 } }).ulimits).toEqual({ nofile: 5 });
  });

  it('keeps extra_hosts of both files without duplicates', () => {
    expect(mergeService({ extra_hosts: ['a:1'] }, { extra_hosts: { a: '1', b: '2' } }).extra_hosts).toEqual(['a:1', 'a=1', 'b=2']);
  });

  it('refuses to merge a mapping over a list', () => {
    expect(() => mergeService({ deploy: { labels: ['a=1'] } }, { deploy: ['x'] })).toThrow(/cannot override services\.app\.deploy/);
  });
});
