#!/usr/bin/env node
// `npm run test:node -- <version> [npm arguments]`: runs the test suite (or any npm command) on
// another Node.js version without touching this checkout. The official Node binary comes from the
// npm registry (package node-<platform>-<arch>, the same registry `npm ci` uses) into a cache
// outside the repository; the working tree (tracked and new files, with their uncommitted changes)
// is mirrored into a folder beside that cache and installed there with that Node first on PATH, so
// native addons (better-sqlite3) are built for it and this checkout's node_modules stay as they are.
//
//   npm run test:node -- 24                       # npm test on the newest Node 24
//   npm run test:node -- 22.23.5 run test -w backend/shared
//   npm run test:node -- dockerfile               # the version backend/Dockerfile's image pins
import { spawn, spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import {
  copyFileSync,
  existsSync,
  lstatSync,
  mkdirSync,
  readdirSync,
  readFileSync,
  readlinkSync,
  renameSync,
  rmSync,
  symlinkSync,
  utimesSync,
  writeFileSync,
} from 'node:fs';
import { homedir } from 'node:os';
import { basename, dirname, join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const USAGE =
  'usage: npm run test:node -- <version: 24 | 22.23.5 | dockerfile> [npm arguments, default: test]';
const platformPackage = `node-${process.platform === 'win32' ? 'win' : process.platform}-${process.arch}`;
const cacheRoot = join(process.env.XDG_CACHE_HOME || join(homedir(), '.cache'), 'codiesvibe');
const started = Date.now();

/** Prints one line and exits: every error a user can hit ends here. */
function fail(message, code = 1) {
  console.error(`test:node: ${message}`);
  process.exit(code);
}

function progress(message) {
  console.error(`test:node | ${message}`);
}

function elapsed(since) {
  const seconds = Math.round((Date.now() - since) / 1000);
  return seconds >= 60
    ? `${Math.floor(seconds / 60)}m${String(seconds % 60).padStart(2, '0')}s`
    : `${seconds}s`;
}

/** The Node version backend/Dockerfile builds its images on (`ARG NODE_IMAGE=node:<version>-...`). */
function dockerfileNodeVersion() {
  const dockerfile = readFileSync(join(root, 'backend', 'Dockerfile'), 'utf8');
  const pinned = /^ARG NODE_IMAGE=node:(\d+\.\d+\.\d+)\b/m.exec(dockerfile);
  if (!pinned)
    fail('backend/Dockerfile has no `ARG NODE_IMAGE=node:<x.y.z>-...` line to read the version from');
  return pinned[1];
}

/** Versions already unpacked in the cache, newest first. */
function cachedVersions() {
  if (!existsSync(cacheRoot)) return [];
  return readdirSync(cacheRoot)
    .map((name) => /^node-(\d+\.\d+\.\d+)$/.exec(name)?.[1])
    .filter((version) => version && existsSync(join(cacheRoot, `node-${version}`, 'bin', 'node')))
    .sort((a, b) => compareVersions(b, a));
}

function compareVersions(a, b) {
  const [x, y] = [a, b].map((v) => v.split('.').map(Number));
  return x[0] - y[0] || x[1] - y[1] || x[2] - y[2];
}

function matches(version, spec) {
  return version === spec || version.startsWith(`${spec}.`);
}

/** One line out of npm's error output: the code and what it says, without its log-file trailer. */
function npmError(stderr) {
  const lines = stderr.split('\n').filter((line) => /^npm (error|ERR!)/.test(line));
  const code = lines.find((line) => /\bcode\b/.test(line))?.replace(/^npm (error|ERR!)\s*code\s*/, '');
  const text = lines
    .map((line) => line.replace(/^npm (error|ERR!)\s*/, ''))
    .find((line) => line && !/^code\b/.test(line) && !/complete log/i.test(line));
  return { code, text: text ?? stderr.trim().split('\n').pop() ?? 'no output' };
}

const UNREACHABLE =
  /^(ENOTFOUND|EAI_AGAIN|ECONNREFUSED|ECONNRESET|ETIMEDOUT|ENETUNREACH|EHOSTUNREACH|ERR_SOCKET_TIMEOUT|EPROTO|UNABLE_TO_GET_ISSUER_CERT_LOCALLY|SELF_SIGNED_CERT_IN_CHAIN|CERT_\w+)$/;

function registryUrl() {
  const result = spawnSync('npm', ['config', 'get', 'registry'], { encoding: 'utf8' });
  return result.status === 0 ? result.stdout.trim() : 'the npm registry';
}

/** The exact version `spec` names, asked of the registry; a cached one when the registry is unreachable. */
function resolveVersion(spec) {
  progress(`asking ${registryUrl()} for ${platformPackage}@${spec}`);
  // One quick retry: npm's default backoff takes over a minute to say the registry is not there.
  const retries = ['--fetch-retries=1', '--fetch-retry-mintimeout=2000', '--fetch-retry-maxtimeout=5000'];
  const view = spawnSync('npm', ['view', `${platformPackage}@${spec}`, 'version', '--json', ...retries], {
    encoding: 'utf8',
    timeout: 120_000,
  });
  if (view.status === 0 && view.stdout.trim()) {
    const answer = JSON.parse(view.stdout);
    const versions = (Array.isArray(answer) ? answer : [answer]).filter((v) => /^\d+\.\d+\.\d+$/.test(v));
    const newest = versions.sort(compareVersions).pop();
    if (newest) return newest;
  }
  const { code, text } = view.error
    ? { code: view.error.code, text: view.error.message }
    : npmError(view.stderr ?? '');
  if (view.status === 0 || code === 'E404' || code === 'ETARGET') {
    fail(
      `the npm registry has no ${platformPackage}@${spec}: give a Node version such as 24, 22.23.5 or dockerfile`,
      2,
    );
  }
  const cached = cachedVersions().find((version) => matches(version, spec));
  if (cached && (!code || UNREACHABLE.test(code) || view.error)) {
    progress(`the registry did not answer (${code ?? text}); using Node ${cached} from the cache`);
    return cached;
  }
  if (!code || UNREACHABLE.test(code) || view.error) {
    fail(
      `cannot reach the npm registry (${registryUrl()}: ${code ?? text}) to fetch Node ${spec} as ${platformPackage}; check the network or npm's registry setting`,
    );
  }
  fail(`npm could not look up ${platformPackage}@${spec}: ${code} ${text}`);
}

/** The folder holding bin/node (and include/node, for native addons) of `version`, fetched once. */
function ensureNode(version) {
  const dir = join(cacheRoot, `node-${version}`);
  if (existsSync(join(dir, 'bin', 'node'))) {
    progress(`Node ${version} from the cache (${dir})`);
    return dir;
  }
  mkdirSync(cacheRoot, { recursive: true });
  const partial = join(cacheRoot, `.node-${version}-${process.pid}`);
  rmSync(partial, { recursive: true, force: true });
  mkdirSync(partial, { recursive: true });
  progress(`fetching ${platformPackage}@${version} (about 50 MB) into ${dir}`);
  // npm pack checks the tarball against the registry's integrity hash.
  const pack = spawnSync(
    'npm',
    ['pack', `${platformPackage}@${version}`, '--pack-destination', partial, '--silent'],
    { encoding: 'utf8', timeout: 600_000 },
  );
  if (pack.status !== 0) {
    rmSync(partial, { recursive: true, force: true });
    const { code, text } = pack.error
      ? { code: pack.error.code, text: pack.error.message }
      : npmError(pack.stderr ?? '');
    if (!code || UNREACHABLE.test(code))
      fail(
        `cannot reach the npm registry (${registryUrl()}: ${code ?? text}) to fetch ${platformPackage}@${version}`,
      );
    fail(`fetching ${platformPackage}@${version} failed: ${code} ${text}`);
  }
  const tarball = join(partial, pack.stdout.trim().split('\n').pop());
  const unpack = spawnSync('tar', ['-xzf', tarball, '-C', partial, '--strip-components=1'], {
    encoding: 'utf8',
  });
  rmSync(tarball, { force: true });
  const reported = spawnSync(join(partial, 'bin', 'node'), ['--version'], { encoding: 'utf8' });
  if (unpack.status !== 0 || reported.stdout?.trim() !== `v${version}`) {
    rmSync(partial, { recursive: true, force: true });
    fail(
      `the ${platformPackage}@${version} package did not unpack to a working node (${(unpack.stderr || reported.stderr || reported.error?.message || '').trim().split('\n')[0]})`,
    );
  }
  renameSync(partial, dir);
  return dir;
}

/** Repository-relative paths of every file `git` would commit here: tracked and new, not ignored. */
function workingTreeFiles() {
  const listing = spawnSync('git', ['ls-files', '-z', '--cached', '--others', '--exclude-standard'], {
    cwd: root,
    encoding: 'utf8',
    maxBuffer: 64 << 20,
  });
  if (listing.status !== 0)
    fail(
      `listing the working tree with git failed (${(listing.stderr || listing.error?.message || '').trim().split('\n')[0]}); run this from a git checkout`,
    );
  return listing.stdout
    .split('\0')
    .filter((path) => path && existsSync(join(root, path)) && !lstatSync(join(root, path)).isDirectory());
}

/** Folders the mirror never prunes: its own install. */
const KEPT = new Set(['node_modules']);

/** The paths among `paths` (repository-relative) that the checkout's .gitignore rules ignore. */
function ignoredPaths(paths) {
  if (paths.length === 0) return new Set();
  const check = spawnSync('git', ['check-ignore', '-z', '--stdin'], {
    cwd: root,
    input: paths.join('\0'),
    encoding: 'utf8',
    maxBuffer: 64 << 20,
  });
  return new Set(check.stdout.split('\0').filter(Boolean));
}

/**
 * Makes `mirror` hold the working tree's files: copies what changed and removes what git no longer
 * lists. What git ignores (node_modules, dist, .data ...) stays, so a build in the mirror serves
 * the next run as it would in a checkout.
 */
function mirrorWorkingTree(mirror) {
  const files = workingTreeFiles();
  const wanted = new Set(files);
  let copied = 0;
  for (const path of files) {
    const from = join(root, path);
    const to = join(mirror, path);
    const source = lstatSync(from);
    if (existsSync(to)) {
      const target = lstatSync(to);
      if (
        target.size === source.size &&
        Math.abs(target.mtimeMs - source.mtimeMs) < 1 &&
        target.mode === source.mode
      )
        continue;
    }
    mkdirSync(dirname(to), { recursive: true });
    rmSync(to, { force: true });
    if (source.isSymbolicLink()) symlinkSync(readlinkSync(from), to);
    else {
      copyFileSync(from, to);
      // Same mtime as the source, so the next run sees it unchanged.
      utimesSync(to, source.atime, source.mtime);
    }
    copied++;
  }
  const unlisted = [];
  const walk = (dir) => {
    for (const entry of readdirSync(dir, { withFileTypes: true })) {
      if (KEPT.has(entry.name)) continue;
      const path = join(dir, entry.name);
      if (entry.isDirectory()) walk(path);
      else if (!wanted.has(relative(mirror, path))) unlisted.push(relative(mirror, path));
    }
  };
  walk(mirror);
  const ignored = ignoredPaths(unlisted);
  const gone = unlisted.filter((path) => !ignored.has(path));
  for (const path of gone) rmSync(join(mirror, path));
  return { files: files.length, copied, removed: gone.length };
}

function run(command, args, options) {
  return new Promise((resolvePromise) => {
    const child = spawn(command, args, { stdio: 'inherit', ...options });
    const forward = (signal) => child.kill(signal);
    for (const signal of ['SIGINT', 'SIGTERM', 'SIGHUP']) process.on(signal, forward);
    child.on('error', (error) => fail(`${command} could not start: ${error.message}`));
    child.on('close', (code, signal) => {
      for (const signal of ['SIGINT', 'SIGTERM', 'SIGHUP']) process.off(signal, forward);
      resolvePromise(code ?? (signal ? 1 : 0));
    });
  });
}

const [spec, ...npmArgs] = process.argv.slice(2);
if (!spec || spec === '--help' || spec === '-h') fail(USAGE, spec ? 0 : 2);
if (spec !== 'dockerfile' && !/^\d+(\.\d+){0,2}$/.test(spec))
  fail(`"${spec}" is not a Node version; ${USAGE}`, 2);
const wanted = spec === 'dockerfile' ? dockerfileNodeVersion() : spec;
const version =
  /^\d+\.\d+\.\d+$/.test(wanted) && cachedVersions().includes(wanted) ? wanted : resolveVersion(wanted);
const nodeDir = ensureNode(version);

// The mirror lives beside the cache, one per checkout. `npm run conformance` also runs the external
// Compose conformance corpus when a folder beside the checkout holds it (optional, as in CI's
// layout): the mirror gets a link to that corpus alone, so both runs check the same cases.
const checkoutId = `${basename(root)}-${createHash('sha256').update(root).digest('hex').slice(0, 8)}`;
const place = join(cacheRoot, 'trees', `${checkoutId}-node-${version}`);
const mirror = join(place, basename(root));
mkdirSync(mirror, { recursive: true });
const CORPUS = join('shared', 'compose-conformance');
const besideCorpus = join(root, '..', CORPUS);
const mirroredCorpus = join(place, CORPUS);
if (existsSync(besideCorpus) && !existsSync(mirroredCorpus)) {
  mkdirSync(dirname(mirroredCorpus), { recursive: true });
  symlinkSync(besideCorpus, mirroredCorpus);
}

let step = Date.now();
const synced = mirrorWorkingTree(mirror);
progress(
  `mirrored ${synced.files} files into ${mirror} (${synced.copied} copied, ${synced.removed} removed) in ${elapsed(step)}`,
);

const env = {
  ...process.env,
  PATH: `${join(nodeDir, 'bin')}:${process.env.PATH}`,
  // node-gyp builds native addons against this Node's own headers (no download from nodejs.org).
  npm_config_nodedir: nodeDir,
};
delete env.NODE_OPTIONS;

// Installed once per lock file and Node version; later runs reuse node_modules.
const lock = readFileSync(join(mirror, 'package-lock.json'));
const installStamp = `${version} ${createHash('sha256').update(lock).digest('hex')}`;
const stampFile = join(mirror, 'node_modules', '.codiesvibe-node');
if (!existsSync(stampFile) || readFileSync(stampFile, 'utf8') !== installStamp) {
  step = Date.now();
  progress(`npm ci on Node ${version} (builds better-sqlite3 from source; a few minutes the first time)`);
  const code = await run('npm', ['ci', '--no-audit', '--no-fund', '--prefer-offline'], { cwd: mirror, env });
  if (code !== 0) fail(`npm ci on Node ${version} failed (exit ${code}); its errors are above`, code);
  writeFileSync(stampFile, installStamp);
  progress(`installed in ${elapsed(step)}`);
}

const args = npmArgs.length > 0 ? npmArgs : ['test'];
step = Date.now();
progress(`npm ${args.join(' ')} on Node ${version} in ${mirror}`);
const code = await run('npm', args, { cwd: mirror, env });
const verdict = code === 0 ? 'passed' : `failed (exit ${code})`;
console.error(
  `test:node: npm ${args.join(' ')} on Node ${version} ${verdict} in ${elapsed(step)} (${elapsed(started)} in all)`,
);
process.exit(code);
