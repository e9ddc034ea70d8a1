import { cpSync, existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { readStackSettings } from '../../src/settings/stack-settings.js';
import { environmentLoader } from '../../src/validate/load-environment.js';
import { runValidation, type ValidationReport } from '../../src/validate/run-validation.js';
import { RULES } from '../../src/validate/rules/index.js';
import { globalOptions, recordingIo } from './repo-tree.js';

const FIXTURES = join(import.meta.dirname, '..', 'fixtures', 'validate');
const workspace = mkdtempSync(join(tmpdir(), 'stack-validate-'));

afterAll(() => rmSync(workspace, { recursive: true, force: true }));

/** Copies `valid/`, lays `fail/<name>/` over it, and validates every environment. */
function validateCase(name: string | undefined): ValidationReport {
  return validateLayers(name ?? 'valid', name ? [join('fail', name)] : []);
}

/** Copies `valid/`, lays each of `layers` (folders under the fixtures) over it, validates every environment. */
function validateLayers(label: string, layers: readonly string[]): ValidationReport {
  const projectDir = join(workspace, label);
  cpSync(join(FIXTURES, 'valid'), projectDir, { recursive: true });
  for (const layer of layers) cpSync(join(FIXTURES, layer), projectDir, { recursive: true });
  const io = recordingIo(projectDir);
  const settings = readStackSettings(projectDir);
  return runValidation({
    projectDir,
    settings,
    environments: settings.environments,
    load: environmentLoader(globalOptions(), io, settings.environmentVariable),
  });
}

const failingCases = readdirSync(join(FIXTURES, 'fail')).sort();

/** Other rules a breaking fixture rightly breaks too (fail/<name>/.also, one id per line). */
function alsoExpected(name: string): string[] {
  const file = join(FIXTURES, 'fail', name, '.also');
  return existsSync(file) ? readFileSync(file, 'utf8').split('\n').map((line) => line.trim()).filter(Boolean) : [];
}

describe('stack validate rules', { timeout: 60_000 }, () => {
  it('finds nothing in the valid fixture', () => {
    expect(validateCase(undefined).findings).toEqual([]);
  });

  it('has a breaking fixture for every rule', () => {
    const covered = new Set(failingCases.map((name) => name.split('--')[0]));
    expect(RULES.map((rule) => rule.id).filter((id) => !covered.has(id))).toEqual([]);
  });

  it.each(failingCases)('%s: the fixture breaks exactly this rule', (name) => {
    const ruleId = name.split('--')[0] as string;
    const report = validateCase(name);
    const ruleFindings = report.findings.filter((finding) => finding.ruleId === ruleId);
    expect(ruleFindings.length).toBeGreaterThan(0);
    // Besides the rule, only the engine itself may object (Compose refuses some of these changes),
    // and the rules the fixture's .also file names (a database left on the default network is
    // both without networks and on a network that is not internal).
    const also = alsoExpected(name);
    const others = report.findings.filter((finding) => finding.ruleId !== ruleId && !finding.ruleId.startsWith('STACK_ERR_') && !also.includes(finding.ruleId));
    expect(others).toEqual([]);
    for (const id of also) expect(report.findings.map((finding) => finding.ruleId)).toContain(id);
    for (const finding of ruleFindings) {
      expect(finding.severity).toBe('error');
      expect(finding.message).not.toBe('');
      expect(finding.hint).toBeTruthy();
      expect(finding.file.startsWith(join(workspace, name))).toBe(true);
    }
    expect(report.errorCount).toBeGreaterThan(0);
  });
});

describe('no-shell-substitution', { timeout: 60_000 }, () => {
  it('names the host address of a published port, so a loopback-only port reads as one', () => {
    const [finding] = validateCase('production-host-ports').findings.filter((f) => f.ruleId === 'production-host-ports');
    expect(finding?.message).toContain('publishes host ports (3000:3000, 127.0.0.1:9229:9229)');
  });

  it('tells a $( in a value once: the source check and the model check do not both report it', () => {
    const places = validateCase('no-shell-substitution')
      .findings.filter((finding) => finding.ruleId === 'no-shell-substitution')
      .map((finding) => `${relative(workspace, finding.file)}:${finding.line}`);
    expect(places.length).toBeGreaterThan(0);
    expect(places).toEqual([...new Set(places)]);
  });

  it('leaves values from an env_file or a variable alone: they are data, no shell was meant (a random SECRET_KEY in netbox-docker was reported, value and all)', () => {
    expect(validateLayers('pass-env-file', ['pass/no-shell-substitution--env-file']).findings).toEqual([]);
  });
});

describe('base-healthcheck, base-restart, base-networks', { timeout: 60_000 }, () => {
  it('hold for a service written straight into an environment file, told at its definition there (it was not checked)', () => {
    const findings = validateCase('base-restart--environment-file').findings.filter((finding) => finding.ruleId === 'base-restart');
    expect(findings.map((finding) => [relative(join(workspace, 'base-restart--environment-file'), finding.file), finding.line, finding.message])).toEqual([
      ['docker-compose/environments/docker-compose.development.yml', 25, 'service worker has no restart (written in docker-compose.development.yml, with no base file to take it from)'],
    ]);
  });

  it('take network_mode for networks, and list a switched-off rule with its reason', () => {
    const report = validateLayers('pass-network-mode', ['pass/base-networks--network-mode']);
    expect(report.findings).toEqual([]);
    expect(report.suppressed.map((finding) => [finding.ruleId, finding.service, finding.reason])).toEqual([
      ['base-healthcheck', 'log-tail', 'a sidecar that only tails the api\'s log; nothing waits for it'],
    ]);
  });
});

describe('a compose.override.yaml beside the root file', { timeout: 60_000 }, () => {
  it('is where what it sets is reported (production-host-ports was told at the production file, which publishes nothing)', () => {
    const projectDir = join(workspace, 'production-host-ports--override-file');
    const findings = validateCase('production-host-ports--override-file').findings.filter((finding) => finding.ruleId === 'production-host-ports');
    expect(findings.map((finding) => `${relative(projectDir, finding.file)}:${finding.line}`)).toEqual(['compose.override.yaml:4']);
  });
});

describe('production-resource-limits', { timeout: 60_000 }, () => {
  it('counts the service-level cpus and mem_limit that Docker applies when deploy limits are absent', () => {
    const messages = validateCase('production-resource-limits--service-level')
      .findings.filter((finding) => finding.ruleId === 'production-resource-limits')
      .map((finding) => finding.message);
    expect(messages).toEqual(['production: service api has no cpus limit']);
  });
});

describe('switching a rule off for one service', { timeout: 60_000 }, () => {
  const reason = "the fixture's database writes next to its binaries";

  it.each([
    { name: 'comment', file: 'docker-compose/environments/docker-compose.production.yml' },
    { name: 'comment-above-base', file: 'docker-compose/services/docker-compose.db.yml' },
    { name: 'service-x-stack', file: 'docker-compose/environments/docker-compose.production.yml' },
    { name: 'root-x-stack', file: 'compose.yaml' },
  ])('$name: the finding is set aside with its reason and where the switch is written', ({ name, file }) => {
    // The database has a writable root filesystem in production, and a switch says why.
    const report = validateLayers(`switched-${name}`, ['fail/production-read-only--pulled', join('switched', name)]);
    expect(report.findings).toEqual([]);
    expect(report.errorCount).toBe(0);
    expect(
      report.suppressed.map((finding) => ({
        rule: finding.ruleId,
        service: finding.service,
        env: finding.env,
        reason: finding.reason,
        file: relative(join(workspace, `switched-${name}`), finding.suppressedAt.file),
      })),
    ).toEqual([{ rule: 'production-read-only', service: 'db', env: 'production', reason, file }]);
    expect(report.suppressed[0]?.suppressedAt.line).toBeGreaterThan(0);
  });

  it('switches off only the rule it names, for the service it names', () => {
    // The switch names production-read-only for db; the edge's missing user is still reported.
    const report = validateLayers('switched-other', ['fail/production-non-root--pulled', 'fail/production-read-only--pulled', 'switched/comment']);
    expect(report.findings.map((finding) => [finding.ruleId, finding.service])).toEqual([['production-non-root', 'nginx']]);
    expect(report.suppressed.map((finding) => [finding.ruleId, finding.service])).toEqual([['production-read-only', 'db']]);
  });
});

describe('a model Compose refuses only with every profile on', { timeout: 60_000 }, () => {
  it('takes profiles that are never enabled together for what they are: two services behind cpu and gpu may share a container name (every profile at once was reported as a model Compose refuses)', () => {
    expect(validateLayers('pass-exclusive-profiles', ['pass/inconsistent--exclusive-profiles']).findings).toEqual([]);
  });

  it('still reports a container name shared by a service that always runs and one behind a profile', () => {
    const layer = join(workspace, 'layer-shared-name');
    cpSync(join(FIXTURES, 'pass', 'inconsistent--exclusive-profiles'), layer, { recursive: true });
    const file = join(layer, 'docker-compose', 'environments', 'docker-compose.development.yml');
    writeFileSync(file, readFileSync(file, 'utf8').replace('    profiles: [cpu]\n', ''));
    const findings = validateLayers('fail-shared-name', [relative(FIXTURES, layer)]).findings;
    expect(findings.map((finding) => [finding.ruleId, finding.message])).toEqual([
      ['STACK_ERR_INCONSISTENT', expect.stringContaining('container name "model-runner" is already in use') as string],
    ]);
  });
});
