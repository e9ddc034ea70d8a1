import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { REQUIRE_ALL_PROGRAMS_VARIABLE } from '@codiesvibe/shared/testing';
import { describe, expect, it } from 'vitest';
import { runCli } from '../src/main.js';

// The public Compose conformance corpus (expected outputs recorded from docker compose v2.40.3) is
// optional: it lives in a `shared/compose-conformance` folder beside the repository when there is
// one. This test runs it in-process through `stack config` so the workspace suite catches
// regressions without a build. The repository's own cases (stack/compose/test/conformance) always
// run, in stack/compose's tests.
const corpus = resolve(import.meta.dirname, '..', '..', '..', '..', 'shared', 'compose-conformance', 'cases');
const cases = existsSync(corpus) ? readdirSync(corpus).filter((name) => existsSync(join(corpus, name, 'case.json'))).sort() : [];
if (cases.length === 0) {
  const reason = `the external Compose conformance corpus is not there (${corpus})`;
  if (process.env[REQUIRE_ALL_PROGRAMS_VARIABLE] === '1') {
    throw new Error(`${reason}, and ${REQUIRE_ALL_PROGRAMS_VARIABLE}=1 requires every test to run`);
  }
  console.warn(`SKIPPED: ${reason}`);
}

interface CaseSpec {
  args?: string[];
  env?: Record<string, string>;
  expect: { exit: number | 'nonzero'; stderr?: string[] };
}

/** The runner's comparison rules: null equals {}, null command/entrypoint dropped, project dir as placeholder. */
function canonical(value: unknown, dir: string): unknown {
  if (typeof value === 'string') return value.split(dir).join('<PROJECT_DIR>');
  if (Array.isArray(value)) return value.map((item) => canonical(item, dir));
  if (value && typeof value === 'object') {
    const out: Record<string, unknown> = {};
    for (const [key, item] of Object.entries(value)) {
      if (item === null && (key === 'command' || key === 'entrypoint')) continue;
      out[canonical(key, dir) as string] = item === null ? {} : canonical(item, dir);
    }
    return out;
  }
  return value;
}

describe.skipIf(cases.length === 0)('compose conformance corpus (in-process)', () => {
  it.each(cases)('%s', async (name) => {
    const dir = join(corpus, name);
    const spec = JSON.parse(readFileSync(join(dir, 'case.json'), 'utf8')) as CaseSpec;
    let stdout = '';
    let stderr = '';
    const status = await runCli(['config', '--format', 'json', ...(spec.args ?? [])], {
      stdout: (text) => (stdout += text),
      stderr: (text) => (stderr += text),
      cwd: dir,
      env: { PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? '/root', ...spec.env },
    });
    if (spec.expect.exit === 0) {
      expect(stderr.includes('[STACK_ERR'), stderr).toBe(false);
      expect(status).toBe(0);
      const expected = JSON.parse(readFileSync(join(dir, 'expected.json'), 'utf8')) as unknown;
      expect(canonical(JSON.parse(stdout), dir)).toEqual(canonical(expected, dir));
    } else {
      expect(status).not.toBe(0);
      for (const word of spec.expect.stderr ?? []) expect(stderr.toLowerCase()).toContain(word.toLowerCase());
    }
  });
});
