import { cpSync, existsSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseComposeYaml } from '@codiesvibe/compose';
import { afterAll, describe, expect, it } from 'vitest';
import { runCli } from '../../src/main.js';
import { asRecord } from '../../src/validate/compose-model.js';
import { recordingIo, REPO_ROOT } from './repo-tree.js';

/**
 * Other projects laid out like this one, with their own names: `shop` names its edge (proxy), its
 * environments (local, qa, prod) and their variable (SHOP_ENV) in x-stack; `notes` has no x-stack
 * at all (environments dev and production, APP_ENV from its include path, the edge found from the
 * model). Their correct trees must pass; each broken/<case> laid over the tree must break exactly
 * the rules its `expect` file lists.
 */
const PROJECTS = join(import.meta.dirname, '..', 'fixtures', 'projects');
const workspace = mkdtempSync(join(tmpdir(), 'stack-projects-'));
afterAll(() => rmSync(workspace, { recursive: true, force: true }));

interface JsonReport {
  environments: string[];
  edge: string | undefined;
  findings: Array<{ ruleId: string; message: string }>;
}

async function validate(project: string, broken?: string): Promise<{ status: number; report: JsonReport; err: string }> {
  const projectDir = join(workspace, `${project}-${broken ?? 'tree'}`);
  cpSync(join(PROJECTS, project, 'tree'), projectDir, { recursive: true });
  if (broken) cpSync(join(PROJECTS, project, 'broken', broken), projectDir, { recursive: true });
  const io = recordingIo(projectDir);
  const status = await runCli(['validate', '--format', 'json'], io);
  return { status, report: JSON.parse(io.out.join('') || '{}') as JsonReport, err: io.err.join('') };
}

const projects = readdirSync(PROJECTS).sort();
const cases = projects.flatMap((project) =>
  existsSync(join(PROJECTS, project, 'broken')) ? readdirSync(join(PROJECTS, project, 'broken')).map((broken) => ({ project, broken })) : [],
);

describe('stack validate on other projects laid out the same way', { timeout: 60_000 }, () => {
  it.each([
    { project: 'shop', environments: ['local', 'qa', 'prod'], edge: 'proxy' },
    { project: 'notes', environments: ['dev', 'production'], edge: 'edge' },
  ])('passes the correct tree of $project (environments and edge from the project)', async ({ project, environments, edge }) => {
    const { status, report, err } = await validate(project);
    expect(report.findings, err).toEqual([]);
    expect(status).toBe(0);
    expect(report.environments).toEqual(environments);
    expect(report.edge).toBe(edge);
  });

  it.each(cases)('$project: $broken breaks exactly the expected rules', async ({ project, broken }) => {
    const expected = readFileSync(join(PROJECTS, project, 'broken', broken, 'expect'), 'utf8').split('\n').filter(Boolean).sort();
    const { status, report, err } = await validate(project, broken);
    expect([...new Set(report.findings.map((finding) => finding.ruleId))].sort(), err).toEqual(expected);
    expect(status).toBe(1);
  });

  it('has fixtures for both projects', () => {
    expect(projects).toEqual(['notes', 'shop']);
    expect(cases.length).toBeGreaterThanOrEqual(8);
  });
});

describe('the rules know no service of this repository', { timeout: 60_000 }, () => {
  it('names none of them in stack/cli/src/validate', () => {
    const tree = join(REPO_ROOT, 'docker-compose');
    const composeFiles = ['services', 'environments', 'infrastructure'].flatMap((folder) =>
      readdirSync(join(tree, folder)).map((name) => join(tree, folder, name)),
    );
    const names = new Set(
      composeFiles.flatMap((file) => {
        const [document] = parseComposeYaml(readFileSync(file, 'utf8'), file);
        return Object.keys(asRecord(asRecord(document?.value)?.services) ?? {});
      }),
    );
    expect(names.size).toBeGreaterThan(5);
    const sourceDir = join(import.meta.dirname, '..', '..', 'src', 'validate');
    const sources = readdirSync(sourceDir, { recursive: true, encoding: 'utf8' }).filter((name) => name.endsWith('.ts') && !name.endsWith('.spec.ts'));
    for (const name of sources) {
      // The code, without comments and without the pattern of data-store image names (an image
      // called redis is a data store whatever its service is called).
      const code = readFileSync(join(sourceDir, name), 'utf8')
        .replace(/\/\*[\s\S]*?\*\//g, '')
        .replace(/^\s*\/\/.*$/gm, '')
        .replace(/\/\^\(\?:\.\*\\\/\)\?.*\/;$/gm, '');
      for (const service of names) {
        expect(new RegExp(`\\b${service}\\b`).test(code) ? `${name} names ${service}` : '').toBe('');
      }
    }
  });
});
