import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync, statfsSync } from 'node:fs';
import { join } from 'node:path';
import { fail, ok, warn, type DoctorCheck } from './doctor-check.js';

/** Compose files that use `include` need Docker Compose 2.20 or later. */
export const MINIMUM_COMPOSE_VERSION = [2, 20, 0] as const;

/** Below this, `.data/` (embedded stores, logs) is about to run out: a warning. */
const LOW_DISK_BYTES = 1024 ** 3;
/** Below this, writes will fail soon: a blocker. */
const CRITICAL_DISK_BYTES = 256 * 1024 ** 2;

/** `[major, minor, patch]` of the first version number in `text` (`v2.40.3`, `Docker Compose version 2.29.1`). */
export function parseVersion(text: string): [number, number, number] | undefined {
  const match = /(\d+)\.(\d+)(?:\.(\d+))?/.exec(text);
  if (!match) return undefined;
  return [Number(match[1]), Number(match[2]), Number(match[3] ?? 0)];
}

function atLeast(version: readonly number[], minimum: readonly number[]): boolean {
  for (let i = 0; i < minimum.length; i++) {
    const a = version[i] ?? 0;
    const b = minimum[i] ?? 0;
    if (a !== b) return a > b;
  }
  return true;
}

/** The Node.js running stack against the `engines.node` (`>=X.Y.Z`) of the project's package.json. */
export function checkNode(npmRoot: string, nodeVersion = process.version): DoctorCheck {
  let range: string | undefined;
  const manifestFile = join(npmRoot, 'package.json');
  if (existsSync(manifestFile)) {
    try {
      range = (JSON.parse(readFileSync(manifestFile, 'utf8')) as { engines?: { node?: string } }).engines?.node;
    } catch (error) {
      // npm refuses every command of a project whose package.json it cannot read: not "ready".
      return fail(`${manifestFile} cannot be read as JSON (${(error as Error).message}): npm install and every build fail`, 'fix the file (git diff package.json shows what changed)');
    }
  }
  const minimum = range && /^>=\s*\d/.test(range) ? parseVersion(range) : undefined;
  const current = parseVersion(nodeVersion);
  if (!minimum || !current) return ok(`Node.js ${nodeVersion}${range ? ` (package.json asks for ${range})` : ''}`);
  if (atLeast(current, minimum)) return ok(`Node.js ${nodeVersion} (needs ${range})`);
  return fail(`Node.js ${nodeVersion} is older than the ${range} package.json needs`, `install Node.js ${minimum.join('.')} or later (e.g. nvm install ${minimum[0]})`);
}

/** The npm on PATH, which builds the services natively. */
export function checkNpm(env: Record<string, string | undefined>): DoctorCheck {
  const probe = spawnSync('npm', ['--version'], { encoding: 'utf8', timeout: 15_000, env: { ...env, NO_UPDATE_NOTIFIER: '1' } });
  const version = probe.status === 0 ? probe.stdout.trim() : undefined;
  if (version) return ok(`npm ${version}`);
  return fail('npm not found on PATH: services cannot be built natively', 'install npm (it ships with Node.js)');
}

/**
 * A Docker engine that answers, and its Compose plugin's version. Without an engine `stack up`
 * runs natively, so that is a warning; an engine with a Compose too old for `include` is an error
 * for Docker mode.
 */
export function checkDocker(env: Record<string, string | undefined>): DoctorCheck[] {
  const docker = env.DOCKER_BINARY || 'docker';
  const run = (args: string[]) => spawnSync(docker, args, { encoding: 'utf8', timeout: 10_000, stdio: ['ignore', 'pipe', 'pipe'] });
  const server = run(['version', '--format', '{{.Server.Version}}']);
  const engine = server.status === 0 ? server.stdout.trim() : '';
  if (server.error || engine === '') {
    const reason = server.error ? `${docker} not found` : 'no Docker engine answers';
    return [warn(`${reason}: stack up runs every service natively`, 'install Docker Engine with the Compose plugin (2.20+) to run the containers')];
  }
  const checks: DoctorCheck[] = [ok(`Docker engine ${engine}`)];
  const compose = run(['compose', 'version', '--short']);
  const version = compose.status === 0 ? parseVersion(compose.stdout) : undefined;
  if (!version) checks.push(fail('Docker Compose plugin not found', 'install docker-compose-plugin 2.20 or later (`docker compose version`)'));
  else if (!atLeast(version, MINIMUM_COMPOSE_VERSION)) {
    checks.push(fail(`Docker Compose ${version.join('.')} cannot read include: (needs 2.20+)`, 'upgrade the Docker Compose plugin, or run natively with stack up --native'));
  } else checks.push(ok(`Docker Compose ${version.join('.')} (include needs 2.20+)`));
  return checks;
}

/** Free space where `.data/` lives (embedded stores, native state and logs). */
export function checkDisk(npmRoot: string): DoctorCheck {
  const dataDir = join(npmRoot, '.data');
  const where = existsSync(dataDir) ? dataDir : npmRoot;
  let free: number;
  try {
    const stats = statfsSync(where);
    free = stats.bavail * stats.bsize;
  } catch (error) {
    return warn(`cannot tell the free disk space of ${where}: ${(error as Error).message}`, 'check it with df -h');
  }
  const text = `${(free / 1024 ** 3).toFixed(1)} GiB free for .data/ (${where})`;
  if (free < CRITICAL_DISK_BYTES) return fail(text, 'free disk space: the embedded stores and logs under .data/ need room to write');
  if (free < LOW_DISK_BYTES) return warn(text, 'free some disk space: under 1 GiB left for .data/');
  return ok(text);
}
