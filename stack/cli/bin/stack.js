#!/usr/bin/env node
// The `stack` command: a thin shim over the compiled CLI (run `npm run build -w stack/cli` first).
import { main } from '../dist/main.js';

await main();
