#!/usr/bin/env node
// Runs a `config` command over Compose conformance cases and compares its output with the
// outputs recorded from Docker Compose v2.40.3 (compose-go v2.9.1).
//
//   node run-conformance.mjs --cmd "node stack/cli/bin/stack.js config"      this repository's cases
//   node run-conformance.mjs --cmd "..." --cases DIR                         another corpus
//   node run-conformance.mjs --cmd "..." --filter develop --verbose          a subset, full diffs
//   node run-conformance.mjs --cmd "REFERENCE config" --record               (re)write the expectations
//   node run-conformance.mjs --cmd "..." --cases DIR --optional             DIR may be absent: SKIPPED
//                                                  (a failure when CODIESVIBE_REQUIRE_ALL=1, as in CI)
//
// A case is a folder with the project's files and case.json:
//   { "description": "...", "args": ["-f", "compose.yml"], "env": { "TAG": "1" },
//     "expect": { "exit": 0 } }                                  or
//     "expect": { "exit": "nonzero", "stderr": ["word", ...] }  every word must appear in stderr
// Successful cases hold expected.json (`--format json` output) and may hold expected.yaml (the
// YAML output, compared byte for byte). The command runs in the case folder with only PATH, HOME
// and the case's env; the case folder's path in the output reads <PROJECT_DIR>. `expected.json`
// is compared as data: key order does not count, `command`/`entrypoint` null are dropped and null
// equals {} (the public corpus's rules); with --exact the JSON text itself must be equal too.
import { spawnSync } from 'node:child_process';
import { existsSync, readdirSync, readFileSync, realpathSync, writeFileSync } from 'node:fs';
import { isAbsolute, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { canonicalModel, firstDifference, withPlaceholder } from './compare-models.mjs';

const argv = process.argv.slice(2);
const option = (name, fallback) => {
  const at = argv.indexOf(name);
  return at >= 0 ? argv[at + 1] : fallback;
};
const flag = (name) => argv.includes(name);

const command = option('--cmd');
if (!command) {
  console.error('usage: node run-conformance.mjs --cmd "COMMAND config" [--cases DIR] [--filter TEXT] [--verbose] [--record]');
  process.exit(2);
}
const requestedCases = option('--cases', join(fileURLToPath(new URL('.', import.meta.url)), 'cases'));
if (!existsSync(requestedCases) && flag('--optional')) {
  const reason = `no conformance corpus at ${resolve(requestedCases)}`;
  if (process.env.CODIESVIBE_REQUIRE_ALL === '1') {
    console.error(`${reason}, and CODIESVIBE_REQUIRE_ALL=1 requires it`);
    process.exit(1);
  }
  console.log(`SKIPPED: ${reason}`);
  process.exit(0);
}
const casesDir = realpathSync(requestedCases);
const filter = option('--filter', '');
const verbose = flag('--verbose');
const record = flag('--record');
const exact = flag('--exact');
// Words of --cmd naming a file relative to where the runner started become absolute: each case
// runs in its own folder.
const [program, ...programArgs] = command
  .split(/\s+/)
  .filter(Boolean)
  .map((word) => (!word.startsWith('-') && !isAbsolute(word) && word.includes('/') && existsSync(word) ? resolve(word) : word));

let passed = 0;
let failed = 0;
const names = readdirSync(casesDir, { withFileTypes: true })
  .filter((entry) => entry.isDirectory() && entry.name.includes(filter) && existsSync(join(casesDir, entry.name, 'case.json')))
  .map((entry) => entry.name)
  .sort();

for (const name of names) {
  const dir = join(casesDir, name);
  const spec = JSON.parse(readFileSync(join(dir, 'case.json'), 'utf8'));
  const env = { PATH: process.env.PATH, HOME: process.env.HOME ?? '/root', ...(spec.env ?? {}) };
  const run = (format) =>
    spawnSync(program, [...programArgs, ...(spec.args ?? []), '--format', format], { cwd: dir, env, encoding: 'utf8', timeout: 30_000 });
  const json = run('json');
  const stderr = (json.stderr ?? '') + (json.error ? String(json.error) : '');
  let problem = null;

  if (spec.expect?.exit === 0) {
    const yamlFile = join(dir, 'expected.yaml');
    if (record && json.status === 0) {
      writeFileSync(join(dir, 'expected.json'), withPlaceholder(json.stdout, dir));
      const yaml = run('yaml');
      if (yaml.status === 0) writeFileSync(yamlFile, withPlaceholder(yaml.stdout, dir));
    }
    if (json.status !== 0) problem = `exit ${json.status}: ${lastLines(stderr)}`;
    else {
      const expectedText = readFileSync(join(dir, 'expected.json'), 'utf8');
      const gotText = withPlaceholder(json.stdout, dir);
      if (exact && gotText !== expectedText) problem = `JSON text differs: ${textDifference(expectedText, gotText)}`;
      if (!problem) {
        try {
          problem = firstDifference(canonicalModel(JSON.parse(expectedText)), canonicalModel(JSON.parse(gotText)));
        } catch (error) {
          problem = `output is not JSON: ${error.message}`;
        }
      }
      if (!problem && existsSync(yamlFile)) {
        const yaml = run('yaml');
        const got = withPlaceholder(yaml.stdout ?? '', dir);
        const expected = readFileSync(yamlFile, 'utf8');
        if (yaml.status !== 0) problem = `--format yaml: exit ${yaml.status}: ${lastLines(yaml.stderr ?? '')}`;
        else if (got !== expected) problem = `YAML differs: ${textDifference(expected, got)}`;
      }
    }
  } else {
    if (record && json.status !== 0) writeFileSync(join(dir, 'expected-stderr.txt'), withPlaceholder(stderr, dir));
    if (json.status === 0) problem = 'expected a failure, but the command exited 0';
    else {
      const missing = (spec.expect?.stderr ?? []).filter((word) => !withPlaceholder(stderr, dir).toLowerCase().includes(word.toLowerCase()));
      if (missing.length > 0) problem = `stderr lacks ${JSON.stringify(missing)}; it said: ${lastLines(stderr)}`;
    }
  }

  if (problem) {
    failed++;
    console.log(`FAIL ${name}: ${verbose ? problem : problem.slice(0, 400)}`);
  } else {
    passed++;
    if (verbose) console.log(`ok   ${name}`);
  }
}
console.log(`${passed} passed, ${failed} failed`);
process.exit(failed > 0 ? 1 : 0);

function lastLines(text) {
  return text.trim().split('\n').slice(-3).join(' | ');
}

/** The first differing line of two texts, with its number. */
function textDifference(expected, got) {
  const want = expected.split('\n');
  const have = got.split('\n');
  for (let i = 0; i < Math.max(want.length, have.length); i++) {
    if (want[i] !== have[i]) return `line ${i + 1}: expected ${JSON.stringify(want[i])}, got ${JSON.stringify(have[i])}`;
  }
  return 'equal';
}
