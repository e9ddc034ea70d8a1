import type { SpawnSyncReturns } from 'node:child_process';
import { copyFileSync, readFileSync, readdirSync } from 'node:fs';
import { request as httpRequest, Agent } from 'node:http';
import { connect } from 'node:net';
import { join } from 'node:path';
import { freePort } from '@codiesvibe/shared/testing';
import { childrenOf, isAlive, nativeProcesses, type NativeProcessRecord } from './native-stack-harness.js';
import { copyProject, type ProjectCopy } from './project-copy.js';

/*
 * Support for the staging and production tests: an HTTP client that talks to the nginx edge from
 * chosen loopback addresses, replica metrics, and the secret values to look for in logs.
 *
 * Both nginx (`limit_req`, per address) and the gateway (per client address, from nginx's
 * X-Forwarded-For) rate-limit. Sending from many addresses of 127.0.0.0/8 makes each test
 * client a distinct visitor, so load never trips a limiter unless a test means it to.
 */

export interface Answer {
  status: number;
  body: string;
}

export interface EdgeClient {
  /** One request from `from` (a loopback address); rejects only on a network error. */
  send(method: string, path: string, options?: { from?: string; headers?: Record<string, string>; body?: string }): Promise<Answer>;
  close(): void;
}

export function edgeClient(port: number): EdgeClient {
  const agents = new Map<string, Agent>();
  const agentFor = (from: string): Agent => {
    let agent = agents.get(from);
    if (!agent) {
      agent = new Agent({ keepAlive: true, maxSockets: 8, localAddress: from });
      agents.set(from, agent);
    }
    return agent;
  };
  return {
    send: (method, path, options = {}) =>
      new Promise((resolve, reject) => {
        const from = options.from ?? '127.0.0.1';
        const headers = { ...options.headers, ...(options.body !== undefined && { 'content-type': 'application/json' }) };
        const req = httpRequest({ host: '127.0.0.1', port, method, path, agent: agentFor(from), headers, timeout: 30_000 }, (res) => {
          let body = '';
          res.setEncoding('utf8');
          res.on('data', (chunk: string) => (body += chunk));
          res.on('end', () => resolve({ status: res.statusCode ?? 0, body }));
          res.on('error', reject);
        });
        req.on('timeout', () => req.destroy(new Error(`${method} ${path} timed out`)));
        req.on('error', reject);
        req.end(options.body);
      }),
    close: () => {
      for (const agent of agents.values()) agent.destroy();
    },
  };
}

/** `count` distinct loopback addresses 127.0.<block>.1.. (block 0 is left to the machine). */
export function visitorAddresses(block: number, count: number): string[] {
  return Array.from({ length: count }, (_, index) => `127.0.${block}.${index + 1}`);
}

/**
 * The next visitor address on each call, round the `count` addresses of `block`: requests spread
 * over many clients, so nginx's per-address limit never answers for the gateway's.
 */
export function visitorRotation(block: number, count: number): () => string {
  const visitors = visitorAddresses(block, count);
  let next = 0;
  return () => visitors[next++ % visitors.length]!;
}

/** Requests a replica has answered on `route` (any status), read from its own /metrics. */
export async function servedRequests(port: number, route: string): Promise<number> {
  const metrics = await (await fetch(`http://127.0.0.1:${port}/metrics`)).text();
  let total = 0;
  for (const line of metrics.split('\n')) {
    if (line.startsWith('http_request_duration_seconds_count{') && line.includes(`route="${route}"`)) total += Number(line.split(' ').pop());
  }
  return total;
}

/** The values of every secret file of a project: what must never appear in a log. */
export function secretValues(root: string): { name: string; value: string }[] {
  const folder = join(root, 'secrets');
  return readdirSync(folder).map((name) => ({ name, value: readFileSync(join(folder, name), 'utf8').trim() }));
}

/** Every log file the native runner wrote for a project (services, nginx, the supervisor). */
export function nativeLogFiles(root: string, project = 'codiesvibe'): string[] {
  const folder = join(root, '.stack', 'native', project);
  const logs = readdirSync(join(folder, 'logs')).map((name) => join(folder, 'logs', name));
  return [...logs, join(folder, 'supervisor.log')];
}

/** The first line Redis answers to PING without credentials. */
export function redisGreeting(port: number): Promise<string> {
  return new Promise((resolve, reject) => {
    const socket = connect(port, '127.0.0.1', () => socket.write('PING\r\n'));
    socket.setEncoding('utf8');
    socket.once('data', (data: string) => {
      socket.destroy();
      resolve(data.trim());
    });
    socket.once('error', reject);
  });
}

/** A valid tool for POST /api/tools, unique per call. */
export function probeTool(label: string): Record<string, unknown> {
  const slug = `e2e-${label}-${Date.now().toString(36)}`;
  return {
    slug,
    name: `E2E ${label} probe`,
    tagline: 'Created by the end-to-end test through the edge',
    description: 'A tool the production end-to-end test creates with the admin key and reads back through every replica.',
    website: 'https://example.com',
    categories: ['testing'],
    tags: ['e2e'],
    pricing: { model: 'free' },
    platforms: ['cli'],
    openSource: false,
  };
}

/** A staging or production environment started natively in a throwaway project copy. */
export interface NativeEnvironment {
  copy: ProjectCopy;
  edgePort: number;
  /** What `up` printed (stdout and stderr). */
  upOutput: string;
  client: EdgeClient;
  /** `stack ARGS` in the copy, with this environment's variables. */
  stack: (args: string[]) => SpawnSyncReturns<string>;
  processes: () => NativeProcessRecord[];
  /** Runs `down`; answers what it printed and the processes (pid, group) that were running before it. */
  down: () => { output: string; before: { pid: number; pgrp: number }[] };
}

/**
 * Copies the project, creates `.env.NAME` from its example, generates the secrets with
 * `stack secrets init` and runs `stack --env NAME up -d --no-build` (already built, as `npm test`
 * builds first), the nginx edge on a free port. `extraEnv` reaches the services.
 */
export async function startNativeEnvironment(name: 'staging' | 'production', extraEnv: Record<string, string> = {}): Promise<NativeEnvironment> {
  const copy = copyProject(`codiesvibe-${name}-`);
  const edgePort = await freePort('0.0.0.0');
  const env = { EDGE_HTTP_PORT: String(edgePort), ...extraEnv };
  const stack = (args: string[]) => copy.stack(['--env', name, ...args], env);
  try {
    copyFileSync(join(copy.root, `.env.${name}.example`), join(copy.root, `.env.${name}`));
    const init = stack(['secrets', 'init']);
    if (init.status !== 0) throw new Error(`secrets init failed:\n${init.stderr}`);
    const up = stack(['up', '-d', '--no-build']);
    const upOutput = `${up.stdout}${up.stderr}`;
    if (up.status !== 0) throw new Error(`${name} did not start (exit ${up.status}):\n${upOutput.slice(-4000)}`);
    const processes = () => nativeProcesses('codiesvibe', copy.root);
    return {
      copy,
      edgePort,
      upOutput,
      client: edgeClient(edgePort),
      stack,
      processes,
      down: () => {
        const pids = [...processes().map((entry) => entry.pid), supervisorPid(copy.root)].filter((pid) => pid > 0 && isAlive(pid));
        const before = pids.flatMap((pid) => [pid, ...childrenOf(pid)]).map((pid) => ({ pid, pgrp: groupOf(pid) }));
        const result = stack(['down']);
        return { output: `${result.stdout}${result.stderr}`, before };
      },
    };
  } catch (error) {
    stack(['down']);
    copy.remove();
    throw error;
  }
}

function supervisorPid(root: string): number {
  const state = JSON.parse(readFileSync(join(root, '.stack', 'native', 'codiesvibe', 'state.json'), 'utf8')) as { supervisorPid?: number };
  return state.supervisorPid ?? 0;
}

function groupOf(pid: number): number {
  const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
  return Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[2]);
}

/** Polls `check` every 250 ms until it answers true, or fails after `timeoutMs`. */
export async function eventually(what: string, check: () => boolean | Promise<boolean>, timeoutMs = 30_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error(`${what}: not within ${timeoutMs} ms`);
    await new Promise((resolve) => setTimeout(resolve, 250));
  }
}
