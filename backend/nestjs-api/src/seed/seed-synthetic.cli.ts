/**
 * `npm run seed:synthetic -w backend/nestjs-api -- --count 10000 [--seed 1] [--data-dir DIR]`:
 * fills the embedded store in DATA_DIR (default `.data/nestjs-api`, as the service's own default)
 * with the bundled seed and N synthetic tools. Environment twins: SYNTHETIC_TOOLS, SYNTHETIC_SEED,
 * DATA_DIR.
 */
import { resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { seedSyntheticStore } from './synthetic-store.js';

function wholeNumber(name: string, text: string | undefined, fallback: number): number {
  if (text === undefined) return fallback;
  if (!/^\d+$/.test(text)) {
    console.error(`seed:synthetic: ${name} must be a whole number of 0 or more, got "${text}"`);
    process.exit(2);
  }
  return Number(text);
}

let values;
try {
  ({ values } = parseArgs({
    options: { count: { type: 'string' }, seed: { type: 'string' }, 'data-dir': { type: 'string' } },
    strict: true,
  }));
} catch (error) {
  console.error(`seed:synthetic: ${error instanceof Error ? error.message : String(error)} (use --count N [--seed S] [--data-dir DIR])`);
  process.exit(2);
}
const count = wholeNumber('--count (SYNTHETIC_TOOLS)', values.count ?? process.env.SYNTHETIC_TOOLS, 10_000);
const seed = wholeNumber('--seed (SYNTHETIC_SEED)', values.seed ?? process.env.SYNTHETIC_SEED, 1);
const dataDir = resolve(values['data-dir'] ?? process.env.DATA_DIR ?? '.data/nestjs-api');

const started = performance.now();
try {
  const { inserted, total } = await seedSyntheticStore({ dataDir, count, seed });
  console.log(
    `seeded ${inserted} synthetic tools (seed ${seed}) into ${dataDir}: ${total} tools in the store, ${Math.round(performance.now() - started)} ms`,
  );
} catch (error) {
  console.error(`seed:synthetic: ${dataDir}: ${error instanceof Error ? error.message : String(error)}`);
  process.exit(1);
}
