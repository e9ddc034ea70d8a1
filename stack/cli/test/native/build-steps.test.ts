import { mkdirSync, mkdtempSync, rmSync, utimesSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { isBuildFresh, markBuilt, mergeBuildSteps, runBuildStep } from '../../src/native/build-steps.js';

describe('mergeBuildSteps', () => {
  it('builds each workspace once, dependencies first, and keeps other commands once', () => {
    const merged = mergeBuildSteps([
      { service: 'api', argv: ['npm', 'run', 'build', '-w', 'backend/shared', '-w', 'backend/api'] },
      { service: 'gw', argv: ['npm', 'run', 'build', '-w', 'backend/shared', '-w', 'backend/gw'] },
      { service: 'x', argv: ['make', 'x'] },
      { service: 'y', argv: ['make', 'x'] },
    ]);
    expect(merged).toEqual([
      { service: 'api, gw', argv: ['npm', 'run', 'build', '-w', 'backend/shared', '-w', 'backend/api', '-w', 'backend/gw'] },
      { service: 'x', argv: ['make', 'x'] },
    ]);
  });
});

describe('build freshness', () => {
  const root = mkdtempSync(join(tmpdir(), 'stack-build-'));
  afterAll(() => rmSync(root, { recursive: true, force: true }));
  const step = { service: 'api', argv: ['npm', 'run', 'build', '-w', 'api'] };
  const stamps = join(root, '.stack', 'build');

  it('is stale until built, fresh after, and stale again when a source file changes', () => {
    mkdirSync(join(root, 'api', 'src'), { recursive: true });
    mkdirSync(join(root, 'api', 'dist'), { recursive: true });
    const source = join(root, 'api', 'src', 'main.ts');
    writeFileSync(source, 'export {};');
    const past = new Date(Date.now() - 60_000);
    utimesSync(source, past, past);
    expect(isBuildFresh(root, step, stamps)).toBe(false);
    markBuilt(step, stamps, new Date(Date.now() - 1000));
    expect(isBuildFresh(root, step, stamps)).toBe(true);
    writeFileSync(source, 'export const changed = 1;');
    expect(isBuildFresh(root, step, stamps)).toBe(false);
  });

  it('never treats a non-npm command as fresh', () => {
    expect(isBuildFresh(root, { service: 'x', argv: ['make'] }, stamps)).toBe(false);
  });
});

describe('runBuildStep', () => {
  it('reports the failing command and its exit code', async () => {
    await expect(
      runBuildStep(process.cwd(), { service: 'api', argv: [process.execPath, '-e', 'process.exit(4)'] }, () => undefined),
    ).rejects.toThrow(/build of api failed \(.* exited with 4\)/);
  });
});
