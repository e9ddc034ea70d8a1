// Times resolving this repository's production environment (CODIESVIBE_ENV=production with the
// values of .env.production.example) and a 12-service modular project (include + extends + 3
// files + profiles): in-process with the engine, and as whole `stack` processes (`config -q`,
// `--help`, `ps`), each next to a bare `node -e ""` started in the same run. Run with
// `npm run bench -w stack/compose` (it builds the engine and the stack bundle first). The machine
// is shared: read the ratios, and the CPU figures, rather than the wall times alone.
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

const repoRoot = join(here, '..', '..', '..');
const production = {
  cwd: repoRoot,
  envFiles: [join(repoRoot, '.env.production.example')],
  env: { PATH: process.env.PATH ?? '', CODIESVIBE_ENV: 'production' },
};

function timeStack(args, iterations, env = production.env) {
  const wall = [];
  const cpu = [];
  const cpuFile = join(scratch, 'cpu');
  for (let i = 0; i < iterations; i++) {
    const start = performance.now();
    const result = spawnSync(process.execPath, ['--import', reporter, ...args], {
      cwd: repoRoot,
      env: { ...env, BENCH_CPU_FILE: cpuFile },
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
// This repository's production environment, the issue's reference case. Rounds interleave the
// baseline and the commands so load changes hit them alike.
const productionServices = Object.keys(loadProjectSync(production).project.services).length;
const productionResolve = timeInProcess(() => loadProjectSync(production), 100);
const rounds = { node: [], config: [], help: [], ps: [] };
for (let round = 0; round < 5; round++) {
  rounds.node.push(timeStack(['-e', ''], 3));
  rounds.config.push(timeStack([stackBin, '--env-file', production.envFiles[0], 'config', '-q'], 3));
  rounds.help.push(timeStack([stackBin, '--help'], 3));
  rounds.ps.push(timeStack([stackBin, '--env-file', production.envFiles[0], 'ps', '--native'], 3));
}
const pick = (list) => ({ wall: median(list.map((entry) => entry.wall)), cpu: median(list.map((entry) => entry.cpu)) });
const bare = pick(rounds.node);
const stackConfig = pick(rounds.config);
const stackHelp = pick(rounds.help);
const stackPs = pick(rounds.ps);
const load = (await import('node:os')).loadavg()[0];
rmSync(scratch, { recursive: true, force: true });

const ratio = (label, value, base, target) =>
  `${label.padEnd(48)} ${value.toFixed(1).padStart(8)} ms  ${(value / base).toFixed(2)}× node${target === undefined ? '' : `   target ≤ ${target}×: ${value / base <= target ? 'PASS' : 'MISSED'}`}`;
const row = (label, value, target) =>
  `${label.padEnd(48)} ${value.toFixed(1).padStart(8)} ms${target === undefined ? '' : `   target < ${target} ms: ${value < target ? 'PASS' : 'MISSED'}`}`;
console.log(`machine load average (1 min): ${load.toFixed(2)} on ${(await import('node:os')).cpus().length} cores, Node ${process.version}`);
console.log(`this repository, production environment: ${productionServices} services`);
console.log(row('in-process resolve, median wall', productionResolve.wall, 10));
console.log(row('in-process resolve, median CPU', productionResolve.cpu, 10));
console.log(row('baseline: `node -e ""` process, median wall', bare.wall));
console.log(ratio('`stack config -q` process, median wall', stackConfig.wall, bare.wall, 2.5));
console.log(ratio('`stack config -q` process, median CPU', stackConfig.cpu, bare.cpu, 2.5));
console.log(ratio('`stack --help` process, median wall', stackHelp.wall, bare.wall));
console.log(ratio('`stack ps` process, median wall', stackPs.wall, bare.wall));
console.log('');
console.log(`modular project: ${servicesCount} services, ${allYaml.length} files (include + extends + 3 -f files + profiles)`);
console.log(row('in-process resolve, median wall', resolve.wall));
console.log(row('in-process resolve, median CPU', resolve.cpu));
console.log(row('baseline: YAML parse only of the same files, wall', parseOnly.wall));
console.log(ratio('`stack config -q` whole process, median wall', processConfig.wall, processBaseline.wall));
console.log(ratio('`stack config -q` whole process, median CPU', processConfig.cpu, processBaseline.cpu));
console.log(row('baseline: `node -e ""` process, median wall', processBaseline.wall));
console.log(row('baseline: `node -e ""` process, median CPU', processBaseline.cpu));
