#!/usr/bin/env node
import {
  createLogger,
  createRequestContext,
  createShutdown,
  loadConfig,
  runWithRequestContext,
} from '@codiesvibe/shared';
import { StdioServerTransport } from '@modelcontextprotocol/sdk/server/stdio.js';
import { parseStdioArgs, STDIO_USAGE, StdioArgsError } from './config/stdio-args.js';
import { stdioEnvSchema } from './config/env.schema.js';
import { createMcpServer } from './mcp/mcp-server.factory.js';
import { SERVICE_INFO } from './service-info.js';
import { createToolsApiClient } from './tools-api/tools-api.factory.js';

// The stdio entry point, for desktop AI assistants that start the server as a child process.
// stdout carries only JSON-RPC: every log line, usage and error goes to stderr.

const SERVICE = 'mcp-server-stdio';

function readCommand() {
  try {
    return parseStdioArgs(process.argv.slice(2), process.env);
  } catch (error) {
    if (!(error instanceof StdioArgsError)) throw error;
    process.stderr.write(`${SERVICE}: ${error.message} (MCP_ERR_CONFIG_INVALID); see --help\n`);
    process.exit(2);
  }
}

const command = readCommand();
if (command.kind === 'help') {
  process.stderr.write(`${STDIO_USAGE}\n`);
  process.exit(0);
}
if (command.kind === 'version') {
  process.stderr.write(`${SERVICE_INFO.version}\n`);
  process.exit(0);
}

const config = loadConfig(stdioEnvSchema, { service: SERVICE, env: command.env });
const logger = createLogger({
  service: SERVICE,
  env: config.NODE_ENV,
  instanceId: config.INSTANCE_ID,
  level: config.LOG_LEVEL,
  destination: process.stderr,
});
const server = createMcpServer({
  toolsApi: createToolsApiClient(config),
  reportUnexpected: (error, context) =>
    logger.error({ err: error, context }, 'unexpected failure in an MCP handler'),
});
const transport = new StdioServerTransport();
const shutdown = createShutdown({ logger, graceMs: config.SHUTDOWN_GRACE_MS });
shutdown.add('mcp', () => server.close());

await server.connect(transport);
// Each JSON-RPC message gets its own request context, so calls to nestjs-api carry a request id
// and a trace, and log lines can be matched to them, as over HTTP.
const dispatch = transport.onmessage;
transport.onmessage = (message) => runWithRequestContext(createRequestContext({}), () => dispatch?.(message));
// The client closing our stdin is how a desktop assistant says goodbye.
process.stdin.once('end', () => void shutdown.run('stdin closed'));
logger.info(
  { version: SERVICE_INFO.version, toolsApiUrl: config.TOOLS_API_URL },
  `${SERVICE} ready on stdio`,
);
