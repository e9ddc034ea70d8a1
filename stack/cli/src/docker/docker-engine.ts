/**
 * True when a Docker engine answers (not just a client on PATH). `docker info` talks to the
 * daemon; a client without one fails fast or within the timeout.
 */
export function dockerEngineAnswers(docker = 'docker', timeoutMs = 5000): boolean {
  // Loaded on first use: child_process brings net and dgram with it, which `stack ps --native`
  // and every command that decides by a flag would otherwise pay for at start.
  const { spawnSync } = process.getBuiltinModule('node:child_process');
  const probe = spawnSync(docker, ['info', '--format', '{{.ServerVersion}}'], {
    stdio: ['ignore', 'pipe', 'ignore'],
    timeout: timeoutMs,
    encoding: 'utf8',
  });
  return probe.status === 0 && probe.stdout.trim().length > 0;
}
