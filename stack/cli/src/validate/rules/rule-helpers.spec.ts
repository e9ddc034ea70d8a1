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

  it('knows what common images lack, by variant', () => {
    expect(missingBinaries('node:24.11.1-alpine3.22')).toEqual(['curl', 'bash']);
    expect(missingBinaries('node:24.11.1-bookworm-slim')).toEqual(['curl', 'wget']);
    expect(missingBinaries('node:24.11.1-bookworm')).toEqual([]);
    expect(missingBinaries('grafana/grafana:12.0.2')).toEqual([]);
    expect(missingBinaries('mongo:8.0.9')).toEqual(['curl', 'wget']);
    expect(missingBinaries('redis:7.4.2-alpine')).toEqual(['curl', 'bash']);
    expect(missingBinaries('docker.io/library/alpine:3.22')).toEqual(['curl', 'bash']);
    expect(missingBinaries('gcr.io/distroless/nodejs22-debian12')).toEqual(['curl', 'wget', 'sh', 'bash']);
  });

  it('knows that nginx ships curl except in alpine-slim (sentry self-hosted runs curl in nginx:*-alpine; it was reported missing)', () => {
    expect(missingBinaries('nginx:1.29.1-alpine')).toEqual(['bash']);
    expect(missingBinaries('nginxinc/nginx-unprivileged:1.28.0-alpine')).toEqual(['bash']);
    expect(missingBinaries('nginx:1.29.1-alpine-slim')).toEqual(['curl', 'bash']);
    expect(missingBinaries('nginx:1.29.1')).toEqual(['wget']);
    expect(missingBinaries('nginx:1.29.1-bookworm')).toEqual(['wget']);
  });

  it('claims nothing of an image it does not know, whatever its tag says (an Alpine tag was read as "no curl")', () => {
    expect(missingBinaries('getsentry/relay:25.9.0-alpine')).toEqual([]);
    expect(missingBinaries('registry.local:5000/team/api:1.0-alpine')).toEqual([]);
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
