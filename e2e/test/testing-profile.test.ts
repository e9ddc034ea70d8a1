import { spawnSync } from 'node:child_process';
import { describe, expect, it } from 'vitest';
import { REPO_ROOT, markedEnv, processesOfThisRun } from './native-stack-harness.js';

// The plan's "Run integration tests" example, natively: the testing environment comes up, its
// `tests` service runs the integration suite through the gateway, and stack exits with its code.
describe('npx stack --profile testing up --abort-on-container-exit (native)', () => {
  it('runs the integration suite against the testing environment and exits with its status', () => {
    const before = new Set(processesOfThisRun().map((p) => p.pid));
    const run = spawnSync(
      process.execPath,
      ['stack/cli/bin/stack.js', '--profile', 'testing', 'up', '--abort-on-container-exit', '--native', '--no-build'],
      { cwd: REPO_ROOT, env: markedEnv(), encoding: 'utf8', timeout: 300_000 },
    );
    const output = `${run.stdout}\n${run.stderr}`;
    expect(run.status, output.slice(-6000)).toBe(0);
    expect(output).toContain('aborting: tests exited and --abort-on-container-exit is set');
    expect(output).toMatch(/Tests\s+\d+ passed/);
    const left = processesOfThisRun().filter((p) => !before.has(p.pid));
    expect(left, JSON.stringify(left)).toEqual([]);
  });
});
