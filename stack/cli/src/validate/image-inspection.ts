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
 * Official images built straight on Alpine that add no HTTP client or bash of their own: BusyBox
 * gives them `sh` and `wget`, never `curl` or `bash`.
 */
const PLAIN_ALPINE_IMAGES = /^(?:.*\/)?(alpine|node|redis|postgres|python|golang|memcached|busybox)$/;

/** nginx's official image and its unprivileged twin (nginxinc/nginx-unprivileged), built the same way. */
const NGINX_IMAGES = /^(?:.*\/)?(nginx|nginx-unprivileged)$/;

/**
 * The programs an image is known to lack, read from the Dockerfiles of the images (and variants)
 * below; an image not known here may install anything, so nothing is claimed for it (an Alpine
 * tag alone says nothing: `nginx:*-alpine` adds curl to Alpine).
 * - distroless images, images FROM scratch (the OpenTelemetry Collector's): no shell tools at all.
 * - nginx and nginxinc/nginx-unprivileged: curl in every variant but `alpine-slim`; the Alpine
 *   ones have BusyBox's wget, the Debian ones no wget.
 * - node: `-alpine` BusyBox's wget, no curl; `-slim` neither; the full (buildpack-deps) variants
 *   both.
 * - mongo (Ubuntu, nothing added): neither curl nor wget.
 * - the plain Alpine images ({@link PLAIN_ALPINE_IMAGES}) on an Alpine tag: no curl, no bash.
 */
export function missingBinaries(baseImage: string): string[] {
  const name = baseImage.toLowerCase().split('@')[0] ?? '';
  const colon = name.lastIndexOf(':');
  const hasTag = colon > name.lastIndexOf('/');
  const repository = hasTag ? name.slice(0, colon) : name;
  const tag = hasTag ? name.slice(colon + 1) : 'latest';
  const official = repository.replace(/^(docker\.io\/)?(library\/)?/, '');
  const shortName = repository.split('/').at(-1) ?? repository;
  const alpine = tag.includes('alpine');
  if (name.includes('distroless') || repository === 'scratch' || shortName.startsWith('opentelemetry-collector')) return ['curl', 'wget', 'sh', 'bash'];
  // Official images only (no namespace), and nginx's own organisation's.
  const known = !official.includes('/') || official.startsWith('nginxinc/');
  if (known && NGINX_IMAGES.test(official)) {
    if (alpine) return tag.includes('slim') ? ['curl', 'bash'] : ['bash'];
    return ['wget'];
  }
  if (official === 'node') {
    if (alpine) return ['curl', 'bash'];
    return tag.includes('slim') ? ['curl', 'wget'] : [];
  }
  if (official === 'mongo') return ['curl', 'wget'];
  if (known && alpine && PLAIN_ALPINE_IMAGES.test(official)) return ['curl', 'bash'];
  if (official === 'alpine') return ['curl', 'bash'];
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
