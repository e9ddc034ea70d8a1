import type { Command, CommandEntry } from '../cli/command.js';

/**
 * Every `stack` command. A new command is one module added to this list with its summary; only
 * the module of the command being run is loaded, so `stack config` does not pay for the runners'
 * imports and `stack --help` loads none.
 */
export const COMMANDS: readonly CommandEntry[] = [
  {
    name: 'config',
    summary: 'Parse, resolve and print the compose model (like docker compose config)',
    shortRun: true,
    load: async () => (await import('./config.js')).configCommand,
  },
  {
    name: 'validate',
    summary: 'Check every environment against Compose and the architecture standards, like a linter',
    shortRun: true,
    load: async () => (await import('./validate.js')).validateCommand,
  },
  {
    name: 'matrix',
    summary: 'Print the dependency matrix (service, depends on, startup tier) of an environment',
    load: async () => (await import('./matrix.js')).matrixCommand,
  },
  {
    name: 'up',
    summary: 'Build what is needed and start the services (Docker, or natively without an engine)',
    load: async () => (await import('./up.js')).upCommand,
  },
  {
    name: 'down',
    summary: 'Stop and remove the services (native: stop every process in reverse order)',
    load: async () => (await import('./down.js')).downCommand,
  },
  {
    name: 'ps',
    summary: 'List the running services with state, pid, port, health and uptime',
    shortRun: true,
    load: async () => (await import('./ps.js')).psCommand,
  },
  {
    name: 'logs',
    summary: 'Show the output of the services',
    load: async () => (await import('./logs.js')).logsCommand,
  },
  {
    name: 'restart',
    summary: 'Restart services',
    load: async () => (await import('./restart.js')).restartCommand,
  },
  {
    name: 'build',
    summary: 'Build the images (BUILD_DATE, GIT_COMMIT, VERSION computed), or natively the build steps',
    load: async () => (await import('./build.js')).buildCommand,
  },
  {
    name: 'deploy',
    summary:
      'Release a new version without downtime (blue-green or rolling behind the nginx edge), or render a Swarm stack',
    load: async () => (await import('./deploy.js')).deployCommand,
  },
  {
    name: 'exec',
    summary: 'Run a command in a running service container (Docker)',
    load: async () => (await import('./exec.js')).execCommand,
  },
  {
    name: 'secrets',
    summary: "Create the environment's missing secret files (strong random values, mode 0600)",
    load: async () => (await import('./secrets.js')).secretsCommand,
  },
  {
    name: 'diff',
    summary: 'Compare the resolved models of two environments (or two sets of files), key by key',
    load: async () => (await import('./diff.js')).diffCommand,
  },
  {
    name: 'migrate',
    summary: 'Turn monolithic compose files into the modular tree, proven by equal resolved models',
    load: async () => (await import('./migrate.js')).migrateCommand,
  },
  {
    name: 'doctor',
    summary:
      'Check this machine for the environment: Node, Docker, ports, programs, env and secret files, disk',
    load: async () => (await import('./doctor.js')).doctorCommand,
  },
  {
    name: 'new',
    summary:
      'Create a service: workspace on the service kit, Dockerfile build args, compose entries in every environment',
    load: async () => (await import('./new.js')).newCommand,
  },
  {
    name: 'version',
    summary: 'Show the stack version',
    load: async () => (await import('./version.js')).versionCommand,
  },
];

/** Loads every command module (for tools that need every command's options). */
export async function loadAllCommands(): Promise<Command[]> {
  return Promise.all(COMMANDS.map((entry) => entry.load()));
}
