import { relative, resolve } from 'node:path';
import type { Command } from '../cli/command.js';
import { UsageError } from '../errors.js';
import { planNewService, writeNewService } from '../new/new-service.js';
import { SERVICE_TEMPLATES, type ServiceTemplate } from '../new/service-templates.js';

const USAGE = `usage: stack new service NAME --template ${SERVICE_TEMPLATES.join('|')} [--port N]`;

/** `stack new service`: a workspace on the service kit, its compose files and environment entries, checked before anything is written. */
export const newCommand: Command = {
  name: 'new',
  summary:
    'Create a service: workspace on the service kit, Dockerfile build args, compose entries in every environment',
  usage: `service NAME --template ${SERVICE_TEMPLATES.join('|')} [--port N]`,
  options: [
    {
      name: 'template',
      type: 'string',
      value: 'TEMPLATE',
      choices: SERVICE_TEMPLATES,
      description: `what the service is built on: ${SERVICE_TEMPLATES.join(', ')}`,
    },
    {
      name: 'port',
      type: 'string',
      value: 'N',
      description: 'the port it listens on (default: the first free one from 4100)',
    },
  ],
  async run({ globals, options, args, io }) {
    const [kind, name, ...rest] = args;
    if (kind !== 'service' || name === undefined || rest.length > 0) throw new UsageError(USAGE);
    if (typeof options.template !== 'string')
      throw new UsageError(`--template is required: ${SERVICE_TEMPLATES.join(', ')} (${USAGE})`);
    const port = options.port === undefined ? undefined : Number(options.port);
    if (port !== undefined && !(Number.isInteger(port) && port >= 1 && port <= 65_535))
      throw new UsageError(`--port ${String(options.port)}: not a port (1-65535)`);
    const projectDir = resolve(io.cwd, globals.projectDirectory ?? '.');
    const plan = await planNewService({
      projectDir,
      name,
      template: options.template as ServiceTemplate,
      port,
    });
    const show = (file: string): string => relative(io.cwd, file);
    writeNewService(plan, show);
    for (const write of plan.writes)
      io.stdout(`${write.change === 'create' ? 'created' : 'updated'}  ${show(write.file)}\n`);
    io.stdout(
      [
        '',
        `${name} (${options.template}) listens on port ${plan.port}. Next:`,
        '  npm install                              # links the workspace and records it in package-lock.json (Docker builds need it)',
        `  npm test -w ${plan.workspace}`,
        `  npx stack up ${name}                      # natively without Docker; healthy at http://127.0.0.1:${plan.port}/health/ready`,
        '  npx stack validate --env all',
        '  npx stack --env production matrix         # its place in the startup order (docker-compose/README.md documents that table)',
        '',
      ].join('\n'),
    );
    return 0;
  },
};
