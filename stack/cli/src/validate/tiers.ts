import { servicesOf, type ComposeModel, type ServiceView } from './compose-model.js';
import { inspectImage, isDataImage } from './image-inspection.js';

/**
 * The tiers of the architecture, read from a resolved model rather than from names: the edge (the
 * service that faces the outside world), its upstreams (what the edge proxies to: its direct
 * dependencies, e.g. a gateway and a frontend), what sits behind them (every service those depend
 * on, transitively: the APIs), and the data services (databases, caches, search engines).
 */
export interface Tiers {
  edge: string;
  /** The edge's direct dependencies: the only services it should reach. */
  upstreams: Set<string>;
  /** Services the upstreams depend on, transitively, minus the upstreams and the edge. */
  behind: Set<string>;
  data: Set<string>;
}

/** How the edge of a project was found, for messages. */
export interface EdgeChoice {
  service: string | undefined;
  /** Services publishing host ports when none could be chosen among them. */
  candidates: string[];
}

/**
 * The edge of one model: the service named in `x-stack.edge`, else the one service that publishes
 * host ports, else, among several that do, the one no other of them depends on (a proxy in front
 * of a gateway that also publishes a port). Undefined when that still leaves none or several.
 */
export function findEdge(model: ComposeModel, named: string | undefined): EdgeChoice {
  if (named) return { service: named, candidates: [] };
  const services = servicesOf(model);
  const publishers = services.filter((service) => service.ports.length > 0).map((service) => service.name);
  if (publishers.length <= 1) return { service: publishers[0], candidates: publishers };
  const graph = dependencyGraph(services);
  const roots = publishers.filter((name) => !publishers.some((other) => other !== name && reachable(graph, other).has(name)));
  return { service: roots.length === 1 ? roots[0] : undefined, candidates: publishers };
}

/** A service that holds data: its image (or the image its Dockerfile builds on) is a data store. */
export function isDataService(service: ServiceView): boolean {
  const image = service.build ? inspectImage(service).baseImage : service.image;
  return image !== undefined && isDataImage(image);
}

/** The tiers of `model` around `edge`, or undefined when the edge is not in the model. */
export function tiersOf(model: ComposeModel, edge: string): Tiers | undefined {
  const services = servicesOf(model);
  const edgeService = services.find((service) => service.name === edge);
  if (!edgeService) return undefined;
  const graph = dependencyGraph(services);
  const upstreams = new Set((graph.get(edge) ?? []).filter((name) => graph.has(name)));
  const behind = new Set<string>();
  for (const upstream of upstreams) {
    for (const name of reachable(graph, upstream)) {
      if (name !== edge && !upstreams.has(name)) behind.add(name);
    }
  }
  const data = new Set(services.filter(isDataService).map((service) => service.name));
  return { edge, upstreams, behind, data };
}

function dependencyGraph(services: readonly ServiceView[]): Map<string, string[]> {
  return new Map(services.map((service) => [service.name, service.dependsOn.map((dependency) => dependency.service)]));
}

/** Every service `start` depends on, transitively (not `start` itself unless in a cycle). */
function reachable(graph: ReadonlyMap<string, readonly string[]>, start: string): Set<string> {
  const seen = new Set<string>();
  const pending = [...(graph.get(start) ?? [])];
  while (pending.length > 0) {
    const name = pending.pop() as string;
    if (seen.has(name)) continue;
    seen.add(name);
    pending.push(...(graph.get(name) ?? []));
  }
  return seen;
}
