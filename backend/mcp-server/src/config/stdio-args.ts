import { parseArgs } from 'node:util';

export const STDIO_USAGE = `Usage: codiesvibe-mcp [options]

MCP server (stdio) over the CodiesVibe directory of AI developer tools.
Reads JSON-RPC on stdin, answers on stdout, logs to stderr.

Options (each has an environment-variable twin):
  --tools-api-url <url>   nestjs-api or the gateway, e.g. http://localhost:4000   [TOOLS_API_URL]
  --timeout-ms <ms>       timeout of each directory call (default 5000)           [TOOLS_API_TIMEOUT_MS]
  --log-level <level>     trace|debug|info|warn|error|fatal|silent (default warn)  [LOG_LEVEL]
  -h, --help              print this help
  -v, --version           print the version`;

export type StdioCommand =
  { kind: 'help' } | { kind: 'version' } | { kind: 'serve'; env: Record<string, string | undefined> };

/** A command-line problem, printed as one line with the usage hint. */
export class StdioArgsError extends Error {
  override readonly name = 'StdioArgsError';
}

/**
 * Reads the command line. Options override their environment twins, so the returned `env` is what
 * the config schema validates (one validator for both sources).
 */
export function parseStdioArgs(argv: string[], env: Record<string, string | undefined>): StdioCommand {
  let values: ReturnType<typeof parse>['values'];
  try {
    values = parse(argv).values;
  } catch (error) {
    throw new StdioArgsError(error instanceof Error ? error.message.split('\n')[0] : String(error));
  }
  if (values.help) return { kind: 'help' };
  if (values.version) return { kind: 'version' };
  return {
    kind: 'serve',
    env: {
      ...env,
      ...(values['tools-api-url'] !== undefined && { TOOLS_API_URL: values['tools-api-url'] }),
      ...(values['timeout-ms'] !== undefined && { TOOLS_API_TIMEOUT_MS: values['timeout-ms'] }),
      ...(values['log-level'] !== undefined && { LOG_LEVEL: values['log-level'] }),
    },
  };
}

function parse(argv: string[]) {
  return parseArgs({
    args: argv,
    strict: true,
    allowPositionals: false,
    options: {
      'tools-api-url': { type: 'string' },
      'timeout-ms': { type: 'string' },
      'log-level': { type: 'string' },
      help: { type: 'boolean', short: 'h' },
      version: { type: 'boolean', short: 'v' },
    },
  });
}
