import { describe, expect, it } from 'vitest';
import { baseImageOf, parseDockerfile, programsAddedBy, targetStage, userOf } from './dockerfile.js';

const DOCKERFILE = `# syntax=docker/dockerfile:1
ARG NODE_IMAGE=node:24.11.1-alpine3.22
FROM \${NODE_IMAGE} AS base
WORKDIR /app

FROM base AS build
RUN npm ci \\
 && npm run build

FROM build AS development
USER node
CMD ["npm", "run", "dev"]

FROM nginx:1.28.0-alpine AS Production
COPY --from=build /app/dist /usr/share/nginx/html
`;

describe('parseDockerfile', () => {
  const dockerfile = parseDockerfile(DOCKERFILE);

  it('splits stages, lower-cases their names and expands global ARGs in FROM', () => {
    expect(dockerfile.stages.map((stage) => [stage.name, stage.from, stage.line])).toEqual([
      ['base', 'node:24.11.1-alpine3.22', 3],
      ['build', 'base', 6],
      ['development', 'build', 10],
      ['production', 'nginx:1.28.0-alpine', 14],
    ]);
  });

  it('joins continuation lines into one instruction', () => {
    expect(dockerfile.stages[1]?.instructions).toEqual([{ keyword: 'RUN', args: 'npm ci  && npm run build', line: 7 }]);
  });

  it('follows FROM <stage> to the external base image', () => {
    const development = targetStage(dockerfile, 'development');
    expect(development && baseImageOf(dockerfile, development)).toBe('node:24.11.1-alpine3.22');
    const production = targetStage(dockerfile, 'PRODUCTION');
    expect(production && baseImageOf(dockerfile, production)).toBe('nginx:1.28.0-alpine');
  });

  it('finds the user a stage runs as, inherited through FROM <stage>', () => {
    const development = targetStage(dockerfile, 'development');
    const build = targetStage(dockerfile, 'build');
    expect(development && userOf(dockerfile, development)).toBe('node');
    expect(build && userOf(dockerfile, build)).toBeUndefined();
  });

  it('uses the last stage without a target, and nothing for an unknown one', () => {
    expect(targetStage(dockerfile, undefined)?.name).toBe('production');
    expect(targetStage(dockerfile, 'missing')).toBeUndefined();
  });

  it('lists the programs a stage copies in, through the stages it builds on', () => {
    const dockerfile = parseDockerfile(
      [
        'FROM busybox:1.37.0-musl AS probe',
        'FROM otel/opentelemetry-collector-contrib:0.128.0 AS base',
        'COPY --from=probe /bin/busybox /usr/local/bin/wget',
        'FROM base AS final',
        'COPY --chmod=755 tools/jq tools/yq /usr/local/bin/',
        'ADD ["healthcheck", "/healthcheck"]',
      ].join('\n'),
    );
    expect([...programsAddedBy(dockerfile, dockerfile.stages[2]!)].sort()).toEqual(['healthcheck', 'jq', 'wget', 'yq']);
  });
});
