import { existsSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import type { Project } from '@codiesvibe/compose';
import { findProgram } from '@codiesvibe/shared/programs';
import { buildNativePlan } from '../native/native-plan-builder.js';
import { parseNativeExtension } from '../native/native-extension.js';
import { findPortHolder, isPortFree } from '../native/ports.js';
import { NativeStateStore } from '../native/state-store.js';
import { checkSecretFile, secretFileProblemParts } from '../secrets/secret-file-check.js';
import { fail, ok, warn, type DoctorCheck } from './doctor-check.js';

/** Group or others may read or write the file: a secret's file should be 0600 (or 0400). */
function openToOthers(file: string): boolean {
  return (statSync(file).mode & 0o077) !== 0;
}

/**
 * The environment's `.env.NAME`: present, and private (0600) when it is the real copy of a
 * committed `.env.NAME.example` (the example says the real values are secret).
 */
export function checkEnvFile(projectDir: string, environment: string): DoctorCheck {
  const file = join(projectDir, `.env.${environment}`);
  const example = `${file}.example`;
  if (!existsSync(file)) {
    if (existsSync(example)) {
      return fail(`.env.${environment} is missing (only .env.${environment}.example exists)`, `cp .env.${environment}.example .env.${environment} && chmod 600 .env.${environment}, then set real values`);
    }
    return fail(`.env.${environment} is missing`, `create .env.${environment} in ${projectDir}`);
  }
  if (existsSync(example) && openToOthers(file)) {
    return warn(`.env.${environment} is readable by other users (mode ${modeOf(file)})`, `chmod 600 .env.${environment}`);
  }
  return ok(`.env.${environment} present`);
}

/** Every secret file the environment mounts: present, and readable by its owner only. */
export function checkSecrets(project: Project, environment: string | undefined, show: (file: string) => string): DoctorCheck[] {
  const checks: DoctorCheck[] = [];
  for (const [name, secret] of Object.entries(project.secrets).sort(([a], [b]) => a.localeCompare(b))) {
    const file = typeof secret.file === 'string' ? secret.file : undefined;
    if (!file) continue;
    const initCommand = secret['x-generate'] !== undefined ? `npx stack${environment ? ` --env ${environment}` : ''} secrets init` : undefined;
    // The same checks `stack up` makes before it mounts the file: a folder, a broken link, an
    // empty or unreadable file passed here as present ("ready") and failed there.
    const problem = checkSecretFile(file);
    if (problem === undefined) checks.push(ok(`secret ${name}: ${show(file)} (mode ${modeOf(file)})`));
    else if (problem.kind === 'missing') {
      checks.push(fail(`secret ${name}: ${show(file)} is missing`, initCommand ?? `create ${show(file)} (mode 0600) with the secret's value`));
    } else if (problem.kind === 'too-open') {
      checks.push(warn(`secret ${name}: ${show(file)} is readable by other users (mode ${modeOf(file)})`, `chmod 600 ${show(file)}`));
    } else {
      const { what, fix } = secretFileProblemParts(name, show(file), problem, initCommand);
      checks.push(fail(what, fix));
    }
  }
  return checks;
}

/**
 * The system programs services can use natively (`x-native.program`), and what stands in for each
 * service that does not run natively (`x-native.embedded`).
 */
export function checkPrograms(project: Project): DoctorCheck[] {
  const checks: DoctorCheck[] = [];
  for (const [name, service] of Object.entries(project.services).sort(([a], [b]) => a.localeCompare(b))) {
    const native = parseNativeExtension(name, service['x-native']);
    if (!native || native.command) continue;
    if (native.program) {
      const path = findProgram(native.program);
      if (path) checks.push(ok(`${native.program} (${path}) runs ${name} natively`));
      else {
        checks.push(
          warn(
            `${native.program} not found: ${native.embedded ? `instead, ${native.embedded}` : `${name} does not run natively`}`,
            `install ${native.program} to run ${name} natively (e.g. apt-get install ${native.program})`,
          ),
        );
      }
    } else if (native.embedded) {
      checks.push(ok(`${name} natively: ${native.embedded}`));
    }
  }
  return checks;
}

/**
 * The host ports `stack up` needs, free or held: natively each service's port, under Docker the
 * published ports. A port held by this project's own running stack is fine.
 */
export async function checkPorts(project: Project, mode: 'native' | 'docker', env: Record<string, string | undefined>): Promise<DoctorCheck[]> {
  const needed = new Map<number, string>();
  let root = project.workingDir;
  if (mode === 'native') {
    // Replicas after the first and data programs get whatever port is free: only the first
    // replica of a service with a command listens on a fixed port.
    const fixed = (service: string) => parseNativeExtension(service, project.services[service]?.['x-native'])?.command !== undefined;
    try {
      const plan = await buildNativePlan(project, { baseEnv: env });
      root = plan.root;
      for (const spec of plan.processes) {
        if (spec.port && spec.replica === 1 && fixed(spec.service) && !needed.has(spec.port)) needed.set(spec.port, spec.service);
      }
    } catch {
      // The plan refuses what the other checks report (a missing secret ...): read the ports
      // from the model the way the native runner does.
      for (const [name, service] of Object.entries(project.services)) {
        const port = fixed(name) ? listeningPort(service) : undefined;
        if (port && !needed.has(port)) needed.set(port, name);
      }
    }
  } else {
    for (const [name, service] of Object.entries(project.services)) {
      for (const port of service.ports ?? []) {
        const published = Number(port.published);
        if (Number.isInteger(published) && published > 0 && !needed.has(published)) needed.set(published, name);
      }
    }
  }
  if (needed.size === 0) return [ok('no host ports needed')];
  const ours = new Set((new NativeStateStore(root, project.name).readLive()?.processes ?? []).map((process) => process.pid));
  const free: number[] = [];
  const checks: DoctorCheck[] = [];
  for (const [port, service] of [...needed].sort(([a], [b]) => a - b)) {
    if ((await isPortFree(port)) === true) {
      free.push(port);
      continue;
    }
    const holder = findPortHolder(port);
    if (holder && ours.has(holder.pid)) {
      checks.push(ok(`port ${port} (${service}) is held by this project's running stack (pid ${holder.pid})`));
      continue;
    }
    const who = holder ? `process ${holder.pid} (${holder.command})` : 'another process';
    checks.push(fail(`port ${port} needed by ${service} is in use by ${who}`, holder ? `stop process ${holder.pid}, or change ${service}'s port` : `find it with ss -ltnp 'sport = :${port}', or change ${service}'s port`));
  }
  if (free.length) checks.unshift(ok(`port${free.length === 1 ? '' : 's'} ${free.join(', ')} free (${mode})`));
  return checks;
}

/** The port a service listens on: its PORT variable, else its first port's target, else what it exposes. */
function listeningPort(service: Project['services'][string]): number | undefined {
  const candidates = [Number(service.environment?.PORT), Number(service.ports?.[0]?.target), Number((service.expose as unknown[] | undefined)?.[0])];
  return candidates.find((port) => Number.isInteger(port) && port > 0);
}

function modeOf(file: string): string {
  return `0${(statSync(file).mode & 0o777).toString(8)}`;
}

/** A path relative to `base` when it is inside it, for shorter lines. */
export function relativeTo(base: string): (file: string) => string {
  return (file) => {
    const path = relative(base, file);
    return path.startsWith('..') ? file : path;
  };
}
