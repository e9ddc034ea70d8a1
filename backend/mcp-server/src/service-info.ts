import { createRequire } from 'node:module';

// package.json sits one folder above both src/ and dist/, so this works from sources and builds.
const packageJson = createRequire(import.meta.url)('../package.json') as { version: string };

/** How this server introduces itself to MCP clients and in logs. */
export const SERVICE_INFO = {
  name: 'codiesvibe-mcp',
  title: 'CodiesVibe directory of AI developer tools',
  version: packageJson.version,
} as const;
