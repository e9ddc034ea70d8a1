import { describe, expect, it } from 'vitest';
import { healthcheckPrograms } from './healthcheck-binary.rule.js';
import { hasShellSubstitution } from './no-shell-substitution.rule.js';
import { imageTag } from './pinned-image-tags.rule.js';
import { isSecretKey } from './production-secrets.rule.js';
import { isDataImage, missingBinaries } from '../image-inspection.js';
import { imageNameCases } from './distinct-build-tags.rule.js';
import { exposesEngineSocket } from './mounts.rule.js';
import { isRootUser } from './production-settings.rule.js';
import { isRestartPolicy } from './restart-policy.rule.js';

describe('rule helpers', () => {
  it('tells shell substitution from its escaped form', () => {
    expect(hasShellSubstitution('${BUILD_DATE:-$(date -u)}')).toBe(true);
    expect(hasShellSubstitution('$$(cat /run/secrets/x)')).toBe(false);
    expect(hasShellSubstitution('$$$(date)')).toBe(true);
    expect(hasShellSubstitution('${VERSION:-unknown}')).toBe(false);
  });

  it('reads image tags, registries with ports included', () => {
    expect(imageTag('mongo:8.0.9')).toEqual({ tag: '8.0.9', digest: false });
    expect(imageTag('registry.local:5000/team/api')).toEqual({ tag: undefined, digest: false });
    expect(imageTag('redis@sha256:abc')).toEqual({ tag: undefined, digest: true });
  });

  it('finds the programs a healthcheck runs', () => {
    expect(healthcheckPrograms(['CMD', 'node', 'dist/healthcheck.js'])).toEqual(['node']);
    expect(healthcheckPrograms(['CMD-SHELL', 'curl -f http://x || exit 1'])).toEqual(['curl', 'exit']);
    expect(healthcheckPrograms(['CMD-SHELL', 'AUTH=1 wget -q -O- http://x | grep ok'])).toEqual(['wget', 'grep']);
  });

  it('knows what common images lack', () => {
    expect(missingBinaries('node:24.11.1-alpine3.22')).toEqual(['curl', 'wget']);
    expect(missingBinaries('nginxinc/nginx-unprivileged:1.28.0-alpine')).toEqual(['curl']);
    expect(missingBinaries('grafana/grafana:12.0.2')).toEqual([]);
  });

  it('treats NAME_FILE as the path of a secret, not a secret', () => {
    expect(isSecretKey('ADMIN_API_KEY')).toBe(true);
    expect(isSecretKey('MONGO_APP_PASSWORD')).toBe(true);
    expect(isSecretKey('MONGO_APP_PASSWORD_FILE')).toBe(false);
    expect(isSecretKey('MONGODB_URI')).toBe(false);
  });

  it('evaluates an image name with its variables unset and set', () => {
    expect(imageNameCases('app:${VERSION:-dev}')).toEqual(['app:dev', 'app:\u2039VERSION\u203a']);
    // Required: it cannot be unset, so only the "set" case remains.
    expect(imageNameCases('app:${VERSION:?set it}')).toEqual(['app:\u2039VERSION\u203a']);
    expect(imageNameCases('app:${ENV}-x', { ENV: 'prod' })).toEqual(['app:prod-x', 'app:prod-x']);
  });

  it('accepts the restart policies Docker accepts, and no other', () => {
    for (const policy of ['no', 'always', 'unless-stopped', 'on-failure', 'on-failure:3']) expect(isRestartPolicy(policy), policy).toBe(true);
    for (const policy of ['unless_stopped', 'on-failure:', 'on-failure:-1', 'Always', 'sometimes', '']) expect(isRestartPolicy(policy), policy).toBe(false);
  });

  it('tells root users from others', () => {
    for (const user of ['root', '0', '0:0', 'root:root', '0:1000']) expect(isRootUser(user), user).toBe(true);
    for (const user of ['node', '1000', '1000:0', '65534:65534', 'nginx']) expect(isRootUser(user), user).toBe(false);
  });

  it('recognises engine sockets and the folders holding them', () => {
    const bind = (source: string, target = '/x') => ({ type: 'bind', source, target });
    expect(exposesEngineSocket(bind('/var/run/docker.sock'))).toBe(true);
    expect(exposesEngineSocket(bind('/run/user/1000/podman/podman.sock'))).toBe(true);
    expect(exposesEngineSocket(bind('/var/run'))).toBe(true);
    expect(exposesEngineSocket(bind('/srv/app', '/var/run/docker.sock'))).toBe(true);
    expect(exposesEngineSocket(bind('/srv/app'))).toBe(false);
    expect(exposesEngineSocket({ type: 'volume', source: 'docker.sock', target: '/data' })).toBe(false);
  });

  it('knows data-store images', () => {
    for (const image of ['mongo:8.0.9', 'bitnami/redis:7', 'docker.io/library/postgres:16', 'valkey/valkey:8.0.1-alpine']) expect(isDataImage(image), image).toBe(true);
    for (const image of ['node:24', 'nginx:1.28', 'redisinsight/redisinsight:2', 'grafana/grafana:12']) expect(isDataImage(image), image).toBe(false);
  });
});
