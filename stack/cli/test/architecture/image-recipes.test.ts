import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { REQUIRE_ALL_PROGRAMS_VARIABLE } from '@codiesvibe/shared/testing';
import { afterAll, describe, expect, it } from 'vitest';
import { runRecipe, type StageResult } from './dockerfile-recipe.js';
import { freePort, startProcess, waitForHttp } from './processes.js';
import { REPO_ROOT } from './repo-tree.js';

/**
 * The production target of every image, built natively: the same COPY and npm steps as
 * `docker build`, then the runtime stage started and its HEALTHCHECK run. Each one installs
 * dependencies from the npm cache, so the full set runs in CI (CODIESVIBE_REQUIRE_ALL=1) or when
 * asked for: CODIESVIBE_IMAGE_RECIPES=all or a comma-separated list of services.
 */
interface ImageCase {
  service: string;
  /** The PORT build arg its compose file gives backend/Dockerfile. */
  port: string;
  /** Settings the service needs to start in production with its dependencies absent. */
  env: (dataDir: string) => Record<string, string>;
}

const NODE_SERVICES: ImageCase[] = [
  {
    service: 'nestjs-api',
    port: '4001',
    // Production refuses to run without MongoDB and Redis unless told the embedded choice is on purpose.
    env: (dataDir) => ({ ADMIN_API_KEY: 'recipe-test-admin-key-7f3a9c2e1b5d4f60', DATA_DIR: dataDir, CODIESVIBE_EMBEDDED: 'MONGODB_URI,REDIS_URL' }),
  },
  { service: 'mcp-server', port: '3001', env: () => ({ TOOLS_API_URL: 'http://127.0.0.1:9' }) },
  {
    service: 'fastify-api',
    port: '4002',
    env: (dataDir) => ({ MCP_SERVER_URL: 'http://127.0.0.1:9/mcp', DATA_DIR: dataDir, CODIESVIBE_EMBEDDED: 'MONGODB_URI' }),
  },
  {
    service: 'gateway',
    port: '4000',
    env: () => ({
      API_UPSTREAM: 'http://127.0.0.1:9',
      AI_UPSTREAM: 'http://127.0.0.1:9',
      MCP_UPSTREAM: 'http://127.0.0.1:9',
      FRONTEND_UPSTREAM: 'http://127.0.0.1:9',
      CODIESVIBE_EMBEDDED: 'REDIS_URL',
    }),
  },
];

const requested = process.env.CODIESVIBE_IMAGE_RECIPES ?? (process.env[REQUIRE_ALL_PROGRAMS_VARIABLE] === '1' ? 'all' : '');
const selected = (service: string): boolean => requested === 'all' || requested.split(',').includes(service);
const exists = (service: string): boolean =>
  existsSync(join(REPO_ROOT, service === 'frontend' ? 'frontend' : `backend/${service}`, 'package.json'));

if (requested === '') {
  console.warn('SKIPPED: image recipes (npm ci per image) run in CI, or with CODIESVIBE_IMAGE_RECIPES=all|<service,...>');
}
for (const service of [...NODE_SERVICES.map((image) => image.service), 'frontend']) {
  if (selected(service) && !exists(service)) console.warn(`SKIPPED: image recipe of ${service}: the service does not exist yet`);
}

// In an image, node and its headers come together. Natively, npm's own setting (a user's
// `nodedir=/usr`) could name the headers of another Node than the one running these tests, and
// better-sqlite3 would be built for that one: native addons are built against the headers beside
// this node when it has them (official binaries and Debian's do).
const nodePrefix = dirname(dirname(process.execPath));
const NODE_HEADERS: Record<string, string> = existsSync(join(nodePrefix, 'include', 'node', 'node_version.h'))
  ? { npm_config_nodedir: nodePrefix }
  : {};

// Created on first use, so a run that skips every recipe leaves nothing behind.
let workspaceDir: string | undefined;
const workspace = (): string => (workspaceDir ??= mkdtempSync(join(tmpdir(), 'image-recipes-')));
// Several node_modules trees: removing them takes a while on a busy disk.
afterAll(() => {
  if (workspaceDir) rmSync(workspaceDir, { recursive: true, force: true });
}, 600_000);

function build(service: string, dockerfile: string, serviceArgs: Record<string, string> = {}): StageResult {
  return runRecipe({
    dockerfile: join(REPO_ROOT, dockerfile),
    context: REPO_ROOT,
    target: 'production',
    workDir: mkdtempSync(join(workspace(), `${service}-`)),
    // Same commands as the image; packages come from the local npm cache when it has them.
    runEnv: { npm_config_prefer_offline: 'true', npm_config_audit: 'false', npm_config_fund: 'false', ...NODE_HEADERS },
    buildArgs: { GIT_COMMIT: 'abc1234', VERSION: '9.9.9', BUILD_DATE: '2026-01-01T00:00:00Z', ...serviceArgs },
  });
}

describe.each(NODE_SERVICES.filter((image) => selected(image.service) && exists(image.service)))(
  '$service image, production target built natively',
  ({ service, port, env }) => {
    let image: StageResult;

    it('builds with the recipe of its Dockerfile', () => {
      // The one Dockerfile of the Node services, told which one to build as compose tells it.
      image = build(service, 'backend/Dockerfile', { SERVICE: service, PORT: port });
      expect(image.user).toBe('node');
      expect(image.workdir).toBe(`/app/backend/${service}`);
      expect(image.env.PORT).toBe(port);
      expect(image.labels['org.opencontainers.image.title']).toBe(`codiesvibe-${service}`);
      expect(image.cmd).toEqual(['node', 'dist/main.js']);
      expect(image.healthcheck).toEqual(['node', 'dist/healthcheck.js']);
      expect(image.labels['org.opencontainers.image.revision']).toBe('abc1234');
      expect(image.labels['org.opencontainers.image.version']).toBe('9.9.9');
      const app = join(image.root, 'app');
      // Runtime only: compiled code, production dependencies, no sources or dev tools.
      expect(existsSync(join(app, 'backend', service, 'dist', 'main.js'))).toBe(true);
      expect(existsSync(join(app, 'backend', service, 'src'))).toBe(false);
      expect(existsSync(join(app, 'node_modules', 'typescript'))).toBe(false);
      expect(existsSync(join(app, 'node_modules', 'vitest'))).toBe(false);
    }, 600_000);

    it('starts, answers /health/live, runs its HEALTHCHECK and stops cleanly on SIGTERM', async () => {
      expect(image, 'the build step failed').toBeDefined();
      const port = await freePort();
      const processEnv = {
        PATH: process.env.PATH,
        HOME: process.env.HOME,
        ...image.env,
        PORT: String(port),
        HOST: '127.0.0.1',
        LOG_LEVEL: 'warn',
        ...env(mkdtempSync(join(workspace(), `${service}-data-`))),
      };
      const cwd = join(image.root, image.workdir);
      const [command = 'node', ...args] = image.cmd ?? [];
      const running = startProcess([command, ...args], { cwd, env: processEnv });
      try {
        await waitForHttp(`http://127.0.0.1:${port}/health/live`, running);
        expect((await fetch(`http://127.0.0.1:${port}/health/live`)).status).toBe(200);
        const [probe = 'node', ...probeArgs] = image.healthcheck ?? [];
        const check = spawnSync(probe, probeArgs, { cwd, env: processEnv, encoding: 'utf8' });
        // Ready (0), or not ready because its dependencies are absent here: either way the
        // healthcheck ran inside the image layout and reached the service.
        expect(check.status === 0 || check.stderr.includes('answered 503'), check.stderr).toBe(true);
      } finally {
        await running.stop();
      }
      expect(running.child.exitCode, running.output()).toBe(0);
    }, 60_000);
  },
);

describe.skipIf(!selected('frontend') || !exists('frontend'))('frontend image, production target built natively', () => {
  it('puts the built app and the nginx config where the nginx image serves them', () => {
    const image = build('frontend', 'frontend/Dockerfile.frontend');
    expect(image.user).toBe('nginx');
    expect(image.healthcheck).toEqual(['wget', '-q', '--spider', 'http://127.0.0.1:8080/healthz']);
    expect(image.env.NGINX_ENVSUBST_OUTPUT_DIR).toBe('/tmp');
    expect(readFileSync(join(image.root, 'usr/share/nginx/html/index.html'), 'utf8')).toContain('<script');
    expect(existsSync(join(image.root, 'etc/nginx/templates/default.conf.template'))).toBe(true);
    expect(readFileSync(join(image.root, 'etc/nginx/nginx.conf'), 'utf8')).toContain('include /tmp/default.conf;');
  }, 600_000);
});
