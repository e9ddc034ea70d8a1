// Times resolving a 12-service modular project (include + extends + 3 files + profiles):
// in-process with the engine, and as a whole `stack config` process, each next to a baseline
// measured in the same run. Run with `npm run bench -w stack/compose` (it builds first).
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseAllDocuments } from 'yaml';
import { loadProjectSync } from '../dist/index.js';

const here = dirname(fileURLToPath(import.meta.url));
const project = join(here, 'modular-project');
const stackBin = join(here, '..', '..', 'cli', 'bin', 'stack.js');
const files = ['compose.yaml', 'compose.override.yml', 'compose.ci.yml'].map((file) => join(project, file));
const allYaml = [
  ...files,
  join(project, 'environments', 'development.yml'),
  join(project, 'infra', 'infra.yml'),
  join(project, 'services', 'base.yml'),
];
const options = { files, profiles: ['monitoring', 'search'], cwd: project, env: { PATH: process.env.PATH ?? '' } };

const median = (values) => {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)];
};

function timeInProcess(run, iterations) {
  for (let i = 0; i < 10; i++) run();
  const wall = [];
  const cpu = [];
  for (let i = 0; i < iterations; i++) {
    const cpuStart = process.cpuUsage();
    const start = performance.now();
    run();
    wall.push(performance.now() - start);
    const used = process.cpuUsage(cpuStart);
    cpu.push((used.user + used.system) / 1000);
  }
  return { wall: median(wall), cpu: median(cpu) };
}

const reporter = join(here, 'cpu-usage-reporter.mjs');
const scratch = mkdtempSync(join(tmpdir(), 'compose-bench-'));

function timeProcess(args, iterations) {
  const wall = [];
  const cpu = [];
  const cpuFile = join(scratch, 'cpu');
  for (let i = 0; i < iterations; i++) {
    const start = performance.now();
    const result = spawnSync(process.execPath, ['--import', reporter, ...args], {
      cwd: project,
      env: { ...options.env, BENCH_CPU_FILE: cpuFile },
      encoding: 'utf8',
    });
    wall.push(performance.now() - start);
    if (result.status !== 0) throw new Error(`${args.join(' ')} failed: ${result.stderr}`);
    cpu.push(Number(readFileSync(cpuFile, 'utf8')));
  }
  return { wall: median(wall), cpu: median(cpu) };
}

const servicesCount = Object.keys(loadProjectSync(options).project.services).length;
const resolve = timeInProcess(() => loadProjectSync(options), 200);
const parseOnly = timeInProcess(() => {
  for (const file of allYaml) parseAllDocuments(readFileSync(file, 'utf8'));
}, 200);
const configArgs = [stackBin, 'config', '-q', ...files.flatMap((file) => ['-f', file]), '--profile', 'monitoring', '--profile', 'search'];
const processConfig = timeProcess(configArgs, 15);
const processBaseline = timeProcess(['-e', ''], 15);
const load = (await import('node:os')).loadavg()[0];
rmSync(scratch, { recursive: true, force: true });

const row = (label, value, target) =>
  `${label.padEnd(48)} ${value.toFixed(1).padStart(8)} ms${target === undefined ? '' : `   target < ${target} ms: ${value < target ? 'met' : 'MISSED'}`}`;
console.log(`modular project: ${servicesCount} services, ${allYaml.length} files (include + extends + 3 -f files + profiles)`);
console.log(`machine load average (1 min): ${load.toFixed(2)} — wall times grow with it, CPU times much less`);
console.log(row('in-process resolve, median wall', resolve.wall, 20));
console.log(row('in-process resolve, median CPU', resolve.cpu, 20));
console.log(row('baseline: YAML parse only of the same files, wall', parseOnly.wall));
console.log(row('`stack config -q` whole process, median wall', processConfig.wall, 250));
console.log(row('`stack config -q` whole process, median CPU', processConfig.cpu, 250));
console.log(row('baseline: `node -e ""` process, median wall', processBaseline.wall));
console.log(row('baseline: `node -e ""` process, median CPU', processBaseline.cpu));
