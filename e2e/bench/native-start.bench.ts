// `npm run bench -w e2e`: time from `npm start` (already built) to every service healthy, and each
// native process's resident memory at idle, against a bare Node HTTP server measured in the same run;
// then `stack --profile production up` (already built, in a project copy with generated secrets) to
// every process healthy, against that development start.
// Targets: start under 15 s; each Node service under 150 MB; the whole native stack under 700 MB;
// production up under 20 s.
import { spawn, spawnSync } from 'node:child_process';
import { copyFileSync } from 'node:fs';
import { join } from 'node:path';
import { freePort } from '@codiesvibe/shared/testing';
import { REPO_ROOT, interrupt, nativeProcesses, residentMemoryMiB, startStack } from '../test/native-stack-harness.js';
import { copyProject } from '../test/project-copy.js';

const START_TARGET_S = 15;
const PRODUCTION_START_TARGET_S = 20;
const SERVICE_RSS_TARGET_MIB = 150;
const STACK_RSS_TARGET_MIB = 700;

/** A bare `node` HTTP server: spawn to first answer, and its idle resident memory. */
async function bareNodeBaseline(): Promise<{ startMs: number; rssMiB: number }> {
  const began = Date.now();
  const child = spawn(process.execPath, ['-e', "require('http').createServer((q,s)=>s.end('ok')).listen(0,'127.0.0.1',function(){console.log(this.address().port)})"], {
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  const port = await new Promise<number>((resolve) => child.stdout.once('data', (chunk: Buffer) => resolve(Number(chunk.toString()))));
  await (await fetch(`http://127.0.0.1:${port}/`)).text();
  const startMs = Date.now() - began;
  await new Promise((resolve) => setTimeout(resolve, 2000));
  const rssMiB = residentMemoryMiB(child.pid!);
  child.kill();
  return { startMs, rssMiB };
}

// "Already built": the stack command and every service, so neither start below includes a build.
const build = spawnSync('npm', ['run', 'build', '--silent'], { cwd: REPO_ROOT, stdio: ['ignore', 'ignore', 'inherit'] });
if (build.status !== 0) throw new Error('npm run build failed');

const baseline = await bareNodeBaseline();
console.log(`baseline: bare node http server starts in ${baseline.startMs} ms, idles at ${baseline.rssMiB.toFixed(1)} MiB`);

const stack = await startStack([process.execPath, 'scripts/start.mjs', '--no-build']);
const seconds = stack.startupMs / 1000;
console.log(`\nstart to all healthy: ${seconds.toFixed(1)} s (target < ${START_TARGET_S} s) = ${(stack.startupMs / baseline.startMs).toFixed(1)}x a bare node server`);
for (const line of stack.output().split('\n').filter((l) => / healthy in /.test(l))) console.log(`  ${line.replace(/^stack \| /, '')}`);

await new Promise((resolve) => setTimeout(resolve, 5000));
console.log('\nresident memory at idle:');
let total = 0;
let worst = 0;
for (const process of nativeProcesses()) {
  const rss = residentMemoryMiB(process.pid);
  total += rss;
  if (process.service !== 'redis') worst = Math.max(worst, rss);
  console.log(`  ${process.name.padEnd(14)} ${rss.toFixed(1).padStart(7)} MiB  (${(rss / baseline.rssMiB).toFixed(1)}x bare node)`);
}
console.log(`  ${'total'.padEnd(14)} ${total.toFixed(1).padStart(7)} MiB  (target < ${STACK_RSS_TARGET_MIB} MiB)`);
console.log(`  largest Node service ${worst.toFixed(1)} MiB (target < ${SERVICE_RSS_TARGET_MIB} MiB)`);

const code = await interrupt(stack);
console.log(`\nstopped with exit status ${code}`);

/** `stack --profile production up -d` in a project copy, from the command to every process healthy. */
async function productionStart(): Promise<{ seconds: number; services: string[] }> {
  const copy = copyProject('codiesvibe-bench-');
  const env = { EDGE_HTTP_PORT: String(await freePort('0.0.0.0')) };
  try {
    copyFileSync(join(copy.root, '.env.production.example'), join(copy.root, '.env.production'));
    const init = copy.stack(['--env', 'production', 'secrets', 'init'], env);
    if (init.status !== 0) throw new Error(`secrets init failed: ${init.stderr}`);
    const began = Date.now();
    const up = copy.stack(['--profile', 'production', 'up', '-d', '--no-build'], env);
    const seconds = (Date.now() - began) / 1000;
    if (up.status !== 0) throw new Error(`production did not start:\n${up.stderr}`);
    return { seconds, services: nativeProcesses('codiesvibe', copy.root).map((p) => p.service) };
  } finally {
    copy.stack(['down'], env);
    copy.remove();
  }
}

const production = await productionStart();
console.log(
  `\nproduction (--profile production up -d, ${production.services.length} processes: ${[...new Set(production.services)].map((service) => `${service} x${production.services.filter((s) => s === service).length}`).join(', ')}) to all healthy: ${production.seconds.toFixed(1)} s (target < ${PRODUCTION_START_TARGET_S} s) = ${(production.seconds / seconds).toFixed(1)}x the development start above`,
);
const met = seconds < START_TARGET_S && worst < SERVICE_RSS_TARGET_MIB && total < STACK_RSS_TARGET_MIB && production.seconds < PRODUCTION_START_TARGET_S;
console.log(met ? 'all targets met' : 'TARGET MISSED');
