import { existsSync, statSync } from 'node:fs';
import { isAbsolute, join } from 'node:path';
import type { BuildView, ServiceView } from './compose-model.js';
import { baseImageOf, programsAddedBy, readDockerfile, targetStage, userOf, type Dockerfile, type DockerfileStage } from './dockerfile.js';

/** What stack can tell about the image a service runs, without a Docker engine. */
export interface ImageFacts {
  /** The external image the container is based on (`node:24.11.1-alpine3.22`, `mongo:8.0.9`). */
  baseImage: string | undefined;
  /** USER of the built stage; undefined when not built here or when the stage never sets one. */
  dockerfileUser: string | undefined;
  /** Programs the built stage copies in on top of its base image (COPY/ADD destinations). */
  addedPrograms: Set<string>;
}

/** Absolute path of a build's Dockerfile (relative ones are relative to the context). */
export function dockerfilePath(build: BuildView): string {
  return isAbsolute(build.dockerfile) ? build.dockerfile : join(build.context, build.dockerfile);
}

/** Reads the Dockerfile of a build, or undefined when the context or file is missing. */
export function readBuildDockerfile(build: BuildView): Dockerfile | undefined {
  const path = dockerfilePath(build);
  if (!isDirectory(build.context) || !existsSync(path)) return undefined;
  try {
    return readDockerfile(path);
  } catch {
    return undefined;
  }
}

/** Facts about a service's image: from its Dockerfile's target stage when built, else its `image`. */
export function inspectImage(service: ServiceView): ImageFacts {
  const build = service.build;
  if (!build) return { baseImage: service.image, dockerfileUser: undefined, addedPrograms: new Set() };
  const dockerfile = readBuildDockerfile(build);
  const stage: DockerfileStage | undefined = dockerfile && targetStage(dockerfile, build.target);
  if (!dockerfile || !stage) return { baseImage: undefined, dockerfileUser: undefined, addedPrograms: new Set() };
  return { baseImage: baseImageOf(dockerfile, stage), dockerfileUser: userOf(dockerfile, stage), addedPrograms: programsAddedBy(dockerfile, stage) };
}

/**
 * Binaries that images commonly used here do not contain: node images have neither curl nor wget
 * (node:alpine's busybox wget is not something to rely on across variants), Alpine images have no
 * curl, MongoDB's image has neither, distroless images and those built FROM scratch (the
 * OpenTelemetry Collector's, many Go programs') have no shell tools at all.
 */
export function missingBinaries(baseImage: string): string[] {
  const name = baseImage.toLowerCase();
  const repository = name.split(':')[0] ?? name;
  const shortName = repository.split('/').at(-1) ?? repository;
  if (name.includes('distroless') || repository === 'scratch' || shortName.startsWith('opentelemetry-collector')) return ['curl', 'wget', 'sh', 'bash'];
  if (shortName === 'node') return ['curl', 'wget'];
  if (shortName === 'mongo') return ['curl', 'wget'];
  if (name.includes('alpine')) return ['curl'];
  return [];
}

/** Repositories of data stores: a service built on one of them holds data. */
const DATA_IMAGES =
  /^(?:.*\/)?(mongo|redis|valkey|keydb|dragonfly|postgres|postgis|timescaledb|mysql|mariadb|percona|elasticsearch|opensearch|memcached|cassandra|scylla|couchdb|couchbase|neo4j|influxdb|clickhouse-server|rabbitmq|nats|minio|etcd|zookeeper|kafka|cp-kafka|redpanda|qdrant|weaviate|milvus|meilisearch|typesense|solr)(?::|@|$)/;

/** Whether an image reference names a data store (database, cache, queue, object or search store). */
export function isDataImage(image: string): boolean {
  return DATA_IMAGES.test(image.toLowerCase());
}

export function isDirectory(path: string): boolean {
  try {
    return statSync(path).isDirectory();
  } catch {
    return false;
  }
}
