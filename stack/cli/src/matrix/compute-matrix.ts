import { servicesOf, type ComposeModel, type ServiceView } from '../validate/compose-model.js';
import { startupTiers } from './dependency-graph.js';

/** One dependency of a matrix row. */
export interface MatrixDependency {
  service: string;
  condition: string;
  /** false: `required: false`, the dependant starts without it (e.g. an optional profile). */
  required: boolean;
}

/** One service of the dependency matrix. */
export interface MatrixRow {
  service: string;
  dependsOn: MatrixDependency[];
  /** Startup tier: 1 without dependencies, else one more than the highest dependency. */
  tier: number;
  /** Profiles the service belongs to; empty means it always starts. */
  profiles: string[];
  /** True for services that publish host ports outside development (the edge). */
  edge: boolean;
}

export interface MatrixOptions {
  /** Profiles whose services are shown even when nothing depends on them. */
  profiles?: readonly string[];
  /** Services called "(edge)" in the table. */
  edgeServices?: readonly string[];
}

/**
 * The dependency matrix of a model resolved with every profile enabled: the services that start
 * by default (or with `profiles`), plus every service one of them depends on, even optionally.
 * @throws DependencyCycleError when depends_on has a cycle.
 */
export function computeMatrix(model: ComposeModel, options: MatrixOptions = {}): MatrixRow[] {
  const services = new Map(servicesOf(model).map((service) => [service.name, service]));
  const active = new Set(options.profiles ?? []);
  const shown = new Set<string>();
  const pending = [...services.values()]
    .filter((service) => service.profiles.length === 0 || service.profiles.some((profile) => active.has(profile)))
    .map((service) => service.name);
  while (pending.length > 0) {
    const name = pending.pop() as string;
    if (shown.has(name)) continue;
    shown.add(name);
    for (const dependency of services.get(name)?.dependsOn ?? []) {
      if (services.has(dependency.service)) pending.push(dependency.service);
    }
  }

  const graph = new Map(
    [...shown].map((name) => [name, (services.get(name) as ServiceView).dependsOn.map((dependency) => dependency.service)]),
  );
  const tiers = startupTiers(graph);
  const edgeServices = new Set(options.edgeServices ?? ['nginx']);
  const rows = [...shown].map((name): MatrixRow => {
    const service = services.get(name) as ServiceView;
    const dependsOn = service.dependsOn
      .filter((dependency) => shown.has(dependency.service))
      .map((dependency) => ({ service: dependency.service, condition: dependency.condition, required: dependency.required }))
      .sort((a, b) => (tiers.get(a.service) ?? 0) - (tiers.get(b.service) ?? 0) || a.service.localeCompare(b.service));
    return { service: name, dependsOn, tier: tiers.get(name) ?? 1, profiles: service.profiles, edge: edgeServices.has(name) };
  });
  // By tier; within a tier the services that always start come before optional ones.
  return rows.sort(
    (a, b) =>
      a.tier - b.tier ||
      Number(a.profiles.length > 0) - Number(b.profiles.length > 0) ||
      a.service.localeCompare(b.service),
  );
}
