import { spawnSync } from 'node:child_process';
import { cpSync, existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

// The `stack` binary runs from a bundle (dist/bundle, built by `npm run build`): one entry and
// chunks loaded by the command that needs them. These tests run the real binary and record which
// bundle files each command loads, then look up in the bundle's metafile which sources those hold.
const cliDir = resolve(import.meta.dirname, '..', '..');
const repoRoot = resolve(cliDir, '..', '..');
const bin = join(cliDir, 'bin', 'stack.js');
const bundleDir = join(cliDir, 'dist', 'bundle');
const hook = join(import.meta.dirname, 'loaded-modules-hook.mjs');

interface Metafile {
  outputs: Record<string, { inputs: Record<string, unknown> }>;
}

let scratch = '';
beforeAll(() => {
  if (!existsSync(join(bundleDir, 'meta.json'))) {
    const build = spawnSync('npm', ['run', 'build', '--silent', '-w', 'stack/compose', '-w', 'stack/cli'], { cwd: repoRoot, encoding: 'utf8' });
    if (build.status !== 0) throw new Error(`building the bundle failed: ${build.stderr}`);
  }
  scratch = mkdtempSync(join(tmpdir(), 'stack-bundle-'));
}, 300_000);
afterAll(() => rmSync(scratch, { recursive: true, force: true }));

/** Runs `stack ARGS` from the repository root; returns its status and the sources it loaded. */
function run(args: string[]): { status: number | null; stdout: string; sources: string[]; builtins: string[]; files: string[] } {
  const record = join(scratch, `${args.join('_').replace(/[^a-z0-9_-]/gi, '')}.txt`);
  const result = spawnSync(process.execPath, ['--import', hook, bin, ...args], {
    cwd: repoRoot,
    env: { PATH: process.env.PATH, HOME: process.env.HOME, STACK_LOADED_MODULES_FILE: record, NO_COLOR: '1' },
    encoding: 'utf8',
    timeout: 60_000,
  });
  const meta = JSON.parse(readFileSync(join(bundleDir, 'meta.json'), 'utf8')) as Metafile;
  const lines = readFileSync(record, 'utf8').split('\n');
  const loaded = lines.filter((url) => url.startsWith('file:'));
  const sources = new Set<string>();
  for (const url of loaded) {
    const file = fileURLToPath(url);
    let inBundle = false;
    for (const [output, { inputs }] of Object.entries(meta.outputs)) {
      if (resolve(repoRoot, output) === file || resolve(cliDir, output) === file || file.endsWith(`/${output}`)) {
        for (const input of Object.keys(inputs)) sources.add(input);
        inBundle = true;
      }
    }
    // Loaded from outside the bundle (a package the engine requires when it needs it).
    if (!inBundle && file.includes('/node_modules/')) sources.add(file);
  }
  const files = loaded.map((url) => fileURLToPath(url)).filter((file) => file.startsWith(`${bundleDir}/`)).map((file) => file.slice(bundleDir.length + 1));
  return { status: result.status, stdout: result.stdout, sources: [...sources], builtins: lines.filter((line) => line.startsWith('node:')), files };
}

/** The YAML parser, the schema and its validator, and the model loader. */
const yamlOrSchema = (source: string): boolean =>
  /node_modules\/(yaml|ajv)\//.test(source) || /compose\/src\/(yaml|schema)\//.test(source) || /compose\/src\/(load-project|loader\/load-model)\.ts$/.test(source);

describe('the stack bundle', { timeout: 60_000 }, () => {
  it('`stack --help` loads no YAML, schema or model loading code', () => {
    const result = run(['--help']);
    expect(result.status).toBe(0);
    expect(result.stdout).toContain('config');
    expect(result.sources.length).toBeGreaterThan(0);
    expect(result.sources.filter(yamlOrSchema)).toEqual([]);
  });

  it('runs help, config and ps from the core script alone, any other command from the ES bundle without the core', () => {
    for (const args of [['--help'], ['--env', 'production', 'config', '-q'], ['ps', '--native']]) {
      const result = run(args);
      expect(result.status).toBe(0);
      expect(result.files).toContain('core.cjs');
      expect(result.files.filter((file) => file.endsWith('.js'))).toEqual([]);
    }
    const version = run(['version']);
    expect(version.status).toBe(0);
    expect(version.stdout).toMatch(/^stack version /);
    expect(version.files).toContain('stack.js');
    expect(version.files).not.toContain('core.cjs');
  });

  it('`stack ps` loads no YAML, schema or model loading code', () => {
    const result = run(['ps', '--native']);
    expect(result.status).toBe(0);
    expect(result.sources.filter(yamlOrSchema)).toEqual([]);
  });

  it('`stack ps` with nothing running loads neither the native runner, its plan builder and zod, nor child_process', () => {
    // The scratch folder is a project of its own, so a stack someone runs on this machine is not found.
    const project = join(scratch, 'ps-project');
    mkdirSync(project, { recursive: true });
    writeFileSync(join(project, 'compose.yml'), 'services:\n  web:\n    image: nginx\n');
    const result = run(['--project-directory', project, 'ps', '--native']);
    expect(result.status).toBe(0);
    expect(result.sources.filter((source) => /node_modules\/zod\/|src\/native\/native-(runner|plan-builder)\.ts$/.test(source))).toEqual([]);
    expect(result.sources.some((source) => source.endsWith('src/native/npm-root.ts'))).toBe(true);
    // The Docker runner and the engine probe need it; neither runs when nothing is up and --native is given.
    expect(result.builtins).toContain('node:fs');
    expect(result.builtins).not.toContain('node:child_process');
  });

  it('`stack config` checks the schema with the precompiled schema and the engine’s check, not ajv', () => {
    const result = run(['--env', 'production', 'config', '-q']);
    expect(result.status).toBe(0);
    expect(result.sources.some((source) => source.includes('compose/src/schema/precompiled-validator'))).toBe(true);
    expect(result.sources.some((source) => source.includes('compose/src/schema/schema-check'))).toBe(true);
    expect(result.sources.filter((source) => /node_modules\/ajv\//.test(source))).toEqual([]);
    // This repository's files are all read by the engine's fast YAML reader.
    expect(result.sources.some((source) => source.includes('compose/src/yaml/fast-yaml'))).toBe(true);
    expect(result.sources.filter((source) => /node_modules\/yaml\//.test(source))).toEqual([]);
  });

  it('`stack config` keeps the engine’s compiled code for the next run, and replaces a cache V8 refuses', () => {
    // A copy of the binary and its bundle, so no other test's `stack` run writes its cache meanwhile.
    const copy = join(scratch, 'cli');
    cpSync(join(cliDir, 'bin'), join(copy, 'bin'), { recursive: true });
    cpSync(bundleDir, join(copy, 'dist', 'bundle'), { recursive: true, filter: (source) => !source.endsWith('.cache') });
    const copiedBundle = join(copy, 'dist', 'bundle');
    const config = (): { status: number | null; stdout: string } =>
      spawnSync(process.execPath, [join(copy, 'bin', 'stack.js'), '--env', 'production', 'config', '--format', 'json'], {
        cwd: repoRoot,
        env: { PATH: process.env.PATH, HOME: process.env.HOME },
        encoding: 'utf8',
        timeout: 60_000,
      });
    const caches = (): string[] => readdirSync(copiedBundle).filter((name) => /^engine\.\d+\.cache$/.test(name));
    const coreCaches = (): string[] => readdirSync(copiedBundle).filter((name) => /^core\.\d+\.cache$/.test(name));
    expect(caches()).toEqual([]);
    const first = config();
    expect(first.status).toBe(0);
    const [cache] = caches();
    expect(cache).toBeDefined();
    // The core script (the CLI's own code) is loaded before TurboFan goes off, the engine after:
    // each has a cache, written for the flags the next run loads it with.
    const [coreCache] = coreCaches();
    expect(coreCache).toBeDefined();
    expect(coreCache?.split('.')[1]).not.toBe(cache?.split('.')[1]);
    const file = join(copiedBundle, cache ?? '');
    const written = statSync(file).mtimeMs;
    const coreWritten = statSync(join(copiedBundle, coreCache ?? '')).mtimeMs;
    // The next run takes both (V8 accepts them), so nothing is written again.
    const second = config();
    expect(second.stdout).toBe(first.stdout);
    expect(statSync(file).mtimeMs).toBe(written);
    expect(statSync(join(copiedBundle, coreCache ?? '')).mtimeMs).toBe(coreWritten);
    expect(coreCaches()).toEqual([coreCache]);
    // A cache that does not match the engine is refused: the run answers the same and writes a good one.
    writeFileSync(file, 'not a code cache');
    const third = config();
    expect(third.status).toBe(0);
    expect(third.stdout).toBe(first.stdout);
    expect(statSync(file).size).toBeGreaterThan(10_000);
    expect(caches()).toEqual([cache]);
  });

  it('`stack config` on a file the fast YAML reader leaves alone loads the yaml package for it', () => {
    const file = join(scratch, 'multi-line.yml');
    writeFileSync(file, 'services:\n  web:\n    image: nginx\n    command: nginx -g\n      "daemon off;"\n');
    const result = run(['-f', file, 'config', '-q']);
    expect(result.status).toBe(0);
    expect(result.sources.some((source) => /node_modules\/yaml\//.test(source))).toBe(true);
  });

  it('run as a program (its #! line), `--env-file NAME=FILE` reaches stack, not Node (Node 20 reads --env-file itself)', () => {
    const file = join(scratch, 'greeting.yml');
    writeFileSync(file, 'services:\n  web:\n    image: nginx:${TAG}\n');
    writeFileSync(join(scratch, '.env.production'), 'TAG=1.27.4\n');
    const migrated = spawnSync(bin, ['migrate', '--env', `production=${file}`, '--env-file', 'production=.env.production'], {
      cwd: scratch,
      env: { PATH: process.env.PATH, HOME: process.env.HOME, NO_COLOR: '1' },
      encoding: 'utf8',
    });
    expect(migrated.stderr).not.toMatch(/^node:/m);
    expect(migrated.stdout).toMatch(/production +- +1 +equal/);
    expect(migrated.status).toBe(0);
  });

  it('a refused compose file gets ajv’s explanation from the bundle’s own file, with its line', () => {
    const file = join(scratch, 'refused.yml');
    writeFileSync(file, 'services:\n  web:\n    image: nginx\n    ports: [80, 80]\n    enviroment: {A: 1}\n');
    const result = spawnSync(process.execPath, [bin, '-f', file, 'config', '-q'], { cwd: scratch, env: { PATH: process.env.PATH, HOME: process.env.HOME }, encoding: 'utf8' });
    expect(result.status).not.toBe(0);
    expect(result.stderr).toContain(`${file}:5:5: validating ${file}: services.web additional properties 'enviroment' not allowed`);
    expect(existsSync(join(bundleDir, 'compose-schema-errors.cjs'))).toBe(true);
  });
});
