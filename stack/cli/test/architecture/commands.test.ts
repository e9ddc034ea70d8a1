import { cpSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { runCli } from '../../src/main.js';
import { RULES } from '../../src/validate/rules/index.js';
import { recordingIo, REPO_ROOT } from './repo-tree.js';

const FIXTURES = join(import.meta.dirname, '..', 'fixtures', 'validate');
const workspace = mkdtempSync(join(tmpdir(), 'stack-commands-'));
afterAll(() => rmSync(workspace, { recursive: true, force: true }));

/** The startup-order table of docker-compose/README.md, as written there. */
function documentedMatrix(): string {
  const lines = readFileSync(join(REPO_ROOT, 'docker-compose', 'README.md'), 'utf8').split('\n');
  const start = lines.findIndex((line) => line.startsWith('| service | depends on'));
  const end = lines.findIndex((line, index) => index > start && !line.startsWith('|'));
  return `${lines.slice(start, end).join('\n')}\n`;
}

describe('stack matrix', { timeout: 60_000 }, () => {
  it('prints the startup order the compose README documents, for production', async () => {
    const io = recordingIo(REPO_ROOT);
    expect(await runCli(['--env', 'production', 'matrix'], io)).toBe(0);
    expect(io.out.join('')).toBe(documentedMatrix());
  }, 60_000);

  it('prints mermaid and json', async () => {
    const mermaid = recordingIo(REPO_ROOT);
    expect(await runCli(['matrix', '--env', 'development', '--format', 'mermaid'], mermaid)).toBe(0);
    expect(mermaid.out.join('')).toContain('nestjs_api -->|healthy| gateway');
    const json = recordingIo(REPO_ROOT);
    expect(await runCli(['matrix', '--format', 'json'], json)).toBe(0);
    const parsed = JSON.parse(json.out.join('')) as {
      environment: string;
      services: Array<{ service: string; tier: number }>;
    };
    expect(parsed.environment).toBe('development');
    expect(parsed.services.find((row) => row.service === 'nginx')?.tier).toBe(8);
  }, 60_000);

  it('reports a dependency cycle as an error', async () => {
    const projectDir = join(workspace, 'cycle');
    cpSync(join(FIXTURES, 'valid'), projectDir, { recursive: true });
    cpSync(join(FIXTURES, 'fail', 'no-dependency-cycle'), projectDir, { recursive: true });
    const io = recordingIo(projectDir);
    expect(await runCli(['matrix'], io)).toBe(1);
    expect(io.err.join('')).toContain('dependency cycle');
  });
});

describe('commands that take no arguments', () => {
  it.each([
    ['validate', 'production', 'global --env NAME'],
    ['matrix', 'production', 'global --env NAME'],
    ['doctor', 'ports', 'global --env NAME'],
    ['version', 'x', '--short'],
  ])('stack %s %s is refused with what to give instead, exit 2', async (command, argument, hint) => {
    const io = recordingIo(REPO_ROOT);
    expect(await runCli([command, argument], io)).toBe(2);
    const [line, ...more] = io.err.join('').split('\n').filter(Boolean);
    expect(more).toEqual([]);
    expect(line).toMatch(new RegExp(`^stack: ${command} takes no arguments \\(got ${argument}\\): `));
    expect(line).toContain(hint);
    expect(io.out.join('')).toBe('');
  });
});

describe('stack validate', { timeout: 60_000 }, () => {
  it('passes on the repository, every environment', async () => {
    const io = recordingIo(REPO_ROOT);
    expect(await runCli(['validate', '--env', 'all'], io)).toBe(0);
    // The one rule switched off in the tree, with its reason (docker-compose/README.md): listed on every run.
    expect(io.out.join('')).toBe(
      [
        'Switched off (1):',
        '  base-healthcheck  tests: a one-shot test run: nothing depends on it, and it exits with its result instead of serving  [docker-compose/environments/docker-compose.testing.yml:103]',
        '',
        '✔ no problems (environments: development, staging, production, testing)',
        '',
      ].join('\n'),
    );
    // On a fresh clone production has only its .env.production.example: said on stderr.
    if (!existsSync(join(REPO_ROOT, '.env.production')))
      expect(io.err.join('')).toContain('using .env.production.example');
  }, 60_000);

  it('exits 1 and prints ESLint-style findings for a broken tree', async () => {
    const projectDir = join(workspace, 'broken');
    cpSync(join(FIXTURES, 'valid'), projectDir, { recursive: true });
    cpSync(join(FIXTURES, 'fail', 'production-host-ports'), projectDir, { recursive: true });
    const io = recordingIo(projectDir);
    expect(await runCli(['validate', '--env', 'production'], io)).toBe(1);
    expect(io.out.join('')).toBe(
      [
        'docker-compose/environments/docker-compose.production.yml',
        '  24:5  error    production: service api publishes host ports (3000:3000, 127.0.0.1:9229:9229)  production-host-ports',
        '                 fix: use `expose:`; traffic enters through the edge (nginx)',
        '',
        '✖ 1 problem (1 error, 0 warnings) (environments: production)',
        '',
      ].join('\n'),
    );
  });

  it('gives the same findings as JSON', async () => {
    const io = recordingIo(join(workspace, 'broken'));
    expect(await runCli(['validate', '--env', 'production', '--format', 'json'], io)).toBe(1);
    const report = JSON.parse(io.out.join('')) as {
      errorCount: number;
      findings: Array<{ ruleId: string; file: string; line: number }>;
    };
    expect(report.errorCount).toBe(1);
    expect(report.findings[0]).toMatchObject({
      ruleId: 'production-host-ports',
      file: 'docker-compose/environments/docker-compose.production.yml',
      line: 24,
    });
  });

  it('gives them as SARIF 2.1.0 for CI annotations: every rule described, the finding located', async () => {
    const io = recordingIo(join(workspace, 'broken'));
    expect(await runCli(['validate', '--env', 'production', '--format', 'sarif'], io)).toBe(1);
    const sarif = JSON.parse(io.out.join('')) as {
      version: string;
      runs: Array<{
        tool: {
          driver: { rules: Array<{ id: string; fullDescription: { text: string }; help: { text: string } }> };
        };
        results: Array<{
          ruleId: string;
          level: string;
          locations: Array<{
            physicalLocation: { artifactLocation: { uri: string }; region: { startLine: number } };
          }>;
        }>;
      }>;
    };
    expect(sarif.version).toBe('2.1.0');
    const [run] = sarif.runs;
    expect(run?.tool.driver.rules.map((rule) => rule.id)).toEqual(RULES.map((rule) => rule.id));
    for (const rule of run?.tool.driver.rules ?? []) {
      expect(rule.fullDescription.text).not.toBe('');
      expect(rule.help.text).toMatch(/^Fix: ./);
    }
    expect(run?.results).toHaveLength(1);
    expect(run?.results[0]).toMatchObject({
      ruleId: 'production-host-ports',
      level: 'error',
      locations: [
        {
          physicalLocation: {
            artifactLocation: { uri: 'docker-compose/environments/docker-compose.production.yml' },
            region: { startLine: 24 },
          },
        },
      ],
    });
  });

  it('lists every rule with its why and fix', async () => {
    const io = recordingIo(REPO_ROOT);
    expect(await runCli(['validate', '--rules', '--format', 'json'], io)).toBe(0);
    const rules = JSON.parse(io.out.join('')) as Array<{ id: string; why: string; fix: string }>;
    expect(rules.map((rule) => rule.id)).toEqual(RULES.map((rule) => rule.id));
    for (const rule of rules) {
      expect(rule.why, rule.id).toMatch(/\S/);
      expect(rule.fix, rule.id).toMatch(/\S/);
    }
  });

  it('refuses an unknown environment with a usage error', async () => {
    const io = recordingIo(REPO_ROOT);
    expect(await runCli(['validate', '--env', 'qa'], io)).toBe(2);
    expect(io.err.join('')).toBe(
      'stack: unknown environment "qa": one of development, staging, production, testing or all\n',
    );
  });
});

/** A copy of the valid fixture with `edit` applied to one of its files. */
function brokenTree(name: string, file: string, edit: (text: string) => string): string {
  const projectDir = join(workspace, name);
  cpSync(join(FIXTURES, 'valid'), projectDir, { recursive: true });
  const path = join(projectDir, file);
  writeFileSync(path, edit(readFileSync(path, 'utf8')));
  return projectDir;
}

describe(
  'stack validate on a tree it cannot read: one line with file and line, exit 2',
  { timeout: 60_000 },
  () => {
    it.each([
      {
        name: 'a YAML error',
        file: 'docker-compose/services/docker-compose.db.yml',
        edit: (text: string) => text.replace('image: mongo:8.0.9', 'image: [mongo:8.0.9'),
        line: /^docker-compose\/services\/docker-compose\.db\.yml:\d+:\d+: .*\[STACK_ERR_YAML_SYNTAX\]\n$/,
      },
      {
        name: 'a duplicate key',
        file: 'docker-compose/services/docker-compose.db.yml',
        edit: (text: string) =>
          text.replace('    restart: unless-stopped\n', '    restart: unless-stopped\n    restart: always\n'),
        line: /^docker-compose\/services\/docker-compose\.db\.yml:\d+:\d+: .*\[STACK_ERR_YAML_DUPLICATE_KEY\]\n$/,
      },
      {
        name: 'a missing include',
        file: 'docker-compose/environments/docker-compose.production.yml',
        edit: (text: string) => text.replace('docker-compose.infra.yml', 'docker-compose.gone.yml'),
        line: /^docker-compose\/environments\/docker-compose\.production\.yml:2:5: include \.\.\/infrastructure\/docker-compose\.gone\.yml: no such file \(production\) \[STACK_ERR_FILE_NOT_FOUND\]\n$/,
      },
      {
        name: 'a missing env_file',
        file: 'docker-compose/environments/docker-compose.development.yml',
        edit: (text: string) =>
          text.replace(
            '    image: fixture/api:dev\n',
            '    image: fixture/api:dev\n    env_file: ./api.env\n',
          ),
        line: /^docker-compose\/environments\/docker-compose\.development\.yml:\d+:\d+: env_file \.\/api\.env: no such file \(development\) \[STACK_ERR_FILE_NOT_FOUND\]\n$/,
      },
      {
        name: 'a malformed x-stack block',
        file: 'compose.yaml',
        edit: (text: string) =>
          text.replace('name: fixture\n', 'name: fixture\nx-stack:\n  productionLike: [prod]\n'),
        line: /^compose\.yaml:3:\d+: x-stack\.productionLike\.0: prod is not one of the environments \(development, production\) \[STACK_ERR_STACK_SETTINGS\]\n$/,
      },
    ])('$name', async ({ name, file, edit, line }) => {
      const projectDir = brokenTree(name.replaceAll(' ', '-'), file, edit);
      for (const format of ['text', 'json', 'sarif']) {
        const io = recordingIo(projectDir);
        expect(await runCli(['validate', '--format', format], io)).toBe(2);
        expect(io.err.join('')).toMatch(line);
        expect(io.out.join('')).toBe('');
      }
    });

    it('a missing .env file of an environment', async () => {
      const projectDir = join(workspace, 'no-env-file');
      cpSync(join(FIXTURES, 'valid'), projectDir, { recursive: true });
      rmSync(join(projectDir, '.env.production'));
      const io = recordingIo(projectDir);
      expect(await runCli(['validate'], io)).toBe(2);
      expect(io.err.join('')).toBe(
        '.env.production: environment "production" has no .env.production in ' +
          projectDir +
          ' [STACK_ERR_ENV_FILE_NOT_FOUND]\n',
      );
    });

    it('a single compose file, not the modular layout: says which commands take it', async () => {
      const projectDir = join(workspace, 'monolith');
      mkdirSync(projectDir, { recursive: true });
      writeFileSync(join(projectDir, 'compose.yaml'), 'services:\n  web:\n    image: nginx:1.27\n');
      const io = recordingIo(projectDir);
      expect(await runCli(['validate'], io)).toBe(2);
      const err = io.err.join('');
      expect(err.split('\n').filter(Boolean)).toHaveLength(1);
      expect(err).toContain('no environment files in');
      expect(err).toContain('`stack config -q`');
      expect(err).toContain('`stack migrate`');
    });
  },
);

describe('the rules in the READMEs', () => {
  /** A rule's text as a Markdown table cell: `|` escaped, `<...>` escaped outside code spans. */
  const cell = (text: string) =>
    text
      .split('`')
      .map((part, index) => (index % 2 === 1 ? part : part.replaceAll('<', '&lt;').replaceAll('>', '&gt;')))
      .join('`')
      .replaceAll('|', '\\|');

  it.each(['docker-compose/README.md', 'stack/cli/README.md'])(
    '%s lists every rule with its id, why and fix',
    (file) => {
      const readme = readFileSync(join(REPO_ROOT, file), 'utf8');
      for (const rule of RULES)
        expect(readme).toContain(`| \`${rule.id}\` | ${cell(rule.why)} | ${cell(rule.fix)} |`);
    },
  );
});
