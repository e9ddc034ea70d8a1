import { spawnSync } from 'node:child_process';
import { closeSync, existsSync, openSync, readFileSync, readdirSync, rmSync, statSync } from 'node:fs';
import { dirname, join, posix, relative } from 'node:path';
import type { RuntimeDir, RuntimeFile } from './runtime-files.js';

/*
 * The nginx image natively. Its entrypoint renders every `*.template` under
 * NGINX_ENVSUBST_TEMPLATE_DIR through envsubst (with the container's variables) into
 * NGINX_ENVSUBST_OUTPUT_DIR, then starts nginx on /etc/nginx/nginx.conf. Natively the container's
 * file system is a folder of ours: mounted config folders are copied into it, tmpfs mounts are
 * empty folders in it, every absolute path in the config that lies under a mount is pointed there,
 * other /etc/nginx paths (mime.types) at the host's nginx, /var/log/nginx at the standard streams
 * (the image links them so), and each `listen` of a published port at the host port it is
 * published on, as Docker's port mapping would.
 */

/** A bind mount of the service (`volumes:` of type bind), resolved to an absolute source. */
export interface BindMount {
  source: string;
  target: string;
}

/** A published port: `target` in the container, `published` on the host. */
export interface PublishedPort {
  target: number;
  published: number;
  hostIp?: string;
}

export interface NginxImageInput {
  service: string;
  binds: readonly BindMount[];
  tmpfs: readonly string[];
  /** The service's variables after native address rewriting: what envsubst sees. */
  environment: Readonly<Record<string, string>>;
  ports: readonly PublishedPort[];
  /** The folder standing for the container's root file system. */
  renderRoot: string;
  /** Folder of the host nginx's own nginx.conf (for mime.types and the like). */
  hostConfDir: string;
  /** nginx's master runs as root: workers then drop to the host's nginx user. */
  runsAsRoot: boolean;
}

export interface RenderedNginx {
  dirs: RuntimeDir[];
  files: RuntimeFile[];
  /** The folder standing for the container's root file system. */
  root: string;
  /** Arguments after the nginx program, to run it in the foreground. */
  args: string[];
  pidFile: string;
  /** Rendered file → the file of the project it came from, for error messages. */
  sources: ReadonlyMap<string, string>;
}

/** A mounted or rendered config the native nginx cannot use. */
export class NginxRenderError extends Error {}

const IMAGE_CONF_DIR = '/etc/nginx';
const MAIN_CONFIG = '/etc/nginx/nginx.conf';
/** The image links its log files to the container's standard streams. */
const IMAGE_LOG_LINKS: Readonly<Record<string, string>> = {
  '/var/log/nginx/access.log': '/dev/stdout',
  '/var/log/nginx/error.log': '/dev/stderr',
};
const TEXT_LIMIT_BYTES = 1 << 20;

/** Renders the image's config for a native nginx; writes nothing (the caller writes `files`). */
export function renderNginxImage(input: NginxImageInput): RenderedNginx {
  const root = input.renderRoot;
  const inRoot = (containerPath: string) => join(root, containerPath);
  const dirs: RuntimeDir[] = [{ path: root, mode: 0o755, fresh: true }];
  const files: RuntimeFile[] = [];
  const sources = new Map<string, string>();
  // Container path prefix → host path. Config mounts are copied (their paths are rewritten);
  // others (static files) are used where they are.
  const prefixes = new Map<string, string>();
  const copies: { source: string; target: string }[] = [];
  for (const bind of input.binds) {
    const target = posix.normalize(bind.target);
    if (isUnder(target, IMAGE_CONF_DIR)) {
      prefixes.set(target, inRoot(target));
      copies.push({ source: bind.source, target });
    } else {
      prefixes.set(target, bind.source);
    }
  }
  for (const tmpfs of input.tmpfs) {
    const target = posix.normalize(tmpfs.split(':')[0]!);
    prefixes.set(target, inRoot(target));
    dirs.push({ path: inRoot(target), mode: 0o755, fresh: true });
  }
  if (!copies.some((copy) => isUnder(MAIN_CONFIG, copy.target))) {
    throw new NginxRenderError(`${input.service}: natively nginx needs its own ${MAIN_CONFIG} mounted (volumes: ./nginx.conf:${MAIN_CONFIG}:ro)`);
  }

  const env = input.environment;
  const templateDir = env.NGINX_ENVSUBST_TEMPLATE_DIR ?? '/etc/nginx/templates';
  const outputDir = env.NGINX_ENVSUBST_OUTPUT_DIR ?? '/etc/nginx/conf.d';
  const suffix = env.NGINX_ENVSUBST_TEMPLATE_SUFFIX ?? '.template';
  if (!hostPathOf(outputDir, prefixes)) {
    prefixes.set(outputDir, inRoot(outputDir));
    dirs.push({ path: inRoot(outputDir), mode: 0o755 });
  }

  const rewrite = (text: string) => rewriteConfig(text, prefixes, input);
  for (const copy of copies) {
    for (const file of listFiles(copy.source)) {
      const relativePath = relative(copy.source, file);
      const destination = relativePath ? join(inRoot(copy.target), relativePath) : inRoot(copy.target);
      files.push({ path: destination, content: readConfig(file, rewrite), mode: 0o644 });
      sources.set(destination, file);
    }
  }
  const templates = hostPathOf(templateDir, prefixes, { sourcesOnly: true, copies });
  if (templates && existsSync(templates)) {
    const defined = envsubstVariables(env);
    for (const file of listFiles(templates).filter((path) => path.endsWith(suffix))) {
      const relativePath = relative(templates, file).slice(0, -suffix.length);
      const destination = hostPathOf(posix.join(outputDir, relativePath.split('\\').join('/')), prefixes)!;
      files.push({ path: destination, content: rewrite(envsubst(readFileSync(file, 'utf8'), defined)), mode: 0o644 });
      sources.set(destination, file);
    }
  }

  const mainConfig = hostPathOf(MAIN_CONFIG, prefixes)!;
  const mainText = files.find((file) => file.path === mainConfig)?.content.toString() ?? '';
  const pidDirective = /^\s*pid\s+([^;\s]+)\s*;/m.exec(mainText);
  const pidFile = pidDirective?.[1] && isUnder(pidDirective[1], root) ? pidDirective[1] : join(root, 'nginx.pid');
  const globals = ['daemon off;', ...(pidDirective?.[1] && isUnder(pidDirective[1], root) ? [] : [`pid ${pidFile};`])];
  if (pidDirective && !isUnder(pidDirective[1]!, root)) {
    // A pid file outside our folder would be the system nginx's: keep ours private.
    const index = files.findIndex((file) => file.path === mainConfig);
    files[index] = { ...files[index]!, content: mainText.replace(pidDirective[0], pidDirective[0].replace(pidDirective[1]!, pidFile)) };
    globals.pop();
  }
  return {
    root,
    dirs,
    files,
    args: ['-p', `${root}/`, '-c', mainConfig, '-e', 'stderr', '-g', globals.join(' ')],
    pidFile,
    sources,
  };
}

/** The host nginx's config folder, from `nginx -V` (`--conf-path=`), /etc/nginx when it does not say. */
export function hostNginxConfDir(nginx: string): string {
  const result = spawnSync(nginx, ['-V'], { encoding: 'utf8', timeout: 10_000 });
  const confPath = /--conf-path=(\S+)/.exec(`${result.stderr ?? ''}${result.stdout ?? ''}`)?.[1];
  return confPath ? dirname(confPath) : IMAGE_CONF_DIR;
}

/**
 * Runs `nginx -t` on the rendered config. Undefined when it passes; otherwise its first error as
 * one line, with rendered paths replaced by the project's own files.
 */
export function testNginxConfig(nginx: string, rendered: RenderedNginx, shown: (file: string) => string): string | undefined {
  // Files, not Node's socket pairs, as its output: the config may open /dev/stdout by name.
  const outputFile = join(rendered.root, 'nginx-t.out');
  const fd = openSync(outputFile, 'w', 0o600);
  let result;
  try {
    result = spawnSync(nginx, [...rendered.args, '-t', '-q'], { stdio: ['ignore', fd, fd], timeout: 30_000 });
  } finally {
    closeSync(fd);
  }
  const output = readFileSync(outputFile, 'utf8');
  rmSync(outputFile, { force: true });
  if (result.status === 0) return undefined;
  if (result.error) return `nginx -t could not run: ${result.error.message}`;
  const first = output.split('\n').find((line) => /\[(emerg|alert|crit)\]/.test(line)) ?? output.split('\n').find(Boolean) ?? 'nginx -t failed';
  // `nginx: [emerg] ...` before the config's error_log applies, `2026/01/01 12:00:00 [emerg] 1#1: ...` after.
  let message = first.replace(/^(nginx: )?(\d{4}\/\d\d\/\d\d \d\d:\d\d:\d\d )?\[\w+\] (\d+#\d+: )?/, '');
  for (const [renderedFile, source] of [...rendered.sources].sort((a, b) => b[0].length - a[0].length)) {
    message = message.split(renderedFile).join(shown(source));
  }
  return message;
}

function rewriteConfig(text: string, prefixes: ReadonlyMap<string, string>, input: NginxImageInput): string {
  const paths = text.replace(/(^|[\s"'=])(\/[^\s;"'{}]*)/g, (whole, before: string, path: string) => {
    const mapped = IMAGE_LOG_LINKS[path] ?? hostPathOf(path, prefixes) ?? (isUnder(path, IMAGE_CONF_DIR) ? join(input.hostConfDir, posix.relative(IMAGE_CONF_DIR, path)) : undefined);
    return mapped ? `${before}${mapped}` : whole;
  });
  return paths.replace(/(^|[\s;{])listen(\s+)([^\s;]+)/g, (whole, before: string, space: string, address: string) => {
    const published = publishedAddress(address, input.ports);
    return published ? `${before}listen${space}${published}` : whole;
  });
}

/** `8080`, `*:8080`, `0.0.0.0:8080`, `[::]:8080` → the host address Docker would publish it on. */
function publishedAddress(address: string, ports: readonly PublishedPort[]): string | undefined {
  const match = /^(?:(\[[^\]]*\]|[^:[\]]+):)?(\d+)$/.exec(address);
  if (!match) return undefined;
  const port = ports.find((p) => p.target === Number(match[2]));
  if (!port) return undefined;
  const host = match[1];
  if (host?.startsWith('[')) return `${host}:${port.published}`;
  return port.hostIp && port.hostIp !== '0.0.0.0' ? `${port.hostIp}:${port.published}` : host && host !== '*' ? `${host}:${port.published}` : String(port.published);
}

/** The host path standing for a container path, through the longest mount that holds it. */
function hostPathOf(
  containerPath: string,
  prefixes: ReadonlyMap<string, string>,
  options: { sourcesOnly?: boolean; copies?: readonly { source: string; target: string }[] } = {},
): string | undefined {
  const normalized = posix.normalize(containerPath);
  let best: string | undefined;
  for (const prefix of prefixes.keys()) if (isUnder(normalized, prefix) && (!best || prefix.length > best.length)) best = prefix;
  if (!best) return undefined;
  const rest = posix.relative(best, normalized);
  // Templates are read from the project's files, not from our copies of them.
  const copy = options.sourcesOnly ? options.copies?.find((c) => c.target === best) : undefined;
  const base = copy ? copy.source : prefixes.get(best)!;
  return rest ? join(base, rest) : base;
}

function isUnder(path: string, prefix: string): boolean {
  return path === prefix || path.startsWith(prefix.endsWith('/') ? prefix : `${prefix}/`);
}

function listFiles(path: string): string[] {
  const stats = statSync(path);
  if (!stats.isDirectory()) return [path];
  return readdirSync(path, { withFileTypes: true })
    .sort((a, b) => a.name.localeCompare(b.name))
    .flatMap((entry) => listFiles(join(path, entry.name)));
}

function readConfig(file: string, rewrite: (text: string) => string): string | Buffer {
  const content = readFileSync(file);
  if (content.length > TEXT_LIMIT_BYTES || content.includes(0)) return content;
  return rewrite(content.toString('utf8'));
}

/** The variables envsubst replaces: those defined, optionally filtered by NGINX_ENVSUBST_FILTER. */
function envsubstVariables(env: Readonly<Record<string, string>>): Map<string, string> {
  const filter = env.NGINX_ENVSUBST_FILTER ? new RegExp(env.NGINX_ENVSUBST_FILTER) : undefined;
  return new Map(Object.entries(env).filter(([name]) => !filter || filter.test(name)));
}

/** envsubst restricted to `defined`: `${NAME}` and `$NAME` of a defined NAME are replaced, nginx's own `$host` is not. */
export function envsubst(text: string, defined: ReadonlyMap<string, string>): string {
  return text.replace(/\$\{([A-Za-z_][A-Za-z0-9_]*)\}|\$([A-Za-z_][A-Za-z0-9_]*)/g, (whole, braced: string | undefined, bare: string | undefined) => {
    const name = braced ?? bare!;
    return defined.has(name) ? defined.get(name)! : whole;
  });
}
