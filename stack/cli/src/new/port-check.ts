import { createServer } from 'node:net';
import { parseComposeYaml } from '@codiesvibe/compose';
import { asRecord } from '../validate/compose-model.js';
import { readText } from './compose-entries.js';

/** Whether a process on this machine holds `port` (binding it on every address fails). */
export function portHeld(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const server = createServer();
    server.once('error', () => resolve(true));
    server.listen({ port, host: '0.0.0.0', exclusive: true }, () => server.close(() => resolve(false)));
  });
}

/**
 * Ports the compose tree gives its services: each base file's PORT (environment and build arg)
 * and every host port an environment file publishes, with the service that has it.
 */
export function portsOfTree(files: readonly string[]): Map<number, string> {
  const ports = new Map<number, string>();
  const note = (value: unknown, service: string): void => {
    const port = Number(value);
    if (Number.isInteger(port) && port > 0 && !ports.has(port)) ports.set(port, service);
  };
  for (const file of files) {
    const [document] = parseComposeYaml(readText(file), file);
    for (const [service, value] of Object.entries(asRecord(asRecord(document?.value)?.services) ?? {})) {
      const definition = asRecord(value) ?? {};
      note(asRecord(definition.environment)?.PORT, service);
      note(asRecord(asRecord(definition.build)?.args)?.PORT, service);
      for (const mapping of Array.isArray(definition.ports) ? definition.ports : []) {
        // "8080:80", "127.0.0.1:8080:80" (the host port is the one before the last colon), or { published }.
        const published = typeof mapping === 'string' || typeof mapping === 'number' ? String(mapping).split(':').at(-2) : asRecord(mapping)?.published;
        note(typeof published === 'string' ? published.split('-')[0] : published, service);
      }
    }
  }
  return ports;
}
