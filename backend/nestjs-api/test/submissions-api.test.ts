import type { ApiErrorBody, Tool, ToolFacets, ToolPage } from '@codiesvibe/shared/domain';
import type { Submission, SubmissionList, SubmissionReceipt } from '@codiesvibe/shared/tools-api';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadSeedTools } from '../src/seed/seed-data.js';
import { ADMIN_KEY, startApiServer, type ApiServer } from './support/api-server.js';
import { sampleTool } from './tool-repository.contract.js';

/*
 * Suggested tools and their moderation, over HTTP against the embedded store: a submission waits
 * apart from the tools until an admin approves it; decisions are once only.
 */

const SEED = loadSeedTools();
const auth = { authorization: `Bearer ${ADMIN_KEY}` };

let api: ApiServer;
beforeAll(async () => {
  api = await startApiServer();
});
afterAll(async () => {
  await api.close();
});

async function call<T = unknown>(method: string, path: string, body?: unknown, admin = true) {
  const headers: Record<string, string> = admin ? { ...auth } : {};
  if (body !== undefined) headers['content-type'] = 'application/json';
  const response = await fetch(`${api.url}${path}`, { method, headers, body: body === undefined ? undefined : JSON.stringify(body) });
  const text = await response.text();
  return { status: response.status, body: (text ? JSON.parse(text) : undefined) as T };
}

const submit = (body: unknown) => call<SubmissionReceipt & ApiErrorBody>('POST', '/api/submissions', body, false);
const pending = async () => (await call<SubmissionList>('GET', '/api/submissions')).body.items;

describe('POST /api/submissions (public)', () => {
  it('keeps a suggestion as pending, out of every listing, search, facet count and detail', async () => {
    const tool = sampleTool('suggested-zebra-lint', { name: 'Zebra Lint', description: 'Finds zebras in your code' });
    const receipt = await submit(tool);
    expect(receipt.status).toBe(201);
    expect(receipt.body).toEqual({ id: expect.any(String) as unknown, status: 'pending' });

    const list = await call<ToolPage>('GET', '/api/tools?limit=100', undefined, false);
    expect(list.body.total).toBe(SEED.length);
    expect((await call<ToolPage>('GET', '/api/tools?q=zebra', undefined, false)).body.total).toBe(0);
    expect((await call<ToolFacets>('GET', '/api/tools/facets', undefined, false)).body.total).toBe(SEED.length);
    expect((await call('GET', '/api/tools/suggested-zebra-lint', undefined, false)).status).toBe(404);

    const queued = (await pending()).find((item) => item.id === receipt.body.id);
    expect(queued).toMatchObject({ status: 'pending', tool, decidedAt: null, rejectionReason: null });
  });

  it('refuses what the admin form refuses, field by field: oversize, bad URLs, unknown categories', async () => {
    const answer = await submit({
      ...sampleTool('bad-one'),
      name: 'x'.repeat(121),
      website: 'javascript:alert(1)',
      repository: 'not a url',
      categories: ['time-travel'],
    });
    expect(answer.status).toBe(400);
    expect(answer.body.code).toBe('CV_ERR_VALIDATION');
    expect(answer.body.errors?.map((error) => error.field).sort()).toEqual(['categories.0', 'name', 'repository', 'website']);
  });

  it('stores script in any field as text, exactly as sent', async () => {
    const script = '<script>alert("x")</script><img src=x onerror=alert(1)>';
    const receipt = await submit(sampleTool('scripted-tool', { name: script, tagline: script, description: script, license: script }));
    expect(receipt.status).toBe(201);
    const stored = (await call<Submission>('GET', `/api/submissions/${receipt.body.id}`)).body;
    expect(stored.tool).toMatchObject({ name: script, tagline: script, description: script, license: script });
  });

  it('answers a filled honeypot like any submission but keeps nothing', async () => {
    const before = (await call<SubmissionList>('GET', '/api/submissions')).body.total;
    const receipt = await submit({ ...sampleTool('bot-tool'), faxNumber: '+1 555 0100' });
    expect(receipt.status).toBe(201);
    expect((await call<SubmissionList>('GET', '/api/submissions')).body.total).toBe(before);
    expect((await call('GET', `/api/submissions/${receipt.body.id}`)).status).toBe(404);
  });
});

describe('moderation (admin key)', () => {
  it('is closed without the admin key', async () => {
    expect((await call('GET', '/api/submissions', undefined, false)).status).toBe(401);
    const { body } = await submit(sampleTool('no-key-tool'));
    expect((await call('POST', `/api/submissions/${body.id}/approve`, {}, false)).status).toBe(401);
  });

  it('flags a slug or website a published tool has, and pending twins', async () => {
    const seeded = SEED[0]!;
    const sameSlug = await submit(sampleTool(seeded.slug));
    const sameSite = await submit(sampleTool('copilot-again', { website: `${seeded.website.replace('https://', 'https://www.')}/` }));
    const twin = await submit(sampleTool('copilot-again', { website: 'https://elsewhere.example/' }));
    const items = await pending();
    const flagsOf = (id: string) => items.find((item) => item.id === id)?.flags;
    expect(flagsOf(sameSlug.body.id)).toMatchObject({ slugTaken: true, sameWebsiteTools: [] });
    expect(flagsOf(sameSite.body.id)).toEqual({ slugTaken: false, sameWebsiteTools: [seeded.slug], samePendingSubmissions: [twin.body.id] });
    expect(flagsOf(twin.body.id)).toEqual({ slugTaken: false, sameWebsiteTools: [], samePendingSubmissions: [sameSite.body.id] });
  });

  it('approves: the submission becomes a published tool, found by search; a second decision says it was taken', async () => {
    const { body } = await submit(sampleTool('okapi-review', { name: 'Okapi Review' }));
    const edited = sampleTool('okapi-review', { name: 'Okapi Review Pro', tags: ['edited'] });
    const approved = await call<{ submission: Submission; tool: Tool }>('POST', `/api/submissions/${body.id}/approve`, { tool: edited });
    expect(approved.status).toBe(200);
    expect(approved.body.submission).toMatchObject({ status: 'approved', toolSlug: 'okapi-review', decidedAt: expect.any(String) as unknown });
    expect(approved.body.tool).toMatchObject({ slug: 'okapi-review', name: 'Okapi Review Pro' });
    expect((await call<ToolPage>('GET', '/api/tools?q=okapi', undefined, false)).body.items.map((tool) => tool.slug)).toEqual(['okapi-review']);
    expect((await pending()).some((item) => item.id === body.id)).toBe(false);

    const again = await call<ApiErrorBody>('POST', `/api/submissions/${body.id}/reject`, { reason: 'late' });
    expect(again.status).toBe(409);
    expect(again.body.message).toMatch(/already approved at .* \(it is now the tool "okapi-review"\); nothing was changed/);
    expect((await call<ApiErrorBody>('PATCH', `/api/submissions/${body.id}`, edited)).status).toBe(409);
  });

  it('lets exactly one of two admins deciding at once win', async () => {
    const { body } = await submit(sampleTool('race-tool'));
    const answers = await Promise.all([
      call('POST', `/api/submissions/${body.id}/approve`, {}),
      call('POST', `/api/submissions/${body.id}/reject`, { reason: 'duplicate' }),
      call('POST', `/api/submissions/${body.id}/approve`, {}),
    ]);
    expect(answers.map((answer) => answer.status).sort()).toEqual([200, 409, 409]);
  });

  it('rejects with a reason, which the rejected list keeps; a reason is required', async () => {
    const { body } = await submit(sampleTool('meh-tool'));
    const noReason = await call<ApiErrorBody>('POST', `/api/submissions/${body.id}/reject`, { reason: '  ' });
    expect(noReason.status).toBe(400);
    expect(noReason.body.errors?.[0]?.field).toBe('reason');
    const rejected = await call<Submission>('POST', `/api/submissions/${body.id}/reject`, { reason: 'Not a developer tool' });
    expect(rejected.body).toMatchObject({ status: 'rejected', rejectionReason: 'Not a developer tool' });
    const list = (await call<SubmissionList>('GET', '/api/submissions?status=rejected')).body.items;
    expect(list.find((item) => item.id === body.id)?.rejectionReason).toBe('Not a developer tool');
    const approveLate = await call<ApiErrorBody>('POST', `/api/submissions/${body.id}/approve`, {});
    expect(approveLate.status).toBe(409);
    expect(approveLate.body.message).toContain('already rejected');
    expect(approveLate.body.message).toContain('Not a developer tool');
  });

  it('keeps a submission pending when its slug is taken, with a field error on the slug; an edit then approves it', async () => {
    const { body } = await submit(sampleTool(SEED[1]!.slug));
    const refused = await call<ApiErrorBody>('POST', `/api/submissions/${body.id}/approve`, {});
    expect(refused.status).toBe(409);
    expect(refused.body.errors).toEqual([{ field: 'slug', message: expect.any(String) as unknown }]);
    expect((await call<Submission>('GET', `/api/submissions/${body.id}`)).body.status).toBe('pending');
    const edit = await call<Submission>('PATCH', `/api/submissions/${body.id}`, sampleTool('renamed-by-admin'));
    expect(edit.body).toMatchObject({ status: 'pending', tool: { slug: 'renamed-by-admin' } });
    expect((await call('POST', `/api/submissions/${body.id}/approve`)).status).toBe(200);
  });

  it('answers unknown and malformed ids and statuses with clear errors', async () => {
    expect((await call<ApiErrorBody>('GET', '/api/submissions/00000000-0000-4000-8000-000000000000')).status).toBe(404);
    const bad = await call<ApiErrorBody>('GET', '/api/submissions/not-an-id');
    expect(bad.status).toBe(400);
    expect(bad.body.errors?.[0]?.field).toBe('id');
    expect((await call<ApiErrorBody>('GET', '/api/submissions?status=maybe')).body.errors?.[0]?.field).toBe('status');
  });
});
