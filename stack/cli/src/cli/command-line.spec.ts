import { describe, expect, it } from 'vitest';
import { COMMANDS } from '../commands/index.js';
import { UsageError } from '../errors.js';
import type { Command, CommandEntry } from './command.js';
import { parseCommandLine } from './command-line.js';
import { generalHelp } from './help.js';

const up: Command = {
  name: 'up',
  summary: 'start',
  usage: '',
  options: [
    { name: 'detach', short: 'd', type: 'boolean', description: '' },
    { name: 'scale', type: 'list', description: '' },
    { name: 'volumes', short: 'v', type: 'boolean', description: '' },
  ],
  run: () => Promise.resolve(0),
};
// A command whose own --env and --env-file shadow the global ones after its name.
const migrate: Command = {
  name: 'migrate',
  summary: 'migrate',
  usage: '',
  options: [
    { name: 'env', type: 'list', description: '' },
    { name: 'env-file', type: 'list', description: '' },
  ],
  run: () => Promise.resolve(0),
};
const registry: CommandEntry[] = [
  { name: 'up', summary: 'start', load: () => Promise.resolve(up) },
  { name: 'migrate', summary: 'migrate', load: () => Promise.resolve(migrate) },
  { name: 'broken', summary: 'never loaded', load: () => Promise.reject(new Error('loaded')) },
];

describe('parseCommandLine', () => {
  it("reads Compose's placement: global options before the command, its own and global ones after", async () => {
    const line = await parseCommandLine(
      [
        '--profile',
        'production',
        '-f',
        'a.yml',
        '--env-file',
        '.env.prod',
        '--project-directory',
        'dir',
        '-p',
        'shop',
        'up',
        '-d',
        '--scale',
        'nestjs-api=3',
        '-f',
        'b.yml',
        'web',
      ],
      registry,
      {},
    );
    expect(line.command).toBe(up);
    expect(line.globals).toEqual({
      profile: ['production'],
      file: ['a.yml', 'b.yml'],
      'env-file': ['.env.prod'],
      'project-directory': 'dir',
      'project-name': 'shop',
    });
    expect(line.options).toEqual({ detach: true, scale: ['nestjs-api=3'] });
    expect(line.args).toEqual(['web']);
  });

  it("refuses a command's option before the command name, as Compose does", async () => {
    await expect(parseCommandLine(['-d', 'up'], registry, {})).rejects.toThrow(
      "unknown shorthand flag: 'd' in -d",
    );
  });

  it("gives a command's own option precedence over a global one of the same name after the command", async () => {
    const line = await parseCommandLine(
      [
        '--env',
        'staging',
        'migrate',
        '--env',
        'dev=a.yml',
        '--env',
        'prod=a.yml,b.yml',
        '--env-file',
        'prod=.env.p',
      ],
      registry,
      {},
    );
    expect(line.globals).toEqual({ env: 'staging' });
    expect(line.options).toEqual({ env: ['dev=a.yml', 'prod=a.yml,b.yml'], 'env-file': ['prod=.env.p'] });
  });

  it('fills options not given from their environment twins', async () => {
    const line = await parseCommandLine(['up'], registry, { STACK_ENV: 'production', STACK_DEBUG: '1' });
    expect(line.globals).toEqual({ env: 'production', debug: true });
  });

  it('passes everything after -- to the command as arguments', async () => {
    const line = await parseCommandLine(['up', '--', '-d'], registry, {});
    expect(line.options).toEqual({});
    expect(line.args).toEqual(['-d']);
  });

  it('refuses an unknown command without loading any module', async () => {
    await expect(parseCommandLine(['--debug', 'nope', '-d'], registry, {})).rejects.toThrow(
      new UsageError('unknown command "nope" (see stack --help)'),
    );
  });

  it('reads a line without command', async () => {
    expect(await parseCommandLine(['--help'], registry, {})).toEqual({
      globals: { help: true },
      options: {},
      args: [],
    });
  });
});

describe('stack --help', () => {
  it('lists every command from the registry without loading a module', () => {
    const help = generalHelp(registry);
    expect(help).toContain('  broken   never loaded\n');
  });

  // Loads every command module (the engine among them): seconds on a busy machine.
  it("has the registry's summaries equal to the modules' own", { timeout: 30_000 }, async () => {
    for (const entry of COMMANDS) expect((await entry.load()).summary, entry.name).toBe(entry.summary);
  });
});

describe('stack --version', () => {
  it('is accepted before the command name only, where -v stays the command’s own', async () => {
    expect((await parseCommandLine(['-v'], registry, {})).globals).toEqual({ version: true });
    expect((await parseCommandLine(['up', '-v'], registry, {})).options).toEqual({ volumes: true });
    await expect(parseCommandLine(['migrate', '--version'], registry, {})).rejects.toThrow('unknown flag: --version');
  });
});
