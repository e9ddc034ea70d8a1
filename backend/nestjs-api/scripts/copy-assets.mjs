// tsc does not copy JSON that nothing imports statically; the seed is read at run time and is
// exported as `@codiesvibe/nestjs-api/seed`, so it must sit in dist beside the compiled code.
import { copyFileSync, mkdirSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const assets = ['seed/tools.seed.json'];
for (const asset of assets) {
  const target = join(root, 'dist', asset);
  mkdirSync(dirname(target), { recursive: true });
  copyFileSync(join(root, 'src', asset), target);
}
