import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { readStackSettings, StackSettingsError } from './stack-settings.js';

const dirs: string[] = [];
afterEach(() => dirs.splice(0).forEach((dir) => rmSync(dir, { recursive: true, force: true })));

/** A project with `compose.yaml`, the layout's entry file and empty environment files. */
function project(rootFile: string, environments: string[], include = './environments/docker-compose.${APP_ENV:-dev}.yml'): string {
  const dir = mkdtempSync(join(tmpdir(), 'stack-settings-'));
  dirs.push(dir);
  mkdirSync(join(dir, 'docker-compose', 'environments'), { recursive: true });
  writeFileSync(join(dir, 'compose.yaml'), rootFile);
  writeFileSync(join(dir, 'docker-compose', 'docker-compose.yml'), `include:\n  - path: ${include}\n`);
  for (const name of environments) writeFileSync(join(dir, 'docker-compose', 'environments', `docker-compose.${name}.yml`), 'services: {}\n');
  return dir;
}

describe('readStackSettings', () => {
  it('takes the environments from the files and the variable and default from the include path', () => {
    const settings = readStackSettings(project('name: p\ninclude:\n  - docker-compose/docker-compose.yml\n', ['dev', 'prod', 'qa']));
    expect(settings).toMatchObject({
      file: undefined,
      environments: ['dev', 'prod', 'qa'],
      environmentVariable: 'APP_ENV',
      defaultEnvironment: 'dev',
      productionLike: ['prod'],
      edge: undefined,
      disable: [],
    });
  });

  it('falls back to CodiesVibe’s values when the layout says nothing', () => {
    const settings = readStackSettings(project('name: p\n', [], './environments/docker-compose.yml'));
    expect(settings).toMatchObject({
      environments: ['development', 'staging', 'production', 'testing'],
      environmentVariable: 'CODIESVIBE_ENV',
      defaultEnvironment: 'development',
      productionLike: ['staging', 'production'],
    });
  });

  it('reads x-stack, switches with where they are written included', () => {
    const dir = project(
      [
        'name: p',
        'x-stack:',
        '  environments: [local, live]',
        '  environmentVariable: STAGE',
        '  productionLike: [live]',
        '  edge: proxy',
        '  disable:',
        '    production-non-root:',
        '      proxy: binds port 443 as root, then drops to nobody',
        '',
      ].join('\n'),
      ['local', 'live'],
    );
    expect(readStackSettings(dir)).toEqual({
      file: join(dir, 'compose.yaml'),
      environments: ['local', 'live'],
      environmentVariable: 'STAGE',
      defaultEnvironment: 'local',
      productionLike: ['live'],
      edge: 'proxy',
      edgeAt: { line: 6, column: 3 },
      disable: [{ rule: 'production-non-root', service: 'proxy', reason: 'binds port 443 as root, then drops to nobody', file: join(dir, 'compose.yaml'), line: 9, column: 7 }],
    });
  });

  it.each([
    ['an unknown key', 'x-stack:\n  edges: proxy\n', /^x-stack: Unrecognized key: "edges"$/, 3],
    ['a production-like environment that is not one', 'x-stack:\n  environments: [a, b]\n  productionLike: [c]\n', /^x-stack\.productionLike\.0: c is not one of the environments \(a, b\)$/, 4],
    ['a switch without a reason', 'x-stack:\n  disable:\n    some-rule:\n      web: "  "\n', /^x-stack\.disable\.some-rule\.web: give the reason/, 5],
  ])('refuses %s with the file and line', (_label, block, message, line) => {
    const dir = project(`name: p\n${block}`, ['a', 'b']);
    const error = (() => {
      try {
        readStackSettings(dir);
      } catch (caught) {
        return caught;
      }
      return undefined;
    })();
    expect(error).toBeInstanceOf(StackSettingsError);
    expect((error as StackSettingsError).message).toMatch(message);
    expect((error as StackSettingsError).line).toBe(line);
    expect((error as StackSettingsError).format()).toContain(`compose.yaml:${line}:`);
  });

  it('keeps the YAML error code when the root file does not parse', () => {
    const dir = project('name: p\nservices:\n  a:\n\timage: x\n', ['a']);
    expect(() => readStackSettings(dir)).toThrow(expect.objectContaining({ code: 'STACK_ERR_YAML_SYNTAX', line: 4 }));
  });
});
