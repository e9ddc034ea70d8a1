import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { freePort, requireProgram, startOtlpReceiver, type OtlpReceiver, type ReceivedSpan } from '@codiesvibe/shared/testing';
import { chromium } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { REPO_ROOT, markedEnv, nativeProcesses } from './native-stack-harness.js';
import { groupingLabelsOf, matcherLabelsOf, metricNameOf, prometheusExpressions, renderPrometheusForNative, selectorsOf } from './prometheus-native-config.js';

/*
 * One natively running stack (development, two nestjs-api replicas) with tracing on, exporting
 * to an OTLP/HTTP receiver inside this test; then real Prometheus scraping it. MongoDB and Ollama
 * are absent: the embedded store and the built-in ranker answer.
 */

const BACKEND_SERVICES = ['gateway', 'fastify-api', 'mcp-server', 'nestjs-api'];
const stack = (args: string[], env: NodeJS.ProcessEnv = {}) =>
  spawnSync(process.execPath, ['stack/cli/bin/stack.js', ...args], { cwd: REPO_ROOT, encoding: 'utf8', env: markedEnv(env), timeout: 240_000 });

let receiver: OtlpReceiver;

beforeAll(async () => {
  receiver = await startOtlpReceiver();
  const { OTEL_SERVICE_NAME: _serviceName, ...inherited } = process.env;
  process.env = inherited;
  const up = stack(['--profile', 'development', 'up', '--native', '-d', '--no-build', '--scale', 'nestjs-api=2'], {
    OTEL_EXPORTER_OTLP_ENDPOINT: receiver.endpoint,
    OTEL_EXPORTER_OTLP_PROTOCOL: 'http/protobuf',
    OTEL_BSP_SCHEDULE_DELAY: '200',
  });
  expect(up.status, `${up.stdout}\n${up.stderr}`.slice(-4000)).toBe(0);
});

afterAll(async () => {
  stack(['down']);
  await receiver?.close();
});

function gatewayUrl(): string {
  const gateway = nativeProcesses().find((entry) => entry.service === 'gateway');
  return `http://127.0.0.1:${gateway!.port}`;
}

function traceComplete(spans: ReceivedSpan[]): boolean {
  const ids = new Set(spans.map((span) => span.spanId));
  const services = new Set(spans.map((span) => span.service));
  return BACKEND_SERVICES.every((service) => services.has(service)) && spans.every((span) => !span.parentSpanId || ids.has(span.parentSpanId));
}

describe('OpenTelemetry traces through the natively running stack', () => {
  it('one AI search is one trace: spans of gateway, fastify-api, mcp-server and nestjs-api, every parent present, routes and MCP tools named', async () => {
    const response = await fetch(`${gatewayUrl()}/ai/search`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ query: 'terminal coding agent', limit: 3 }),
    });
    expect(response.status).toBe(200);
    await response.arrayBuffer();
    const traceId = response.headers.get('traceparent')?.split('-')[1];
    expect(traceId).toMatch(/^[0-9a-f]{32}$/);
    const ofTrace = () => receiver.spans.filter((span) => span.traceId === traceId);
    await receiver.waitFor(() => traceComplete(ofTrace()), 30_000, `the complete trace ${traceId}`).catch((error: Error) => {
      const ids = new Set(ofTrace().map((span) => span.spanId));
      const lines = ofTrace().map((span) => `${span.service} ${span.name} ${span.spanId} <- ${span.parentSpanId || 'root'}${span.parentSpanId && !ids.has(span.parentSpanId) ? ' (parent missing)' : ''}`);
      throw new Error(`${error.message}\n${lines.join('\n')}`);
    });

    const spans = ofTrace();
    const roots = spans.filter((span) => !span.parentSpanId);
    expect(roots.map((span) => `${span.service} ${span.name}`)).toEqual(['gateway POST /ai/*']);
    const names = new Set(spans.map((span) => `${span.service} ${span.name}`));
    for (const expected of [
      'fastify-api POST /ai/search',
      'fastify-api tools/call search_tools',
      'mcp-server POST /mcp',
      'mcp-server tools/call search_tools',
      'nestjs-api GET /api/tools',
    ]) {
      expect(names, [...names].join('\n')).toContain(expected);
    }
    // nestjs-api's cache and store calls are spans of the same trace, children of its request's
    // span. Which of them answers depends on what was asked before: fastify-api fetches a directory
    // that fits its candidate limit whole, the same query its start-up warm-up made, so the
    // shared cache (Redis in development) may answer without the embedded store. Without
    // redis-server the native stack uses an in-process cache instead, whose lookups are not spans.
    if (requireProgram('redis-server', 'apt-get install -y redis-server')) {
      const apiServerIds = new Set(spans.filter((span) => span.service === 'nestjs-api' && span.kind === 2).map((span) => span.spanId));
      const dataCalls = spans.filter((span) => span.service === 'nestjs-api' && apiServerIds.has(span.parentSpanId) && span.attributes['db.system'] !== undefined);
      expect(dataCalls.map((span) => `${span.name} (${String(span.attributes['db.system'])})`), [...names].join('\n')).toContainEqual('cache redis lookup (redis)');
    }
    // Every hop between services is a client span whose child is the callee's server span.
    const byId = new Map(spans.map((span) => [span.spanId, span]));
    for (const server of spans.filter((span) => span.kind === 2 && span.parentSpanId)) {
      const parent = byId.get(server.parentSpanId)!;
      // The gateway's one span is both its server and its proxy hop (it forwards with its own span id).
      expect(parent.kind === 3 || parent.service === server.service || parent.service === 'gateway', `${server.service} ${server.name} under ${parent.service} ${parent.name}`).toBe(true);
    }
    // OTLP's flags say whether a span's parent is remote: exactly when it is another service's.
    const remoteness = spans.map((span) => `${span.service} ${span.name}: ${(span.flags & 0x200) !== 0 ? 'remote' : 'local'} parent`);
    const expected = spans.map((span) => {
      const parent = span.parentSpanId ? byId.get(span.parentSpanId)! : undefined;
      return `${span.service} ${span.name}: ${parent && parent.service !== span.service ? 'remote' : 'local'} parent`;
    });
    expect(remoteness).toEqual(expected);
    expect(spans.every((span) => (span.flags & 0x1ff) === 0x101)).toBe(true);
    // The services' logs of this request came over OTLP too, with the trace id. Logs are exported
    // in their own batches, so they may arrive after the spans.
    await receiver.waitFor(() => receiver.logs.some((log) => log.traceId === traceId && log.body === 'request completed'), 30_000, `a "request completed" log of trace ${traceId}`);
  });
});

const chromiumPath = requireProgram('chromium', 'apt-get install -y chromium');

describe.skipIf(!chromiumPath)('a search typed in Chromium', () => {
  it('is one trace from the browser\'s request: the gateway\'s span under it, then fastify-api, mcp-server and nestjs-api', async () => {
    // Debian's Chromium in a container: no sandbox, no GPU, no calls home.
    const browser = await chromium.launch({ executablePath: chromiumPath!, headless: true, args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking'] });
    let sent: string | undefined;
    try {
      const page = await browser.newPage({ baseURL: gatewayUrl() });
      page.on('request', (request) => {
        if (request.url().includes('/ai/search/stream')) sent = request.headers().traceparent;
      });
      await page.goto('/ask');
      await page.getByLabel('Describe what you are looking for').fill('terminal coding agent');
      await page.getByRole('button', { name: 'Ask' }).click();
      await page.getByTestId('ai-mode').waitFor({ timeout: 30_000 });
    } finally {
      await browser.close();
    }
    expect(sent, 'the stream request carries a traceparent').toMatch(/^00-[0-9a-f]{32}-[0-9a-f]{16}-01$/);
    const [, traceId, browserSpanId] = sent!.split('-') as [string, string, string];
    const ofTrace = () => receiver.spans.filter((span) => span.traceId === traceId);
    // The browser records no span: its request's span id is the one parent not in the trace.
    const completeUnderBrowser = () => {
      const spans = ofTrace();
      const ids = new Set([...spans.map((span) => span.spanId), browserSpanId]);
      return BACKEND_SERVICES.every((service) => spans.some((span) => span.service === service)) && spans.every((span) => ids.has(span.parentSpanId));
    };
    await receiver.waitFor(completeUnderBrowser, 30_000, `the complete trace ${traceId} of the browser's search`).catch((error: Error) => {
      throw new Error(`${error.message}\n${ofTrace().map((span) => `${span.service} ${span.name} ${span.spanId} <- ${span.parentSpanId || 'root'}`).join('\n')}`);
    });
    const underBrowser = ofTrace().filter((span) => span.parentSpanId === browserSpanId);
    expect(underBrowser.map((span) => `${span.service} ${span.name}`)).toEqual(['gateway GET /ai/*']);
    const names = new Set(ofTrace().map((span) => `${span.service} ${span.name}`));
    for (const expected of ['fastify-api GET /ai/search/stream', 'mcp-server tools/call search_tools', 'nestjs-api GET /api/tools']) {
      expect(names, [...names].join('\n')).toContain(expected);
    }
  });
});

const prometheus = requireProgram('prometheus', 'apt-get install -y prometheus');

describe.skipIf(!prometheus)('Prometheus (Debian) scraping the native stack with config/prometheus', () => {
  let server: ChildProcess | undefined;
  let dir = '';
  let stopped: number | undefined;
  let port = 0;
  let log = '';
  let skippedJobs: string[] = [];

  const api = async <T>(path: string): Promise<T> => ((await (await fetch(`http://127.0.0.1:${port}/api/v1/${path}`)).json()) as { data: T }).data;
  const until = async (what: string, check: () => Promise<boolean>, timeoutMs = 30_000) => {
    const deadline = Date.now() + timeoutMs;
    while (!(await check().catch(() => false))) {
      if (Date.now() > deadline) throw new Error(`${what} within ${timeoutMs} ms; Prometheus said:\n${log}`);
      await new Promise((resolve) => setTimeout(resolve, 250));
    }
  };

  beforeAll(async () => {
    // A page through the gateway, so the frontend dashboard's gateway panel has a route to show.
    expect((await fetch(`${gatewayUrl()}/`)).status).toBe(200);
    dir = mkdtempSync(join(tmpdir(), 'prometheus-native-'));
    port = await freePort();
    // Rule durations (`for:`) shortened to 3s and scrapes every second, so this takes seconds, not minutes.
    const rendered = renderPrometheusForNative(nativeProcesses(), dir, { port, interval: '1s', ruleFor: '3s' });
    skippedJobs = rendered.skippedJobs;
    console.log(`Prometheus jobs with nothing to scrape natively (left out): ${rendered.skippedJobs.join(', ')}`);
    expect(Object.keys(rendered.targets).sort()).toEqual(['fastify-api', 'gateway', 'mcp-server', 'nestjs-api', 'prometheus']);
    expect(rendered.targets['nestjs-api']).toHaveLength(2);
    server = spawn(prometheus as string, [`--config.file=${rendered.configFile}`, `--storage.tsdb.path=${join(dir, 'data')}`, `--web.listen-address=127.0.0.1:${port}`, '--log.level=warn'], {
      stdio: ['ignore', 'ignore', 'pipe'],
    });
    server.stderr!.on('data', (chunk: Buffer) => (log = (log + chunk.toString()).slice(-4000)));
    type Targets = { activeTargets: { labels: { job: string; instance: string }; health: string }[] };
    await until('every target up', async () => {
      const { activeTargets } = await api<Targets>('targets');
      return activeTargets.length === 6 && activeTargets.every((target) => target.health === 'up');
    });
  });

  afterAll(() => {
    if (stopped) process.kill(stopped, 'SIGCONT');
    server?.kill('SIGTERM');
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  it('every metric and label a dashboard panel or an alert rule names is one a scraped service really exports, and every panel of a scraped job shows data', async () => {
    const expressions = prometheusExpressions();
    expect(expressions.length).toBeGreaterThan(10);
    const labelsOf = new Map<string, Set<string>>();
    const labelNames = async (metric: string): Promise<Set<string>> => {
      if (!labelsOf.has(metric)) labelsOf.set(metric, new Set(await api<string[]>(`labels?match[]=${encodeURIComponent(`{__name__="${metric}"}`)}`)));
      return labelsOf.get(metric)!;
    };
    const problems: string[] = [];
    const notScrapedHere = new Set<string>();
    for (const { expression, where, kind } of expressions) {
      const selectors = selectorsOf(expression);
      // A selector pinned to a job with nothing to scrape natively (an exporter) cannot be checked here.
      const jobs = selectors.map((selector) => matcherLabelsOf(selector).job?.replace(/^=/, ''));
      if (jobs.some((job) => job !== undefined && skippedJobs.includes(job))) {
        notScrapedHere.add(`${where} (${jobs.filter(Boolean).join(', ')})`);
        continue;
      }
      const labels = new Set<string>();
      for (const selector of selectors) {
        const metric = metricNameOf(selector);
        const names = await labelNames(metric);
        if (names.size === 0) problems.push(`${where}: no series of ${metric}`);
        for (const label of Object.keys(matcherLabelsOf(selector))) if (names.size > 0 && !names.has(label)) problems.push(`${where}: ${metric} has no label ${label}`);
        for (const name of names) labels.add(name);
      }
      for (const label of groupingLabelsOf(expression)) if (!labels.has(label)) problems.push(`${where}: groups by ${label}, which none of its metrics has`);
      // A panel (rules are conditions, empty until they fire) must show something for a scraped job.
      // rate() needs two scrapes in its window: a few seconds of grace.
      if (kind === 'panel' && problems.length === 0) {
        const hasData = async () => (await api<{ result: unknown[] }>(`query?query=${encodeURIComponent(expression)}`)).result.length > 0;
        await until(`${where} shows data`, hasData, 10_000).catch(() => problems.push(`${where}: no data`));
      }
    }
    console.log(`Dashboard and rule queries of jobs not scraped natively (not checked here): ${[...notScrapedHere].join('; ') || 'none'}`);
    expect(problems).toEqual([]);
  });

  it('a stopped nestjs-api replica raises ServiceReplicaDown, pending then firing, resolved when it is back', async () => {
    const replica = nativeProcesses().find((entry) => entry.name === 'nestjs-api-2')!;
    const instance = `127.0.0.1:${replica.port}`;
    type Alerts = { alerts: { labels: { alertname: string; instance?: string }; state: string }[] };
    const states: string[] = [];
    const stateNow = async () => {
      const { alerts } = await api<Alerts>('alerts');
      const state = alerts.find((alert) => alert.labels.alertname === 'ServiceReplicaDown' && alert.labels.instance === instance)?.state ?? 'inactive';
      if (states.at(-1) !== state) states.push(state);
      return state;
    };
    expect(await stateNow()).toBe('inactive');

    // SIGSTOP: the replica stops answering, as a hung or stopped container does (the supervisor would restart an exited one).
    process.kill(replica.pid, 'SIGSTOP');
    stopped = replica.pid;
    await until('ServiceReplicaDown firing', async () => (await stateNow()) === 'firing');
    expect(states).toEqual(['inactive', 'pending', 'firing']);
    // Only that replica: the other nestjs-api replica stays up, so ServiceDown does not fire.
    const { alerts } = await api<Alerts>('alerts');
    expect(alerts.filter((alert) => alert.labels.alertname === 'ServiceDown')).toEqual([]);

    process.kill(replica.pid, 'SIGCONT');
    stopped = undefined;
    await until('ServiceReplicaDown resolved', async () => (await stateNow()) === 'inactive');
    expect(states).toEqual(['inactive', 'pending', 'firing', 'inactive']);
  });
});
