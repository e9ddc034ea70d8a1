import { describe, expect, it } from 'vitest';
import { matchRoute, paths } from './routes.js';

describe('matchRoute', () => {
  it.each([
    ['/', { page: 'home' }],
    ['/ask', { page: 'ai' }],
    ['/compare', { page: 'compare' }],
    ['/ai', { page: 'not-found' }],
    ['/admin/', { page: 'admin' }],
    ['/admin/tools/new', { page: 'admin-new' }],
    ['/tools/github-copilot', { page: 'tool', slug: 'github-copilot' }],
    ['/admin/tools/aider/edit', { page: 'admin-edit', slug: 'aider' }],
    ['/submit', { page: 'submit' }],
    ['/admin/submissions', { page: 'admin-submissions' }],
    ['/admin/submissions/0b5c6a3e-8f1d-4c2a-9e7b-1d2c3b4a5f60', { page: 'admin-submission', id: '0b5c6a3e-8f1d-4c2a-9e7b-1d2c3b4a5f60' }],
    ['/admin/submissions/not-an-id', { page: 'not-found' }],
    ['/tools/Not_A_Slug', { page: 'not-found' }],
    ['/elsewhere', { page: 'not-found' }],
  ])('%s', (pathname, route) => {
    expect(matchRoute(pathname)).toEqual(route);
  });

  it('builds paths that match back', () => {
    expect(matchRoute(paths.adminEdit('cursor'))).toEqual({ page: 'admin-edit', slug: 'cursor' });
    expect(paths.ai('free agents')).toBe('/ask?q=free+agents');
    expect(paths.compare(['aider', 'cursor'])).toBe('/compare?tools=aider,cursor');
  });
});
