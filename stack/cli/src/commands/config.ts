import { resolve } from 'node:path';
import { formatRawModel, toComposeJson, toComposeYaml, type Project } from '@codiesvibe/compose';
import type { Command, CommandIo } from '../cli/command.js';
import { resolveModel, resolveProject } from '../cli/resolve-project.js';
import { writeOutputFile } from '../cli/output-file.js';

/** Services in dependency order (dependencies first), names sorted otherwise, as Compose lists them. */
function servicesInDependencyOrder(project: Project): string[] {
  const order: string[] = [];
  const seen = new Set<string>();
  const visit = (name: string): void => {
    if (seen.has(name)) return;
    seen.add(name);
    for (const dependency of Object.keys(project.services[name]?.depends_on ?? {}).sort()) {
      if (dependency in project.services) visit(dependency);
    }
    order.push(name);
  };
  for (const name of Object.keys(project.services).sort()) visit(name);
  return order;
}

/** `stack config`: the resolved model, exactly as `docker compose config` prints it. */
export const configCommand: Command = {
  name: 'config',
  summary: 'Parse, resolve and print the compose model (like docker compose config)',
  usage: '[OPTIONS] [SERVICE...]',
  options: [
    {
      name: 'format',
      type: 'string',
      value: 'FORMAT',
      choices: ['yaml', 'json'],
      description: 'output format: yaml (default) or json',
    },
    { name: 'quiet', short: 'q', type: 'boolean', description: 'only validate, print nothing' },
    { name: 'services', type: 'boolean', description: 'print the service names, one per line' },
    { name: 'volumes', type: 'boolean', description: 'print the volume names, one per line' },
    { name: 'networks', type: 'boolean', description: 'print the network names, one per line' },
    { name: 'profiles', type: 'boolean', description: 'print the profile names, one per line' },
    { name: 'images', type: 'boolean', description: 'print the image names, one per line' },
    { name: 'no-interpolate', type: 'boolean', description: "don't interpolate environment variables" },
    { name: 'no-consistency', type: 'boolean', description: "don't check model consistency" },
    { name: 'all-resources', type: 'boolean', description: 'include resources no service uses' },
    {
      name: 'output',
      short: 'o',
      type: 'string',
      value: 'PATH',
      description: 'write to a file instead of stdout',
    },
  ],
  run(context) {
    const { options, io } = context;
    const listing =
      options.services === true ||
      options.volumes === true ||
      options.networks === true ||
      options.profiles === true ||
      options.images === true;
    const loadOptions = {
      services: listing ? [] : context.args,
      allResources: options['all-resources'] === true,
      noInterpolate: options['no-interpolate'] === true,
      noConsistency: options['no-consistency'] === true,
    };
    const format = (options.format as 'yaml' | 'json' | undefined) ?? 'yaml';
    if (options['no-interpolate'] === true && !listing) {
      // Like Compose: the model as loaded, never typed, so `${VAR}` stays wherever it was written.
      const model = resolveModel(context.globals, io, loadOptions);
      if (options.quiet !== true) emit(formatRawModel(model, format), options.output as string | undefined, io);
      return Promise.resolve(0);
    }
    const { project } = resolveProject(context.globals, io, loadOptions);
    // Quiet: the model resolved and validated is the whole answer; printing it would only cost time.
    if (options.quiet === true) return Promise.resolve(0);
    let text: string;
    if (options.services === true) text = lines(servicesInDependencyOrder(project));
    else if (options.volumes === true) text = lines(Object.keys(project.volumes).sort());
    else if (options.networks === true) text = lines(Object.keys(project.networks).sort());
    else if (options.profiles === true) {
      const all = new Set<string>();
      for (const service of [
        ...Object.values(project.services),
        ...Object.values(project.disabledServices),
      ]) {
        for (const profile of service.profiles ?? []) all.add(profile);
      }
      text = lines([...all].sort());
    } else if (options.images === true) {
      text = lines(
        Object.keys(project.services)
          .sort()
          .map((name) => project.services[name]?.image ?? `${project.name}-${name}`),
      );
    } else {
      text = format === 'json' ? toComposeJson(project) : toComposeYaml(project);
    }
    emit(text, options.output as string | undefined, io);
    return Promise.resolve(0);
  },
};

function lines(values: readonly string[]): string {
  return values.map((value) => `${value}\n`).join('');
}

/** The output goes to `-o PATH` (relative to the working directory) or to stdout. */
function emit(text: string, output: string | undefined, io: CommandIo): void {
  if (output) writeOutputFile(resolve(io.cwd, output), text);
  else io.stdout(text);
}
