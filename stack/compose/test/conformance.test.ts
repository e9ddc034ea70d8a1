import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { formatRawModel, isComposeError, loadModelSync, loadProjectSync, toComposeJson, toComposeYaml, type LoadProjectOptions } from '../src/index.js';
import { projectIdentity } from '../src/project-identity.js';
import { canonicalModel, withPlaceholder } from './conformance/compare-models.mjs';

// This repository's own Compose conformance cases: realistic projects per area of the
// specification, each with the JSON and YAML that Docker Compose v2.40.3 (compose-go v2.9.1)
// prints for it, recorded from Compose's own loader. Run in-process here; `npm run conformance`
// runs them through the built `stack` binary too.
const casesDir = join(import.meta.dirname, 'conformance', 'cases');
const cases = readdirSync(casesDir).filter((name) => existsSync(join(casesDir, name, 'case.json'))).sort();

interface CaseSpec {
  args?: string[];
  env?: Record<string, string>;
  expect: { exit: number | 'nonzero'; stderr?: string[] };
}

/** The global options and `config` arguments a case gives, as loader options. */
function loadOptions(dir: string, spec: CaseSpec): LoadProjectOptions {
  const options: LoadProjectOptions & { files: string[]; envFiles: string[]; profiles: string[]; services: string[] } = {
    cwd: dir,
    env: { PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? '/root', ...spec.env },
    files: [],
    envFiles: [],
    profiles: [],
    services: [],
  };
  const args = [...(spec.args ?? [])];
  while (args.length > 0) {
    const arg = args.shift() ?? '';
    const value = (): string => args.shift() ?? '';
    if (arg === '-f' || arg === '--file') options.files.push(value());
    else if (arg === '--env-file') options.envFiles.push(value());
    else if (arg === '--profile') options.profiles.push(value());
    else if (arg === '-p' || arg === '--project-name') options.projectName = value();
    else if (arg === '--project-directory') options.projectDirectory = value();
    else if (arg === '--all-resources') options.allResources = true;
    else if (arg === '--no-interpolate') options.noInterpolate = true;
    else if (arg.startsWith('-')) throw new Error(`conformance case: unsupported argument ${arg}`);
    else options.services.push(arg);
  }
  return options;
}

describe('compose conformance: this repository’s cases (in-process)', () => {
  it('has cases for every area of the specification', () => {
    const areas = new Set(cases.map((name) => name.split('-')[0]));
    for (const area of ['build', 'deploy', 'develop', 'envfile', 'error', 'extends', 'gpus', 'hooks', 'include', 'models', 'provider', 'resources', 'runtime']) {
      expect(areas, area).toContain(area);
    }
  });

  it.each(cases)('%s', async (name) => {
    const dir = join(casesDir, name);
    const spec = JSON.parse(readFileSync(join(dir, 'case.json'), 'utf8')) as CaseSpec;
    if (spec.expect.exit !== 0) {
      let message = '';
      try {
        // `config --format json` fails when the model loads but cannot be printed (an infinity).
        toComposeJson(loadProjectSync(loadOptions(dir, spec)).project);
      } catch (error) {
        expect(isComposeError(error), String(error)).toBe(true);
        message = withPlaceholder((error as Error & { format(): string }).format(), dir);
      }
      expect(message, 'the project loads, but Compose refuses it').not.toBe('');
      for (const word of spec.expect.stderr ?? []) expect(message.toLowerCase()).toContain(word.toLowerCase());
      return;
    }
    const yamlFile = join(dir, 'expected.yaml');
    if (loadOptions(dir, spec).noInterpolate) {
      // `config --no-interpolate` prints the model as loaded, never typed into a project.
      const model = loadModelSync(loadOptions(dir, spec));
      expect(withPlaceholder(formatRawModel(model, 'json'), dir)).toBe(readFileSync(join(dir, 'expected.json'), 'utf8'));
      if (existsSync(yamlFile)) expect(withPlaceholder(formatRawModel(model, 'yaml'), dir)).toBe(readFileSync(yamlFile, 'utf8'));
      return;
    }
    const { project } = loadProjectSync(loadOptions(dir, spec));
    // Commands that only need to know the project (stack ps) name it without loading the model.
    const identity = await projectIdentity(loadOptions(dir, spec));
    expect(identity).toEqual({ name: project.name, workingDir: project.workingDir, composeFiles: project.composeFiles, profiles: project.profiles });
    const json = withPlaceholder(toComposeJson(project), dir);
    const expectedJson = readFileSync(join(dir, 'expected.json'), 'utf8');
    expect(canonicalModel(JSON.parse(json))).toEqual(canonicalModel(JSON.parse(expectedJson)));
    expect(json).toBe(expectedJson);
    if (existsSync(yamlFile)) expect(withPlaceholder(toComposeYaml(project), dir)).toBe(readFileSync(yamlFile, 'utf8'));
  });
});
