import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { runCli } from '../../src/main.js';

// The refusals of `stack deploy` that need no running stack (the running ones are in
// e2e/test/deploy.test.ts): one line, exit status 1 or 2, nothing started.
const dir = mkdtempSync(join(tmpdir(), 'stack-deploy-'));
writeFileSync(join(dir, 'package.json'), '{"name":"demo","version":"1.0.0"}');
writeFileSync(join(dir, 'compose.yaml'), 'name: demo\nservices:\n  api:\n    image: demo/api:${VERSION:-dev}\n    x-native:\n      command: [node, -e, "setInterval(() => {}, 1000)"]\n');
writeFileSync(join(dir, '.env.production'), 'CODIESVIBE_ENV=production\nVERSION=1.0.0\n');
afterAll(() => rmSync(dir, { recursive: true, force: true }));

async function stack(args: string[]) {
  let stdout = '';
  let stderr = '';
  const code = await runCli(args, { stdout: (text) => (stdout += text), stderr: (text) => (stderr += text), cwd: dir, env: { PATH: process.env.PATH, HOME: process.env.HOME } });
  return { code, stdout, stderr };
}

describe('stack deploy refuses before touching anything', { timeout: 30_000 }, () => {
  it('says the environment is not running natively, and how to start it', async () => {
    const result = await stack(['--env', 'production', 'deploy']);
    expect(result.code).toBe(1);
    expect(result.stderr.trim().split('\n')).toEqual(['stack: production is not running natively here: start it with `stack --env production up -d`, then deploy [STACK_ERR_DEPLOY]']);
  });

  it('needs an environment, and --out only with --target swarm', async () => {
    expect((await stack(['deploy'])).code).toBe(2);
    const out = await stack(['--env', 'production', 'deploy', '--out', 'x.yml']);
    expect(out.code).toBe(2);
    expect(out.stderr).toContain('--out goes with --target swarm');
    const timeout = await stack(['--env', 'production', 'deploy', '--timeout', 'soon']);
    expect(timeout.code).toBe(2);
    expect(timeout.stderr).toContain('--timeout takes a duration such as 120s');
  });

  it('--status says when nothing was released', async () => {
    const result = await stack(['--env', 'production', 'deploy', '--status']);
    expect(result.code).toBe(0);
    expect(result.stdout).toBe('demo (not running natively)\ncurrent:  (none)\nprevious: (none)\n');
  });
});
