import { describe, expect, it } from 'vitest';
import { DependencyCycleError, findDependencyCycle, startupTiers } from './dependency-graph.js';

describe('startupTiers', () => {
  it('puts each service one tier above its highest dependency', () => {
    const graph = new Map([
      ['db', []],
      ['api', ['db']],
      ['worker', ['db', 'api']],
      ['web', ['worker', 'missing']],
    ]);
    expect(Object.fromEntries(startupTiers(graph))).toEqual({ db: 1, api: 2, worker: 3, web: 4 });
  });

  it('refuses a cycle, naming it', () => {
    const graph = new Map([
      ['a', ['b']],
      ['b', ['c']],
      ['c', ['a']],
      ['d', []],
    ]);
    expect(findDependencyCycle(graph)).toEqual(['a', 'b', 'c', 'a']);
    expect(() => startupTiers(graph)).toThrow(new DependencyCycleError(['a', 'b', 'c', 'a']));
  });

  it('finds a service that depends on itself', () => {
    expect(findDependencyCycle(new Map([['a', ['a']]]))).toEqual(['a', 'a']);
  });

  it('finds no cycle in a diamond', () => {
    expect(
      findDependencyCycle(
        new Map([
          ['top', ['left', 'right']],
          ['left', ['bottom']],
          ['right', ['bottom']],
          ['bottom', []],
        ]),
      ),
    ).toBeUndefined();
  });
});
