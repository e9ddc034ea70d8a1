import { mkdirSync, mkdtempSync, rmSync, utimesSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { isBuildFresh, mergeBuildSteps, runBuildStep } from '../../src/native/build-steps.js';

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
  const at = (path: string, secondsAgo: number) => utimesSync(path, new Date(Date.now() - secondsAgo * 1000), new Date(Date.now() - secondsAgo * 1000));

  it('is stale without output, fresh when the output is newer, stale again when a source changes', () => {
    mkdirSync(join(root, 'api', 'src'), { recursive: true });
    const source = join(root, 'api', 'src', 'main.ts');
    writeFileSync(source, 'export {};');
    at(source, 60);
    expect(isBuildFresh(root, step)).toBe(false);
    mkdirSync(join(root, 'api', 'dist'), { recursive: true });
    writeFileSync(join(root, 'api', 'dist', 'main.js'), 'export {};');
    at(join(root, 'api', 'dist', 'main.js'), 30);
    expect(isBuildFresh(root, step)).toBe(true);
    writeFileSync(source, 'export const changed = 1;');
    expect(isBuildFresh(root, step)).toBe(false);
  });

  it('never treats a non-npm command as fresh', () => {
    expect(isBuildFresh(root, { service: 'x', argv: ['make'] })).toBe(false);
  });
});

describe('runBuildStep', () => {
  it('reports the failing command and its exit code', async () => {
    await expect(
      runBuildStep(process.cwd(), { service: 'api', argv: [process.execPath, '-e', 'process.exit(4)'] }, () => undefined),
    ).rejects.toThrow(/build of api failed \(.* exited with 4\)/);
  });
});
