import { existsSync } from 'node:fs';
import { join, relative, resolve } from 'node:path';
import { isComposeError } from '@codiesvibe/compose';
import type { Command, CommandIo } from '../cli/command.js';
import type { GlobalOptions } from '../cli/global-options.js';
import { STACK_ERROR_CODES, StackError, UsageError } from '../errors.js';
import { readStackSettings } from '../settings/stack-settings.js';
import { assertEnvironmentLoads } from '../validate/load-environment.js';
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
    assertEnvironmentsLoad(globals, io, projectDir);
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

/**
 * Every environment loads before the service is added to it: on a tree Compose refuses (a broken
 * include, an extends cycle, an env file it cannot read) `new` wrote its entries, said "Next: npx
 * stack up", and left the tree refused, now with one more service in it.
 */
function assertEnvironmentsLoad(globals: GlobalOptions, io: CommandIo, projectDir: string): void {
  const settings = readStackSettings(projectDir);
  for (const environment of settings.environments) {
    // An environment without its env file (a fresh checkout) is stack's rule, not Compose's: `stack
    // --env NAME up` says what is missing, and `new` does not touch env files.
    const envFile = join(projectDir, `.env.${environment}`);
    if (!existsSync(envFile) && !existsSync(`${envFile}.example`)) continue;
    try {
      assertEnvironmentLoads({ ...globals, projectDirectory: projectDir }, io, environment, settings.environmentVariable);
    } catch (error) {
      if (!isComposeError(error)) throw error;
      throw new StackError(
        STACK_ERROR_CODES.NEW_SERVICE_INVALID,
        `the ${environment} environment does not load, so nothing was written: ${error.format()}; fix it first (stack validate --env ${environment})`,
      );
    }
  }
}
