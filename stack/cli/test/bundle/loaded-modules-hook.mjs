// Module hooks (registered with --import) that append every module URL the process loads to
// the file named by STACK_LOADED_MODULES_FILE.
import { appendFileSync } from 'node:fs';
import { register } from 'node:module';

if (process.env.STACK_LOADED_MODULES_FILE) {
  register('data:text/javascript,' + encodeURIComponent(`
import { appendFileSync } from 'node:fs';
const file = ${JSON.stringify(process.env.STACK_LOADED_MODULES_FILE)};
export async function load(url, context, next) {
  appendFileSync(file, url + '\\n');
  return next(url, context);
}`));
  appendFileSync(process.env.STACK_LOADED_MODULES_FILE, '');
}
