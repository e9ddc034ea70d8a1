import { closeSync, mkdirSync, openSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { hostname, userInfo } from 'node:os';
import { join } from 'node:path';
import { createHash } from 'node:crypto';
import type { Project } from '@codiesvibe/compose';
// The printing half of the engine only: `stack ps` loads this file and must not load the YAML parser.
import { projectDocument } from '@codiesvibe/compose/print';
import { computeBuildMetadata, type BuildMetadata } from '../docker/build-metadata.js';
import { STACK_ERROR_CODES, StackError } from '../errors.js';
import { findNpmRoot } from '../native/native-plan-builder.js';
import { isProcessAlive, NativeStateStore } from '../native/state-store.js';

/** One release of an environment: what ran, from which commit, since when, deployed by whom. */
export interface ReleaseRecord {
  id: string;
  version: string;
  commit: string;
  builtAt: string;
  deployedAt: string;
  by: string;
  /** `up` for the release a `stack up` started, else the deploy strategy. */
  how: 'up' | 'blue-green' | 'rolling' | 'rollback';
  environment?: string;
  /** Hash of each service's resolved definition, to tell what a later deploy changes. */
  definitions: Record<string, string>;
}

/** Who runs this: `user@host`. */
export function deployer(env: Record<string, string | undefined>): string {
  let user = env.USER ?? env.LOGNAME;
  try {
    user ??= userInfo().username;
  } catch {
    user ??= 'unknown';
  }
  return `${user}@${hostname()}`;
}

/** The releases of one native project, newest last, in `<state dir>/releases.json`. */
export class ReleaseHistory {
  constructor(private readonly dir: string) {}

  private get file(): string {
    return join(this.dir, 'releases.json');
  }

  /**
   * Every recorded release, oldest first; none when the file does not exist. A file that is not a
   * history (cut short, edited by hand) is refused with its name: read as empty, `--status` said
   * "(none)" and the next deploy wrote over it, losing the release a rollback returns to.
   */
  list(): ReleaseRecord[] {
    let text: string;
    try {
      text = readFileSync(this.file, 'utf8');
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'ENOENT') return [];
      throw error;
    }
    let parsed: unknown;
    try {
      parsed = JSON.parse(text);
    } catch (error) {
      throw this.notAHistory(`not valid JSON: ${(error as Error).message}`);
    }
    if (!Array.isArray(parsed)) throw this.notAHistory('not a list of releases');
    const index = parsed.findIndex((entry) => typeof (entry as Partial<ReleaseRecord> | null)?.id !== 'string' || typeof (entry as Partial<ReleaseRecord>).version !== 'string');
    if (index >= 0) throw this.notAHistory(`entry ${index + 1} is not a release (no id or version)`);
    return parsed as ReleaseRecord[];
  }

  private notAHistory(reason: string): StackError {
    return new StackError(
      STACK_ERROR_CODES.DEPLOY,
      `${this.file}: ${reason}; move it aside (the next \`stack up\` starts a new history) or restore it`,
    );
  }

  current(): ReleaseRecord | undefined {
    return this.list().at(-1);
  }

  previous(): ReleaseRecord | undefined {
    return this.list().at(-2);
  }

  /** Appends a release (`up` starts a new history: what ran before it is gone). */
  record(release: ReleaseRecord): void {
    const list = release.how === 'up' ? [] : this.list();
    list.push(release);
    mkdirSync(this.dir, { recursive: true });
    const temporary = `${this.file}.${process.pid}`;
    writeFileSync(temporary, JSON.stringify(list.slice(-20), null, 2));
    renameSync(temporary, this.file);
  }
}

/** Who holds the deploy lock. */
export interface LockHolder {
  pid: number;
  by: string;
  since: string;
  version: string;
}

/**
 * One deploy at a time per project: a lock file created exclusively, naming its holder. A lock
 * whose process is gone (a killed deploy) is taken over.
 * @returns a release function, or the live holder.
 */
export function takeDeployLock(dir: string, holder: LockHolder): { release: () => void } | { heldBy: LockHolder } {
  const file = join(dir, 'deploy.lock');
  mkdirSync(dir, { recursive: true });
  for (let attempt = 0; attempt < 2; attempt++) {
    try {
      const fd = openSync(file, 'wx', 0o600);
      writeFileSync(fd, JSON.stringify(holder));
      closeSync(fd);
      return { release: () => rmSync(file, { force: true }) };
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
      let current: LockHolder | undefined;
      try {
        current = JSON.parse(readFileSync(file, 'utf8')) as LockHolder;
      } catch {
        current = undefined;
      }
      if (current && isProcessAlive(current.pid)) return { heldBy: current };
      rmSync(file, { force: true });
    }
  }
  throw new Error(`cannot take the deploy lock ${file}`);
}

/** Hash of each service's resolved definition (what Compose would compare to recreate it). */
export function serviceDefinitions(project: Project): Record<string, string> {
  const services = (projectDocument(project).services ?? {}) as Record<string, unknown>;
  return Object.fromEntries(Object.entries(services).map(([name, service]) => [name, createHash('sha256').update(JSON.stringify(service)).digest('hex').slice(0, 16)]));
}

/** Recorded by `stack up` once the stack runs, so the first deploy knows what it replaces. */
export function recordUpRelease(project: Project, environment: string | undefined, env: Record<string, string | undefined>): void {
  const root = findNpmRoot(project.workingDir);
  // VERSION as the model reads it: the shell, else the environment's .env file (the image tag).
  const meta = computeBuildMetadata(root, { ...env, VERSION: env.VERSION || project.environment.VERSION });
  const store = new NativeStateStore(root, project.name);
  new ReleaseHistory(store.dir).record({ ...releaseOf(meta, env, 'up', project), environment });
}

export function releaseOf(meta: BuildMetadata, env: Record<string, string | undefined>, how: ReleaseRecord['how'], project: Project): ReleaseRecord {
  return {
    id: `${meta.VERSION}-${Date.now().toString(36)}`,
    version: meta.VERSION,
    commit: meta.GIT_COMMIT,
    builtAt: meta.BUILD_DATE,
    deployedAt: new Date().toISOString().replace(/\.\d{3}Z$/, 'Z'),
    by: deployer(env),
    how,
    definitions: serviceDefinitions(project),
  };
}

