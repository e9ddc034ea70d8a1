import { spawnSync } from 'node:child_process';
import { mkdirSync } from 'node:fs';
import { dirname, relative, resolve } from 'node:path';
import { stringify } from 'yaml';
import type { Project } from '@codiesvibe/compose';
import type { CommandIo } from '../cli/command.js';
import { STACK_ERROR_CODES, StackError } from '../errors.js';
import { renderSwarmStack, type SwarmFinding } from './swarm-stack.js';
import { writeOutputFile } from '../cli/output-file.js';

export interface SwarmDeployOptions {
  project: Project;
  environment: string;
  /** `--out FILE`; default `.stack/deploy/swarm.<env>.yml` under the project directory. */
  out?: string;
  io: CommandIo;
}

/** The stack file as text: `$` escaped as `$$`, since `docker stack deploy` interpolates it. */
export function swarmStackText(document: Record<string, unknown>, header: string): string {
  const escaped = JSON.parse(JSON.stringify(document), (_key, value: unknown) => (typeof value === 'string' ? value.replaceAll('$', '$$$$') : value)) as unknown;
  return `${header}${stringify(escaped, { lineWidth: 0 })}`;
}

/**
 * `deploy --target swarm`: writes the stack file; when a Docker engine in swarm mode answers (a
 * manager), runs `docker stack deploy --with-registry-auth --detach=false`, which returns once the
 * services converged; otherwise says how to deploy the file.
 */
export function deployToSwarm(options: SwarmDeployOptions): number {
  const { io, project, environment } = options;
  const stack = renderSwarmStack(project);
  const file = resolve(io.cwd, options.out ?? resolve(project.workingDir, '.stack', 'deploy', `swarm.${environment}.yml`));
  const near = relative(io.cwd, file);
  const shown = near && !near.startsWith('..') ? near : file;
  const header = `# The ${environment} environment of ${project.name} as a Swarm stack, rendered by \`stack --env ${environment} deploy --target swarm\`.\n# Deploy: docker stack deploy --with-registry-auth --detach=false -c ${shown} ${stack.stackName}\n`;
  mkdirSync(dirname(file), { recursive: true });
  writeOutputFile(file, swarmStackText(stack.document, header));
  io.stderr(`stack | wrote ${shown}\n`);
  for (const line of groupSwarmFindings(stack.findings)) io.stderr(`stack | note: ${line}\n`);
  const docker = io.env.DOCKER_BINARY || 'docker';
  const state = swarmState(docker, io.env);
  if (state !== 'manager') {
    io.stdout(
      `${state === 'worker' ? 'This Docker engine is a swarm worker: run these on a manager node.' : 'No Docker engine in swarm mode answers here. On a swarm manager node:'}\n` +
        `  # once: the secrets and configs the stack names (external)\n${stack.createCommands.map((line) => `  ${line}\n`).join('')}` +
        `  # each release: images pushed to a registry every node can pull from, then\n  docker stack deploy --with-registry-auth --detach=false -c ${shown} ${stack.stackName}\n`,
    );
    return 0;
  }
  const existing = new Set([...swarmObjects(docker, 'secret', io.env), ...swarmObjects(docker, 'config', io.env)]);
  const missing = stack.createCommands.filter((line) => !existing.has(`${line.split(' ')[1]} ${line.split(' ')[3]}`));
  if (missing.length) {
    throw new StackError(STACK_ERROR_CODES.DEPLOY, `the swarm lacks ${missing.length} secret(s)/config(s) the stack names; create them first:\n${missing.map((line) => `  ${line}`).join('\n')}`);
  }
  const argv = ['stack', 'deploy', '--with-registry-auth', '--detach=false', '-c', file, stack.stackName];
  io.stderr(`stack | ${docker} ${argv.join(' ')}\n`);
  const result = spawnSync(docker, argv, { cwd: io.cwd, env: io.env, stdio: 'inherit' });
  if (result.error) throw new StackError(STACK_ERROR_CODES.DEPLOY, `cannot run ${docker}: ${result.error.message}`);
  return result.status ?? 1;
}

/** One line per setting and effect, naming every service it concerns: `security_opt ignored (a, b): why`. */
export function groupSwarmFindings(findings: readonly SwarmFinding[]): string[] {
  const groups = new Map<string, { finding: SwarmFinding; services: string[] }>();
  for (const finding of findings) {
    const setting = finding.setting.startsWith('volumes ') ? 'bind mount' : finding.setting;
    const key = `${setting}\0${finding.effect}\0${finding.setting.startsWith('volumes ') ? finding.why.replace(/\/\S+/, '') : finding.why}`;
    const group = groups.get(key) ?? { finding: { ...finding, setting }, services: [] };
    if (finding.service && !group.services.includes(finding.service)) group.services.push(finding.service);
    groups.set(key, group);
  }
  return [...groups.values()].map(({ finding, services }) => `${finding.setting} ${finding.effect}${services.length ? ` (${services.join(', ')})` : ''}: ${finding.why}`);
}

/** `manager`, `worker` or `none` (no engine, or not in swarm mode). */
function swarmState(docker: string, env: CommandIo['env']): 'manager' | 'worker' | 'none' {
  const probe = spawnSync(docker, ['info', '--format', '{{.Swarm.LocalNodeState}} {{.Swarm.ControlAvailable}}'], { encoding: 'utf8', timeout: 5000, env, stdio: ['ignore', 'pipe', 'ignore'] });
  if (probe.status !== 0) return 'none';
  const [state, control] = probe.stdout.trim().split(/\s+/);
  if (state !== 'active') return 'none';
  return control === 'true' ? 'manager' : 'worker';
}

/** `secret NAME` / `config NAME` for each object of that kind the swarm holds. */
function swarmObjects(docker: string, kind: 'secret' | 'config', env: CommandIo['env']): string[] {
  const list = spawnSync(docker, [kind, 'ls', '--format', '{{.Name}}'], { encoding: 'utf8', env, timeout: 10_000, stdio: ['ignore', 'pipe', 'ignore'] });
  return list.status === 0 ? list.stdout.split('\n').filter(Boolean).map((name) => `${kind} ${name}`) : [];
}
