import { spawnSync } from 'node:child_process';
import { requireProgram } from '@codiesvibe/shared/testing';
import { afterEach, describe, expect, it } from 'vitest';
import {
  REPO_ROOT,
  interrupt,
  isAlive,
  nativeProcesses,
  processesOfThisRun,
  startStack,
  type RunningStack,
} from './native-stack-harness.js';

/** The admin key of the development environment (.env.development), which the browser's admin flow uses. */
const DEVELOPMENT_ADMIN_KEY = 'codiesvibe-dev-admin-key';

// The main job: `npm start` on a machine without Docker gives a working CodiesVibe. This runs the
// real start script (what `npm start` runs) and the real services; only MongoDB and Ollama are
// absent, so the embedded store and the built-in ranker answer, as they would on a fresh machine.
let stack: RunningStack | undefined;
afterEach(async () => {
  if (stack && stack.child.exitCode === null) await interrupt(stack);
  stack = undefined;
});

describe('npm start (native, embedded defaults)', () => {
  it('serves the frontend, the seeded directory and AI search through one URL, and Ctrl-C leaves no process behind', async () => {
    const before = new Set(processesOfThisRun().map((p) => p.pid));
    stack = await startStack([process.execPath, 'scripts/start.mjs']);
    expect(stack.url).toBe('http://localhost:4000/');

    const home = await fetch(stack.url);
    expect(home.status).toBe(200);
    expect(home.headers.get('content-type')).toContain('text/html');
    expect(await home.text()).toContain('<div id="root">');

    const tools = (await (await fetch(new URL('/api/tools?limit=5', stack.url))).json()) as { total: number; items: { slug: string }[] };
    expect(tools.total).toBeGreaterThanOrEqual(60);
    expect(tools.items).toHaveLength(5);

    const search = await fetch(new URL('/ai/search', stack.url), {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ query: 'free vscode extension for writing tests', limit: 5 }),
    });
    expect(search.status).toBe(200);
    const answer = (await search.json()) as { mode: string; results: unknown[] };
    expect(answer.mode).toBe('fallback');
    expect(answer.results.length).toBeGreaterThan(0);

    // The integration suite the testing environment's `tests` service runs, against this stack.
    const suite = spawnSync('npm', ['run', 'test:stack', '-w', 'e2e'], {
      cwd: REPO_ROOT,
      env: { ...process.env, E2E_BASE_URL: stack.url },
      encoding: 'utf8',
      timeout: 180_000,
    });
    expect(suite.status, `${suite.stdout}\n${suite.stderr}`.slice(-6000)).toBe(0);

    // The browser flows of the frontend (search, filters, tool page, AI search stream, admin edit)
    // in Debian's Chromium, against this stack through the gateway.
    if (requireProgram('chromium')) {
      const browser = spawnSync('npm', ['run', 'test:e2e', '-w', 'frontend'], {
        cwd: REPO_ROOT,
        env: { ...process.env, E2E_BASE_URL: stack.url, E2E_ADMIN_API_KEY: DEVELOPMENT_ADMIN_KEY },
        encoding: 'utf8',
        // Every flow twice (pointer, keyboard only) and axe on every page in both themes.
        timeout: 900_000,
      });
      expect(browser.status, `${browser.stdout}\n${browser.stderr}`.slice(-6000)).toBe(0);
    }

    const pids = nativeProcesses().map((p) => p.pid);
    expect(pids.length).toBeGreaterThanOrEqual(4);
    expect(pids.every(isAlive)).toBe(true);

    expect(await interrupt(stack)).toBe(0);
    for (const pid of pids) expect(isAlive(pid), `pid ${pid} still running`).toBe(false);
    const left = processesOfThisRun().filter((p) => !before.has(p.pid));
    expect(left, JSON.stringify(left)).toEqual([]);
  }, 1_200_000);
});
