import { STACK_ERROR_CODES, StackError } from '../errors.js';

/** Service name → names of the services it depends on. */
export type DependencyGraph = ReadonlyMap<string, readonly string[]>;

/**
 * A dependency cycle of `graph` as a path that starts and ends with the same service
 * (`a -> b -> a`), or undefined. Dependencies outside the graph are ignored.
 */
export function findDependencyCycle(graph: DependencyGraph): string[] | undefined {
  const state = new Map<string, 'visiting' | 'done'>();
  const stack: string[] = [];
  const visit = (name: string): string[] | undefined => {
    state.set(name, 'visiting');
    stack.push(name);
    for (const dependency of [...(graph.get(name) ?? [])].sort()) {
      if (!graph.has(dependency)) continue;
      const seen = state.get(dependency);
      if (seen === 'visiting') return [...stack.slice(stack.indexOf(dependency)), dependency];
      if (seen === undefined) {
        const cycle = visit(dependency);
        if (cycle) return cycle;
      }
    }
    stack.pop();
    state.set(name, 'done');
    return undefined;
  };
  for (const name of [...graph.keys()].sort()) {
    if (state.has(name)) continue;
    const cycle = visit(name);
    if (cycle) return cycle;
  }
  return undefined;
}

/**
 * Startup tier of every service: 1 without dependencies, otherwise one more than its highest
 * dependency. Dependencies outside the graph are ignored.
 * @throws DependencyCycleError when the graph has a cycle.
 */
export function startupTiers(graph: DependencyGraph): Map<string, number> {
  const cycle = findDependencyCycle(graph);
  if (cycle) throw new DependencyCycleError(cycle);
  const tiers = new Map<string, number>();
  const tierOf = (name: string): number => {
    const known = tiers.get(name);
    if (known !== undefined) return known;
    const dependencies = (graph.get(name) ?? []).filter((dependency) => graph.has(dependency));
    const tier = 1 + Math.max(0, ...dependencies.map(tierOf));
    tiers.set(name, tier);
    return tier;
  };
  for (const name of graph.keys()) tierOf(name);
  return tiers;
}

/** A depends_on cycle: no startup order exists. */
export class DependencyCycleError extends StackError {
  override name = 'DependencyCycleError';

  constructor(readonly cycle: readonly string[]) {
    super(STACK_ERROR_CODES.DEPENDENCY_CYCLE, `dependency cycle: ${cycle.join(' -> ')}`);
  }
}
