import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative, sep } from 'node:path';
import { fileURLToPath } from 'node:url';

export const SERVICE_TEMPLATES = ['fastify', 'nestjs', 'worker'] as const;
export type ServiceTemplate = (typeof SERVICE_TEMPLATES)[number];

/** Values the templates' placeholders are replaced with. */
export interface TemplateValues {
  service: string;
  port: number;
  metricPrefix: string;
  /** Version range of each dependency a template names (`__VERSION_<package>__`). */
  versions: ReadonlyMap<string, string>;
}

/**
 * stack/cli/templates/service: the same path from src/new (tsc output dist/new) and from the
 * bundle (dist/bundle), both two folders below stack/cli.
 */
export function templatesDir(): string {
  return fileURLToPath(new URL('../../templates/service', import.meta.url));
}

const TEMPLATE_SUFFIX = '.tmpl';
const VERSION_PLACEHOLDER = /__VERSION_([^_"]+(?:_[^_"]+)*)__/g;

/** Every file of `template` (its own over common/), path relative to the workspace → content with the placeholders replaced. */
export function renderServiceTemplate(template: ServiceTemplate, values: TemplateValues, root = templatesDir()): Map<string, string> {
  const files = new Map<string, string>();
  for (const layer of ['common', template]) {
    const dir = join(root, layer);
    for (const file of listFiles(dir)) {
      if (!file.endsWith(TEMPLATE_SUFFIX)) continue;
      const target = relative(dir, file).slice(0, -TEMPLATE_SUFFIX.length).split(sep).join('/');
      files.set(target, fillPlaceholders(readFileSync(file, 'utf8'), values));
    }
  }
  return files;
}

/** Dependencies whose version a template asks for (`__VERSION_<package>__`), across the files of `template`. */
export function templateDependencies(template: ServiceTemplate, root = templatesDir()): string[] {
  const names = new Set<string>();
  for (const layer of ['common', template]) {
    for (const file of listFiles(join(root, layer))) {
      for (const match of readFileSync(file, 'utf8').matchAll(VERSION_PLACEHOLDER)) names.add(match[1] as string);
    }
  }
  return [...names].sort();
}

function fillPlaceholders(text: string, values: TemplateValues): string {
  return text
    .replaceAll('__SERVICE__', values.service)
    .replaceAll('__PORT__', String(values.port))
    .replaceAll('__METRIC_PREFIX__', values.metricPrefix)
    .replace(VERSION_PLACEHOLDER, (whole, name: string) => values.versions.get(name) ?? whole);
}

function listFiles(dir: string): string[] {
  if (!existsSync(dir)) return [];
  return readdirSync(dir)
    .sort()
    .flatMap((name) => {
      const path = join(dir, name);
      return statSync(path).isDirectory() ? listFiles(path) : [path];
    });
}
