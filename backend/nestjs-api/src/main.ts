// Entry point (`node dist/main.js`). The environment is validated before the framework, the
// database driver and the rest load, so a bad variable is reported at once.
import { readConfig } from './config.js';

const config = readConfig();
const { start } = await import('./start.js');
await start(config);
