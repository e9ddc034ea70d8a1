import { mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse } from 'yaml';
import { REPO_ROOT, type NativeProcessRecord } from './native-stack-harness.js';

/*
 * config/prometheus rendered for a natively running stack: the same jobs, rules and labels, with
 * each service's DNS discovery (one A record per container under Compose) replaced by the
 * loopback ports of its native replicas, and the timings shortened so a test sees an alert go
 * pending, firing and resolved in seconds. Written as JSON, which is YAML.
 */

interface ScrapeConfig {
  job_name: string;
  static_configs?: { targets: string[] }[];
  dns_sd_configs?: unknown;
  [key: string]: unknown;
}

interface RuleFile {
  groups: { name: string; rules: { alert?: string; for?: string; [key: string]: unknown }[] }[];
}

export interface RenderedPrometheus {
  configFile: string;
  /** Jobs of config/prometheus with nothing to scrape natively (exporters, the collector). */
  skippedJobs: string[];
  /** The targets per job, `127.0.0.1:PORT`. */
  targets: Record<string, string[]>;
}

/** Renders config/prometheus into `dir` for the native `processes`, Prometheus itself on `port`. */
export function renderPrometheusForNative(
  processes: readonly NativeProcessRecord[],
  dir: string,
  options: { port: number; interval: string; ruleFor: string },
): RenderedPrometheus {
  const source = join(REPO_ROOT, 'config', 'prometheus');
  const config = parse(readFileSync(join(source, 'prometheus.yml'), 'utf8')) as {
    global: Record<string, unknown>;
    rule_files: string[];
    scrape_configs: ScrapeConfig[];
  };
  config.global = { ...config.global, scrape_interval: options.interval, evaluation_interval: options.interval, scrape_timeout: options.interval };
  mkdirSync(join(dir, 'rules'), { recursive: true });
  config.rule_files = config.rule_files.map((pattern) => pattern.replace('/etc/prometheus/', `${dir}/`));

  const skippedJobs: string[] = [];
  const targets: Record<string, string[]> = {};
  const scrapeConfigs: ScrapeConfig[] = [];
  for (const job of config.scrape_configs) {
    const addresses =
      job.job_name === 'prometheus'
        ? [`127.0.0.1:${options.port}`]
        : processes.filter((entry) => entry.service === job.job_name && entry.port !== undefined).map((entry) => `127.0.0.1:${entry.port}`);
    if (addresses.length === 0) {
      skippedJobs.push(job.job_name);
      continue;
    }
    const { dns_sd_configs: _discovery, ...rest } = job;
    targets[job.job_name] = addresses;
    scrapeConfigs.push({ ...rest, static_configs: [{ targets: addresses }] });
  }
  config.scrape_configs = scrapeConfigs;
  const configFile = join(dir, 'prometheus.yml');
  writeFileSync(configFile, JSON.stringify(config, null, 2));

  const rules = parse(readFileSync(join(source, 'rules', 'codiesvibe.yml'), 'utf8')) as RuleFile;
  for (const group of rules.groups) for (const rule of group.rules) if (rule.for !== undefined) rule.for = options.ruleFor;
  writeFileSync(join(dir, 'rules', 'codiesvibe.yml'), JSON.stringify(rules, null, 2));
  return { configFile, skippedJobs, targets };
}

/** PromQL words that look like metric names but are not. */
const PROMQL_WORDS = new Set([
  ...['by', 'without', 'on', 'ignoring', 'group_left', 'group_right', 'bool', 'and', 'or', 'unless', 'offset', 'inf', 'nan'],
  // Aggregation operators: `sum by (job) (...)` puts the clause between the word and its parenthesis.
  ...['sum', 'avg', 'min', 'max', 'count', 'group', 'stddev', 'stdvar', 'topk', 'bottomk', 'quantile', 'count_values'],
]);

/** The vector selectors (`metric{labels}`, or a bare metric name) of one PromQL expression. */
export function selectorsOf(expression: string): string[] {
  const withoutStrings = expression.replace(/"(?:[^"\\]|\\.)*"/g, (text) => text.replace(/[^"]/g, ' '));
  const found: string[] = [];
  const pattern = /([A-Za-z_:][A-Za-z0-9_:]*)\s*(\{[^}]*\})?/g;
  for (const match of withoutStrings.matchAll(pattern)) {
    const [whole, name] = match;
    const before = withoutStrings.slice(0, match.index);
    const after = withoutStrings.slice(match.index + whole.length);
    if (PROMQL_WORDS.has(name!.toLowerCase()) || after.trimStart().startsWith('(')) continue;
    // Inside `by (...)`, `[5m]` or a label matcher: not a metric.
    if (/\b(by|without|on|ignoring)\s*\([^)]*$/.test(before) || /\[[^\]]*$/.test(before) || /\{[^}]*$/.test(before)) continue;
    // The exponent of a number (`460e6`).
    if (/[\d.]$/.test(before)) continue;
    found.push(expression.slice(match.index, match.index + whole.length).trim());
  }
  return found;
}

/** The metric name a selector selects. */
export function metricNameOf(selector: string): string {
  return selector.split('{')[0]!.trim();
}

/** The labels a selector matches on (`job="x", status_code=~"5.."` → job, status_code). */
export function matcherLabelsOf(selector: string): Record<string, string> {
  const labels: Record<string, string> = {};
  for (const match of (selector.split('{')[1] ?? '').matchAll(/([A-Za-z_][A-Za-z0-9_]*)\s*(=~|!~|!=|=)\s*"((?:[^"\\]|\\.)*)"/g)) labels[match[1]!] = `${match[2]}${match[3]}`;
  return labels;
}

/** The labels an expression groups by (`sum by (route, le) (...)` → route, le). */
export function groupingLabelsOf(expression: string): string[] {
  return [...expression.matchAll(/\b(?:by|without)\s*\(([^)]*)\)/g)].flatMap((match) => match[1]!.split(',').map((label) => label.trim()).filter(Boolean));
}

/** Every Prometheus query in config/grafana/dashboards (`kind: 'panel'`) and config/prometheus/rules (`kind: 'rule'`). */
export function prometheusExpressions(): { expression: string; where: string; kind: 'panel' | 'rule' }[] {
  const found: { expression: string; where: string; kind: 'panel' | 'rule' }[] = [];
  const dashboards = join(REPO_ROOT, 'config', 'grafana', 'dashboards');
  for (const file of readdirSync(dashboards).filter((name) => name.endsWith('.json'))) {
    const dashboard = JSON.parse(readFileSync(join(dashboards, file), 'utf8')) as { panels: { title: string; targets?: { datasource: { uid: string }; expr: string; refId: string }[] }[] };
    for (const panel of dashboard.panels)
      for (const target of panel.targets ?? [])
        if (target.datasource.uid === 'prometheus') found.push({ expression: target.expr, where: `${file} "${panel.title}" ${target.refId}`, kind: 'panel' });
  }
  const rulesDir = join(REPO_ROOT, 'config', 'prometheus', 'rules');
  for (const file of readdirSync(rulesDir).filter((name) => name.endsWith('.yml'))) {
    const rules = parse(readFileSync(join(rulesDir, file), 'utf8')) as RuleFile;
    for (const group of rules.groups) for (const rule of group.rules) found.push({ expression: String(rule.expr), where: `${file} ${rule.alert ?? String(rule.record)}`, kind: 'rule' });
  }
  return found;
}

/** Every selector of every Prometheus query in config/grafana/dashboards and config/prometheus/rules. */
export function prometheusSelectors(): { selector: string; where: string }[] {
  return prometheusExpressions().flatMap(({ expression, where }) => selectorsOf(expression).map((selector) => ({ selector, where })));
}
