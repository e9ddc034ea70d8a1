import { closeSync, existsSync, openSync, readdirSync, readSync, statSync } from 'node:fs';
import { join } from 'node:path';
import type { Command } from '../cli/command.js';
import { UsageError } from '../cli/arg-parser.js';
import { resolveProject } from '../cli/resolve-project.js';
import { runDockerCompose } from '../docker/docker-runner.js';
import { findNpmRoot } from '../native/native-plan-builder.js';
import { NativeStateStore, isProcessAlive } from '../native/state-store.js';
import { composeTargetOf } from '../run/compose-target.js';
import { chooseRunMode, RUN_MODE_OPTIONS } from '../run/run-mode.js';

/** `stack logs`: the output of the native processes (kept per process), or docker compose logs. */
export const logsCommand: Command = {
  name: 'logs',
  summary: 'Show the output of the services',
  usage: '[OPTIONS] [SERVICE...]',
  options: [
    ...RUN_MODE_OPTIONS,
    { name: 'follow', short: 'f', type: 'boolean', description: 'keep printing new output' },
    {
      name: 'tail',
      short: 'n',
      type: 'string',
      value: 'LINES',
      description: 'only the last LINES lines of each service (default all)',
    },
  ],
  async run({ globals, options, args, io }) {
    const tail = options.tail === undefined || options.tail === 'all' ? undefined : Number(options.tail);
    if (tail !== undefined && (!Number.isInteger(tail) || tail < 0))
      throw new UsageError(`--tail takes a number of lines (got ${JSON.stringify(options.tail)})`);
    const { project } = resolveProject(globals, io, { noConsistency: true });
    // Told whatever runs: with nothing running, a misspelt name said only "no logs".
    const known = Object.keys({ ...project.services, ...project.disabledServices });
    const unknown = args.find((service) => !known.includes(service));
    if (unknown !== undefined) throw new UsageError(`no such service: ${unknown} (services: ${known.join(', ')})`);
    const root = findNpmRoot(project.workingDir);
    const store = new NativeStateStore(root, project.name);
    const state = store.read();
    if (state && options.docker !== true && existsSync(store.logDir)) {
      return printNativeLogs(
        store,
        args,
        Object.keys(project.services),
        tail,
        options.follow === true,
        io.stdout,
      );
    }
    if (chooseRunMode(options, io.env) === 'native') {
      io.stderr(`stack | no logs of a native stack of ${project.name} (start it with \`stack up\`)\n`);
      return 0;
    }
    const passthrough = [
      ...(options.follow === true ? ['--follow'] : []),
      ...(tail !== undefined ? ['--tail', String(tail)] : []),
      ...args,
    ];
    return runDockerCompose(
      io,
      root,
      composeTargetOf(project, globals, project.workingDir),
      'logs',
      passthrough,
    );
  },
};

async function printNativeLogs(
  store: NativeStateStore,
  services: string[],
  known: readonly string[],
  tail: number | undefined,
  follow: boolean,
  write: (text: string) => void,
): Promise<number> {
  const names = readdirSync(store.logDir)
    .filter((file) => file.endsWith('.log'))
    .map((file) => file.slice(0, -4))
    .filter(
      (name) =>
        services.length === 0 ||
        services.some((service) => name === service || name.startsWith(`${service}-`)),
    )
    .sort();
  for (const service of services) {
    if (names.some((name) => name === service || name.startsWith(`${service}-`))) continue;
    throw new UsageError(
      known.includes(service)
        ? `no logs of ${service}: it has not run natively here (start it with \`stack up ${service}\`)`
        : `no such service: ${service} (services: ${known.join(', ')})`,
    );
  }
  const width = Math.max(...names.map((name) => name.length), 5);
  const offsets = new Map<string, number>();
  for (const name of names) {
    const text = readFrom(join(store.logDir, `${name}.log`), 0);
    offsets.set(name, Buffer.byteLength(text));
    const lines = text.split('\n').filter(Boolean);
    for (const line of tail === undefined ? lines : tail === 0 ? [] : lines.slice(-tail))
      write(`${name.padEnd(width)} | ${line}\n`);
  }
  if (!follow) return 0;
  const stopped = new Promise<void>((resolve) => process.once('SIGINT', () => resolve()));
  let done = false;
  void stopped.then(() => (done = true));
  while (!done) {
    await new Promise((resolve) => setTimeout(resolve, 250));
    for (const name of names) {
      const file = join(store.logDir, `${name}.log`);
      const size = existsSync(file) ? statSync(file).size : 0;
      const offset = offsets.get(name) ?? 0;
      if (size <= offset) continue;
      const text = readFrom(file, offset);
      const complete = text.slice(0, text.lastIndexOf('\n') + 1);
      offsets.set(name, offset + Buffer.byteLength(complete));
      for (const line of complete.split('\n').filter(Boolean)) write(`${name.padEnd(width)} | ${line}\n`);
    }
    const state = store.read();
    if (!state || !isProcessAlive(state.supervisorPid)) done = true;
  }
  return 0;
}

function readFrom(file: string, offset: number): string {
  const fd = openSync(file, 'r');
  try {
    const size = statSync(file).size;
    const buffer = Buffer.alloc(Math.max(0, size - offset));
    readSync(fd, buffer, 0, buffer.length, offset);
    return buffer.toString('utf8');
  } finally {
    closeSync(fd);
  }
}
