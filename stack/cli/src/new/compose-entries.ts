import { basename } from 'node:path';
import { parseComposeYaml } from '@codiesvibe/compose';
import { readInputFile } from '../cli/input-file.js';
import { asRecord } from '../validate/compose-model.js';

/** A new service's name, port and image repository (`codiesvibe/billing-api`). */
export interface NewServiceIdentity {
  service: string;
  port: number;
  imageRepository: string;
}

/**
 * The base file of a new Node service: built from backend/Dockerfile (told which service with
 * SERVICE and PORT), the kit's healthcheck, `x-native` so `stack up` runs it without Docker, and
 * `OTEL_EXPORTER_OTLP_ENDPOINT` passed through like the other Node services (traced when it is set).
 */
export function baseComposeFile({ service, port, imageRepository }: NewServiceIdentity): string {
  return `# Base definition of ${service} (made by \`stack new service\`). Environment files reach it only
# through \`extends\` (docker-compose/environments/); paths here are relative to this file.
services:
  ${service}:
    image: ${imageRepository}:\${VERSION:-local}
    build:
      context: ../..
      # The one Dockerfile of the Node services, told which one to build.
      dockerfile: backend/Dockerfile
      args:
        SERVICE: ${service}
        PORT: "${port}"
        BUILD_DATE: \${BUILD_DATE:-unknown}
        GIT_COMMIT: \${GIT_COMMIT:-unknown}
        VERSION: \${VERSION:-unknown}
    environment:
      PORT: "${port}"
      HOST: 0.0.0.0
      NODE_ENV: \${NODE_ENV:-development}
      LOG_LEVEL: \${LOG_LEVEL:-info}
      # Telemetry goes to the collector only when this is set (http://otel-collector:4318 with the
      # \`monitoring\` profile, see .env.<env>); unset, nothing is traced or exported.
      OTEL_EXPORTER_OTLP_ENDPOINT:
    networks:
      - backend
      - monitoring
    restart: unless-stopped
    init: true
    healthcheck:
      test: [CMD, node, dist/healthcheck.js]
      interval: 30s
      timeout: 10s
      start_period: 15s
      retries: 3
    depends_on:
      # Ready first with \`--profile monitoring\`, so no early span or log is dropped; without the
      # profile there is no collector and nothing to wait for.
      otel-collector:
        condition: service_healthy
        required: false
    x-native:
      build: [npm, run, build, -w, backend/shared, -w, backend/${service}]
      command: [node, backend/${service}/dist/main.js]
      health: /health/ready
`;
}

/** How an environment file writes its Node services, learnt from one of them (the reference). */
interface ReferenceEntry {
  name: string;
  definition: Record<string, unknown>;
  /** The entry's lines as written (to reuse its YAML merge keys and aliases). */
  lines: string[];
}

/**
 * The entry of a new service in one environment file, written the way the file writes its other
 * Node services (`reference` is one of them): the same extends target, build target, image tag,
 * networks, NODE_ENV and LOG_LEVEL, merge keys and resource aliases; its own name and port, one
 * replica. Returns undefined when the file has no Node service to learn from.
 */
export function environmentEntry(fileText: string, file: string, nodeServices: readonly string[], identity: NewServiceIdentity): string | undefined {
  const reference = findReference(fileText, file, nodeServices);
  if (!reference) return undefined;
  const { service, port } = identity;
  const rename = (text: string): string => text.replaceAll(reference.name, service);
  const extendsFrom = asRecord(reference.definition.extends);
  const extendsFile = typeof extendsFrom?.file === 'string' ? extendsFrom.file : undefined;
  const environment = asRecord(reference.definition.environment) ?? {};
  const lines = [`  ${service}:`, '    extends:'];
  const fromBase = extendsFile === undefined || basename(extendsFile).startsWith('docker-compose.') && extendsFile.includes('/services/');
  lines.push(`      file: ${fromBase ? `../services/docker-compose.${service}.yml` : extendsFile}`, `      service: ${service}`);
  if (fromBase) {
    // Merge keys (`<<: *hardened`) carry the environment's hardening: reused as written.
    lines.push(...reference.lines.filter((line) => /^ {4}<<: \*[\w.-]+\s*$/.test(line)));
    if (typeof reference.definition.image === 'string') lines.push(`    image: ${scalar(rename(reference.definition.image))}`);
    if (typeof reference.definition.user === 'string') lines.push(`    user: ${scalar(reference.definition.user)}`);
    const target = asRecord(reference.definition.build)?.target;
    if (typeof target === 'string') lines.push('    build:', `      target: ${target}`);
    if (reference.definition.ports !== undefined) lines.push('    ports:', `      - "${port}:${port}"`);
    if (reference.definition.expose !== undefined) lines.push('    expose:', `      - "${port}"`);
  }
  const kept = ['NODE_ENV', 'LOG_LEVEL'].filter((name) => typeof environment[name] === 'string');
  if (kept.length > 0) lines.push('    environment:', ...kept.map((name) => `      ${name}: ${scalar(environment[name] as string)}`));
  if (fromBase) {
    const volumes = Array.isArray(reference.definition.volumes) ? reference.definition.volumes : [];
    // Development mounts the sources for the dev server: the service's own and the kit's.
    if (volumes.some((volume) => typeof volume === 'string' && volume.includes(`backend/${reference.name}/src`))) {
      lines.push('    volumes:', `      - ../../backend/${service}/src:/app/backend/${service}/src:ro`, '      - ../../backend/shared/src:/app/backend/shared/src:ro');
    }
    const networks = reference.definition.networks;
    if (Array.isArray(networks)) lines.push('    networks:', ...networks.map((network) => `      - ${String(network)}`));
    if (asRecord(reference.definition.develop)) {
      lines.push('    develop:', '      watch:', '        - action: rebuild', `          path: ../../backend/${service}/package.json`, '        - action: rebuild', '          path: ../../package-lock.json');
    }
  }
  const deploy = asRecord(reference.definition.deploy);
  if (deploy) {
    lines.push('    deploy:', '      replicas: 1');
    const resources = reference.lines.find((line) => /^ {6}resources: \*[\w.-]+\s*$/.test(line));
    if (resources) lines.push(resources);
  }
  return `${lines.join('\n')}\n`;
}

/** `fileText` with `entry` added as the last service of its `services:` block (comments and order kept). */
export function insertServiceEntry(fileText: string, entry: string): string {
  const lines = fileText.split('\n');
  const start = lines.findIndex((line) => /^services:\s*(#.*)?$/.test(line));
  if (start === -1) return `${fileText.replace(/\n*$/, '\n')}\nservices:\n${entry}`;
  let end = lines.findIndex((line, index) => index > start && /^[^\s#]/.test(line));
  if (end === -1) end = lines.length;
  let last = end;
  while (last > start + 1 && (lines[last - 1] ?? '').trim() === '') last--;
  const after = lines.slice(end);
  const text = [...lines.slice(0, last), '', ...entry.replace(/\n$/, '').split('\n'), ...(after.length > 0 ? ['', ...after] : [])].join('\n');
  return `${text.replace(/\n+$/, '')}\n`;
}

function findReference(fileText: string, file: string, nodeServices: readonly string[]): ReferenceEntry | undefined {
  const [document] = parseComposeYaml(fileText, file);
  const services = asRecord(asRecord(document?.value)?.services) ?? {};
  const name = Object.keys(services).find((candidate) => nodeServices.includes(candidate));
  if (!name) return undefined;
  const lines = fileText.split('\n');
  const start = lines.findIndex((line) => line === `  ${name}:` || line.startsWith(`  ${name}: `));
  const end = lines.findIndex((line, index) => index > start && /^ {0,2}\S/.test(line));
  return { name, definition: asRecord(services[name]) ?? {}, lines: lines.slice(start, end === -1 ? undefined : end) };
}

/** A YAML scalar: plain when safe, else double-quoted (JSON strings are valid YAML). */
function scalar(value: string): string {
  return /^[\w./@-][\w./@:-]*$/.test(value) && !/^(true|false|null|yes|no|on|off|~|\d.*)$/i.test(value) ? value : JSON.stringify(value);
}

/** Reads a file as text (the caller reports what is missing; a folder or a denied file is named). */
export function readText(file: string): string {
  return readInputFile(file);
}
