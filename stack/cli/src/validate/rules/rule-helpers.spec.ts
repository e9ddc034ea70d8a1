import { describe, expect, it } from 'vitest';
import { healthcheckPrograms } from './healthcheck-binary.rule.js';
import { hasShellSubstitution } from './no-shell-substitution.rule.js';
import { imageTag } from './pinned-image-tags.rule.js';
import { isSecretKey } from './production-secrets.rule.js';
import { missingBinaries } from '../image-inspection.js';

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
});
