// Module hooks (registered with --import) that append every module URL the process loads to
// the file named by STACK_LOADED_MODULES_FILE, and at exit the CommonJS modules it required
// (require() does not pass through the hooks on Node 20) and Node's built-in modules it loaded.
import { appendFileSync } from 'node:fs';
import { createRequire, register } from 'node:module';
import { pathToFileURL } from 'node:url';

if (process.env.STACK_LOADED_MODULES_FILE) {
  register('data:text/javascript,' + encodeURIComponent(`
import { appendFileSync } from 'node:fs';
const file = ${JSON.stringify(process.env.STACK_LOADED_MODULES_FILE)};
export async function load(url, context, next) {
  appendFileSync(file, url + '\\n');
  return next(url, context);
}`));
  appendFileSync(process.env.STACK_LOADED_MODULES_FILE, '');
  const file = process.env.STACK_LOADED_MODULES_FILE;
  const required = createRequire(import.meta.url).cache;
  process.on('exit', () => {
    const urls = Object.keys(required).map((path) => pathToFileURL(path).href);
    // Node's own modules, as `node:NAME` (internal ones left out).
    const builtins = process.moduleLoadList.filter((entry) => /^NativeModule [a-z_]+$/.test(entry)).map((entry) => `node:${entry.slice('NativeModule '.length)}`);
    appendFileSync(file, [...urls, ...builtins].map((line) => `${line}\n`).join(''));
  });
}
