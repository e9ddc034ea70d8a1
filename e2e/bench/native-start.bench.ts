// `npm run bench -w e2e`: time from `npm start` (already built) to every service healthy, and each
// native process's resident memory at idle, against a bare Node HTTP server measured in the same run.
// Targets: start under 15 s; each Node service under 150 MB; the whole native stack under 700 MB.
import { spawn } from 'node:child_process';
import { interrupt, nativeProcesses, residentMemoryMiB, startStack } from '../test/native-stack-harness.js';

const START_TARGET_S = 15;
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
const met = seconds < START_TARGET_S && worst < SERVICE_RSS_TARGET_MIB && total < STACK_RSS_TARGET_MIB;
console.log(met ? 'all targets met' : 'TARGET MISSED');
