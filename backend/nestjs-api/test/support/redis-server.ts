import { spawn, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { freePort } from '@codiesvibe/shared/testing';

/** A throwaway redis-server on loopback, stopped by `stop()`. */
export interface RedisServer {
  port: number;
  url: string;
  stop(): Promise<void>;
}

export interface RedisServerOptions {
  port?: number;
  /** Save the dataset in this folder on shutdown and load it on start (to survive a restart). */
  dataDir?: string;
}

/** Starts `redis-server` (path from `requireProgram`) and resolves once it accepts connections. */
export async function startRedisServer(program: string, options: RedisServerOptions = {}): Promise<RedisServer> {
  const chosenPort = options.port ?? (await freePort());
  const persistence = options.dataDir ? ['--dir', options.dataDir, '--save', '3600 1', '--dbfilename', 'dump.rdb'] : ['--save', ''];
  const child: ChildProcess = spawn(program, ['--port', String(chosenPort), '--bind', '127.0.0.1', '--appendonly', 'no', ...persistence], {
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  await new Promise<void>((resolve, reject) => {
    const onData = (chunk: Buffer) => {
      output += chunk.toString();
      if (output.includes('Ready to accept connections')) resolve();
    };
    child.stdout?.on('data', onData);
    child.stderr?.on('data', onData);
    child.once('exit', (code) => reject(new Error(`redis-server exited with ${code}: ${output.slice(-500)}`)));
  });
  child.stdout?.removeAllListeners('data');
  child.stderr?.removeAllListeners('data');
  child.stdout?.resume();
  child.stderr?.resume();
  return {
    port: chosenPort,
    url: `redis://127.0.0.1:${chosenPort}`,
    async stop() {
      if (child.exitCode !== null || child.signalCode !== null) return;
      const exited = once(child, 'exit');
      child.kill('SIGTERM');
      await exited;
    },
  };
}

export { freePort };
