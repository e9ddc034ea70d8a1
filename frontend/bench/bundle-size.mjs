// Builds the app for production and prints the gzipped JavaScript the home page loads, next to a
// baseline built in the same run: React + ReactDOM alone, the floor any React app pays.
// Exits non-zero above the budget, so it can gate a release.
// `--built` checks the app already built in dist/ against the budget only (no build, no baseline):
// `npm test` runs it after `npm run build`, so a page that outgrows the budget fails the tests.
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { gzipSync } from 'node:zlib';
import { build } from 'vite';

const BUDGET_KB = 100;
const root = dirname(dirname(fileURLToPath(import.meta.url)));

/** Paths of the scripts an HTML page loads up front: module entries and their preloads. */
function scriptsOf(html) {
  const sources = [...html.matchAll(/<script[^>]+type="module"[^>]*src="([^"]+)"/g)].map((match) => match[1]);
  const preloads = [...html.matchAll(/<link[^>]+rel="modulepreload"[^>]*href="([^"]+)"/g)].map(
    (match) => match[1],
  );
  return [...new Set([...sources, ...preloads])];
}

async function gzippedScripts(outDir) {
  const html = await readFile(join(outDir, 'index.html'), 'utf8');
  let raw = 0;
  let gzip = 0;
  for (const script of scriptsOf(html)) {
    const content = await readFile(join(outDir, script.replace(/^\//, '')));
    raw += content.length;
    gzip += gzipSync(content, { level: 9 }).length;
  }
  return { raw, gzip };
}

const quiet = { logLevel: 'error' };
const kb = (bytes) => `${(bytes / 1024).toFixed(1)} KB`;

const appOut = join(root, 'dist');
const verdict = (gzip) => (gzip <= BUDGET_KB * 1024 ? 'OK' : 'OVER BUDGET');

if (process.argv.includes('--built')) {
  const app = await gzippedScripts(appOut).catch((error) => {
    console.error(`frontend/dist/index.html cannot be read (${error.code ?? error.message}): run \`npm run build -w frontend\` first`);
    process.exit(2);
  });
  console.log(`home page JavaScript in dist/: ${kb(app.gzip)} gzipped (${kb(app.raw)} raw); budget ${kb(BUDGET_KB * 1024)} ${verdict(app.gzip)}`);
  process.exit(app.gzip <= BUDGET_KB * 1024 ? 0 : 1);
}

await build({
  ...quiet,
  root,
  configFile: join(root, 'vite.config.ts'),
  build: { outDir: appOut, emptyOutDir: true },
});
const app = await gzippedScripts(appOut);

// Inside the workspace, so `react` resolves from the same node_modules as the app's.
const baselineDir = await mkdtemp(join(root, '.bench-baseline-'));
try {
  await writeFile(
    join(baselineDir, 'index.html'),
    '<!doctype html><div id="root"></div><script type="module" src="/main.js"></script>',
  );
  await writeFile(
    join(baselineDir, 'main.js'),
    "import { createElement } from 'react';\nimport { createRoot } from 'react-dom/client';\ncreateRoot(document.getElementById('root')).render(createElement('p', null, 'hi'));\n",
  );
  await build({
    ...quiet,
    root: baselineDir,
    configFile: false,
    build: { outDir: join(baselineDir, 'dist'), target: 'es2022' },
  });
  const baseline = await gzippedScripts(join(baselineDir, 'dist'));

  console.log('home page JavaScript (production build, gzip -9)');
  console.log(`  baseline React + ReactDOM   ${kb(baseline.gzip).padStart(9)}  (${kb(baseline.raw)} raw)`);
  console.log(`  CodiesVibe home page        ${kb(app.gzip).padStart(9)}  (${kb(app.raw)} raw)`);
  console.log(`  app code on top of React    ${kb(app.gzip - baseline.gzip).padStart(9)}`);
  console.log(
    `  budget                      ${kb(BUDGET_KB * 1024).padStart(9)}  ${verdict(app.gzip)}`,
  );
  if (app.gzip > BUDGET_KB * 1024) process.exitCode = 1;
} finally {
  await rm(baselineDir, { recursive: true, force: true });
}
