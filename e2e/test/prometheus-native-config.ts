import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
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
