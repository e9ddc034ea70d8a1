import { execFileSync } from 'node:child_process';
import { cpSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseComposeYaml } from '@codiesvibe/compose';
import { requireProgram } from '@codiesvibe/shared/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { asRecord } from '../../src/validate/compose-model.js';
import { REPO_ROOT } from './repo-tree.js';

const CONFIG = join(REPO_ROOT, 'config');
const promtool = requireProgram('promtool', 'apt-get install -y prometheus');

function readYaml(path: string): Record<string, unknown> {
  const [document] = parseComposeYaml(readFileSync(path, 'utf8'), path);
  return asRecord(document?.value) ?? {};
}

describe.skipIf(!promtool)('Prometheus config (config/prometheus) with promtool', () => {
  let dir = '';
  beforeAll(() => {
    dir = mkdtempSync(join(tmpdir(), 'prometheus-config-'));
  });
  afterAll(() => {
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  it('passes promtool check config, rule files included', () => {
    // The container mounts config/prometheus at /etc/prometheus.
    cpSync(join(CONFIG, 'prometheus'), dir, { recursive: true });
    const config = join(dir, 'prometheus.yml');
    writeFileSync(config, readFileSync(config, 'utf8').replaceAll('/etc/prometheus/', `${dir}/`));
    const output = execFileSync(promtool as string, ['check', 'config', config], { encoding: 'utf8' });
    expect(output).toContain('SUCCESS: 1 rule files found');
  });

  it('passes promtool check rules', () => {
    const output = execFileSync(promtool as string, ['check', 'rules', join(CONFIG, 'prometheus', 'rules', 'codiesvibe.yml')], {
      encoding: 'utf8',
    });
    expect(output).toMatch(/SUCCESS: \d+ rules found/);
  });

  it('fires the alerts its unit tests expect (promtool test rules)', () => {
    const output = execFileSync(promtool as string, ['test', 'rules', 'codiesvibe.test.yml'], {
      cwd: join(CONFIG, 'prometheus', 'tests'),
      encoding: 'utf8',
    });
    expect(output).toContain('SUCCESS');
  });
});

describe('Prometheus scrape targets', () => {
  it('scrapes every service that serves /metrics, on its own port', () => {
    const jobs = (readYaml(join(CONFIG, 'prometheus', 'prometheus.yml')).scrape_configs as Array<Record<string, unknown>>).map(
      (job) => [job.job_name, (job.dns_sd_configs as Array<{ port: number }> | undefined)?.[0]?.port],
    );
    expect(Object.fromEntries(jobs)).toEqual({
      prometheus: undefined,
      'nestjs-api': 4001,
      'fastify-api': 4002,
      'mcp-server': 3001,
      gateway: 4000,
      'otel-collector': 8888,
    });
  });
});

describe('Grafana provisioning (config/grafana)', () => {
  const datasources = readYaml(join(CONFIG, 'grafana', 'provisioning', 'datasources', 'datasources.yml')).datasources as Array<
    Record<string, string>
  >;
  const uids = new Set(datasources.map((datasource) => datasource.uid));
  const dashboardFiles = readdirSync(join(CONFIG, 'grafana', 'dashboards')).filter((name) => name.endsWith('.json'));

  it('provisions Prometheus, Loki and Tempo with fixed uids, pointing at their services', () => {
    expect(datasources.map(({ uid, type, url }) => ({ uid, type, url }))).toEqual([
      { uid: 'prometheus', type: 'prometheus', url: 'http://prometheus:9090' },
      { uid: 'loki', type: 'loki', url: 'http://loki:3100' },
      { uid: 'tempo', type: 'tempo', url: 'http://tempo:3200' },
    ]);
  });

  it('links traces to logs and metrics, and logs to traces, through provisioned uids', () => {
    const jsonData = (uid: string) => (datasources.find((datasource) => datasource.uid === uid) as unknown as { jsonData: Record<string, unknown> }).jsonData;
    const tempo = jsonData('tempo') as { tracesToLogsV2: { datasourceUid: string; filterByTraceID: boolean }; tracesToMetrics: { datasourceUid: string } };
    expect(tempo.tracesToLogsV2).toMatchObject({ datasourceUid: 'loki', filterByTraceID: true });
    expect(tempo.tracesToMetrics.datasourceUid).toBe('prometheus');
    const loki = jsonData('loki') as { derivedFields: { matcherRegex: string; datasourceUid: string }[] };
    // The services log the active span as trace_id (backend/shared's logger), exported over OTLP.
    expect(loki.derivedFields).toContainEqual(expect.objectContaining({ matcherRegex: 'trace_id', datasourceUid: 'tempo' }));
  });

  it('loads dashboards from the folder the monitoring file mounts', () => {
    const providers = readYaml(join(CONFIG, 'grafana', 'provisioning', 'dashboards', 'dashboards.yml')).providers as Array<{
      options: { path: string };
    }>;
    const monitoring = readFileSync(join(REPO_ROOT, 'docker-compose', 'infrastructure', 'docker-compose.monitoring.yml'), 'utf8');
    expect(monitoring).toContain(`../../config/grafana/dashboards:${providers[0]?.options.path}:ro`);
  });

  it('has at least one dashboard per service', () => {
    const services = dashboardFiles.flatMap((name) => (JSON.parse(readFileSync(join(CONFIG, 'grafana', 'dashboards', name), 'utf8')) as { tags: string[] }).tags);
    for (const service of ['nestjs-api', 'fastify-api', 'mcp-server', 'gateway', 'frontend', 'nginx', 'mongodb', 'redis', 'ollama']) {
      expect(services, `no dashboard tagged ${service}`).toContain(service);
    }
  });

  it.each(dashboardFiles)('%s parses and uses only provisioned datasources, with unique uid and panel ids', (name) => {
    const dashboard = JSON.parse(readFileSync(join(CONFIG, 'grafana', 'dashboards', name), 'utf8')) as {
      uid: string;
      panels: Array<{ id: number; datasource: { uid: string }; targets: Array<{ datasource: { uid: string }; expr: string }> }>;
    };
    expect(dashboard.uid).toMatch(/^codiesvibe-/);
    expect(new Set(dashboard.panels.map((panel) => panel.id)).size).toBe(dashboard.panels.length);
    for (const panel of dashboard.panels) {
      expect(uids).toContain(panel.datasource.uid);
      for (const target of panel.targets) {
        expect(uids).toContain(target.datasource.uid);
        expect(target.expr).not.toBe('');
      }
    }
  });
});

describe('OpenTelemetry Collector and Loki (config/otel-collector, config/loki)', () => {
  const collector = readYaml(join(CONFIG, 'otel-collector', 'config.yaml'));
  const service = asRecord(collector.service) ?? {};
  const pipelines = asRecord(service.pipelines) ?? {};

  it('receives OTLP over gRPC and HTTP on the standard ports', () => {
    const protocols = asRecord(asRecord(asRecord(collector.receivers)?.otlp)?.protocols) ?? {};
    expect(asRecord(protocols.grpc)?.endpoint).toBe('0.0.0.0:4317');
    expect(asRecord(protocols.http)?.endpoint).toBe('0.0.0.0:4318');
  });

  it("forwards logs to Loki's OTLP endpoint on the port Loki listens on", () => {
    const loki = readYaml(join(CONFIG, 'loki', 'loki.yml'));
    const port = asRecord(loki.server)?.http_listen_port;
    const logs = asRecord(pipelines.logs) ?? {};
    expect(logs.receivers).toEqual(['otlp']);
    const exporters = logs.exporters as string[];
    expect(exporters).toHaveLength(1);
    expect(asRecord(asRecord(collector.exporters)?.[exporters[0] as string])?.endpoint).toBe(`http://loki:${String(port)}/otlp`);
  });

  it("forwards traces to Tempo's OTLP gRPC receiver", () => {
    const tempo = readYaml(join(CONFIG, 'tempo', 'tempo.yml'));
    const grpc = asRecord(asRecord(asRecord(asRecord(asRecord(tempo.distributor)?.receivers)?.otlp)?.protocols)?.grpc);
    const port = (grpc?.endpoint as string).split(':').at(-1);
    const traces = asRecord(pipelines.traces) ?? {};
    expect(traces.receivers).toEqual(['otlp']);
    const exporters = traces.exporters as string[];
    expect(exporters).toHaveLength(1);
    expect(asRecord(asRecord(collector.exporters)?.[exporters[0] as string])?.endpoint).toBe(`tempo:${port}`);
  });

  it('Tempo is probed on the port it listens on and keeps its data on its volume', () => {
    const tempo = readYaml(join(CONFIG, 'tempo', 'tempo.yml'));
    const monitoringFile = join(REPO_ROOT, 'docker-compose', 'infrastructure', 'docker-compose.monitoring.yml');
    const definition = asRecord(asRecord(readYaml(monitoringFile).services)?.tempo) ?? {};
    expect((asRecord(definition.healthcheck)?.test as string[]).at(-1)).toBe(`http://127.0.0.1:${String(asRecord(tempo.server)?.http_listen_port)}/ready`);
    expect(definition.read_only).toBe(true);
    expect(definition.cap_drop).toEqual(['ALL']);
    const wal = asRecord(asRecord(asRecord(tempo.storage)?.trace)?.wal)?.path as string;
    expect(wal.startsWith('/var/tempo/')).toBe(true);
    expect(definition.volumes).toContain('tempo-data:/var/tempo');
  });

  it('uses only components it declares, and every declared one', () => {
    for (const kind of ['receivers', 'processors', 'exporters'] as const) {
      const declared = Object.keys(asRecord(collector[kind]) ?? {}).sort();
      const used = [...new Set(Object.values(pipelines).flatMap((pipeline) => (asRecord(pipeline)?.[kind] as string[] | undefined) ?? []))].sort();
      expect(used, kind).toEqual(declared);
    }
    expect(service.extensions).toEqual(Object.keys(asRecord(collector.extensions) ?? {}));
  });

  it('is probed by the container healthcheck on the health_check endpoint, and mounted where its command reads it', () => {
    const monitoringFile = join(REPO_ROOT, 'docker-compose', 'infrastructure', 'docker-compose.monitoring.yml');
    const definition = asRecord(asRecord(readYaml(monitoringFile).services)?.['otel-collector']) ?? {};
    const endpoint = asRecord(asRecord(collector.extensions)?.health_check)?.endpoint as string;
    expect((asRecord(definition.healthcheck)?.test as string[]).at(-1)).toBe(`http://${endpoint}/`);
    const [configPath] = (definition.command as string[]).map((argument) => argument.replace('--config=', ''));
    expect(definition.volumes).toContain(`../../config/otel-collector/config.yaml:${configPath as string}:ro`);
  });
});
