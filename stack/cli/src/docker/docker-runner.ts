import { spawn, spawnSync } from 'node:child_process';
import type { CommandIo } from '../cli/command.js';
import { STACK_ERROR_CODES } from '../errors.js';
import { computeBuildMetadata } from './build-metadata.js';
import { composeArguments, type ComposeTarget } from './compose-invocation.js';

/**
 * Runs `docker compose` with the computed globals and build args, its output passed straight
 * through; resolves to its exit status. DOCKER_BINARY names another client (tests use a stand-in).
 */
export function runDockerCompose(io: CommandIo, root: string, target: ComposeTarget, subcommand: string, args: string[]): Promise<number> {
  const docker = io.env.DOCKER_BINARY || 'docker';
  const argv = composeArguments(target, subcommand, args);
  const env = { ...io.env, ...computeBuildMetadata(root, io.env) };
  io.stderr(`stack | ${docker} ${argv.map(quoteForDisplay).join(' ')}\n`);
  return new Promise((resolve) => {
    const child = spawn(docker, argv, { cwd: io.cwd, env, stdio: 'inherit' });
    const forward = (signal: NodeJS.Signals) => child.kill(signal);
    process.on('SIGINT', forward);
    process.on('SIGTERM', forward);
    child.once('error', (error) => {
      io.stderr(`stack: cannot run ${docker}: ${error.message} (install Docker, or run natively with --native)\n`);
      resolve(1);
    });
    child.once('close', (code, signal) => {
      process.off('SIGINT', forward);
      process.off('SIGTERM', forward);
      // 125: the docker client refused the command line itself. Without the Compose plugin it
      // reads `compose` as nothing and says only "unknown flag: --project-name".
      if (code === DOCKER_CLIENT_FAILED && !composePluginAnswers(docker, env)) {
        io.stderr(
          `stack: ${docker} has no Compose plugin (\`${docker} compose version\` fails): install Docker Compose v2 (docker-compose-plugin), or run natively with --native [${STACK_ERROR_CODES.DOCKER_COMPOSE_MISSING}]\n`,
        );
        resolve(1);
        return;
      }
      resolve(code ?? (signal ? 128 + 15 : 1));
    });
  });
}

/** The docker client's exit status when it refused its own command line (unknown flag or command). */
const DOCKER_CLIENT_FAILED = 125;

function composePluginAnswers(docker: string, env: Record<string, string | undefined>): boolean {
  return spawnSync(docker, ['compose', 'version'], { env, stdio: 'ignore', timeout: 10_000 }).status === 0;
}

function quoteForDisplay(arg: string): string {
  return /^[\w@%+=:,./-]+$/.test(arg) ? arg : `'${arg.replace(/'/g, `'\\''`)}'`;
}
