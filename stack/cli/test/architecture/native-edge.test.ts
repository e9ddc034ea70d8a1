import { cpSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadProjectSync } from '@codiesvibe/compose';
import { requireProgram } from '@codiesvibe/shared/testing';
import { afterAll, describe, expect, it } from 'vitest';
import { buildNativePlan } from '../../src/native/native-plan-builder.js';
import { writeRuntimeFiles } from '../../src/native/runtime-files.js';
import { REPO_ROOT } from './repo-tree.js';

const nginx = requireProgram('nginx');
const work = mkdtempSync(join(tmpdir(), 'native-edge-'));
afterAll(() => rmSync(work, { recursive: true, force: true }));

/** The compose tree and config/ in a folder of their own, with throwaway production secrets. */
function treeCopy(): string {
  for (const entry of ['compose.yaml', 'docker-compose', 'config', '.env.production.example', 'package.json']) {
    cpSync(join(REPO_ROOT, entry), join(work, entry), { recursive: true });
  }
  mkdirSync(join(work, 'secrets'), { recursive: true, mode: 0o700 });
  for (const secret of ['mongo_root_password', 'mongo_app_password', 'mongodb_uri', 'redis_password', 'redis_url', 'admin_api_key', 'grafana_admin_password']) {
    writeFileSync(join(work, 'secrets', secret), secret.endsWith('uri') ? 'mongodb://u:p@mongodb:27017/x' : secret.endsWith('url') ? 'redis://:p@redis:6379' : 'throwaway', { mode: 0o600 });
  }
  return work;
}

// The native runner renders config/nginx with loopback addresses (agreement 3). An upstream the
// runner does not run (Grafana with --profile monitoring) must still leave a config that nginx
// accepts, answering 502 for it as under Docker without the profile.
describe.skipIf(!nginx)('config/nginx rendered by the native runner', { timeout: 60_000 }, () => {
  it.each([[[]], [['monitoring']]])('passes nginx -t in production with profiles %j', async (profiles) => {
    const tree = treeCopy();
    const { project } = loadProjectSync({
      cwd: tree,
      envFiles: [join(tree, '.env.production.example')],
      env: { PATH: process.env.PATH, CODIESVIBE_ENV: 'production', EDGE_HTTP_PORT: '0' },
      profiles,
    });
    const plan = await buildNativePlan(project, { environment: 'production', baseEnv: { PATH: process.env.PATH } });
    writeRuntimeFiles(plan.dirs, plan.files);
    const preflight = plan.preflights.find((entry) => entry.service === 'nginx');
    expect(preflight, 'nginx runs natively in production').toBeDefined();
    expect(preflight?.run()).toBeUndefined();
  });
});
