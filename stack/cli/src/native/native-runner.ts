import { spawn } from 'node:child_process';
import { mkdirSync, openSync } from 'node:fs';
import type { Project } from '@codiesvibe/compose';
import type { CommandIo } from '../cli/command.js';
import { STACK_ERROR_CODES, StackError } from '../errors.js';
import { isBuildFresh, mergeBuildSteps, runBuildStep } from './build-steps.js';
import { LogMultiplexer } from './log-multiplexer.js';
import { CONTROL_SIGNAL, takeRestartRequest } from './native-control.js';
import { buildNativePlan, NativePlanError, type BuiltNativePlan } from './native-plan-builder.js';
import { preflightNativePlan, type PortSettingDescriber } from './native-preflight.js';
import { NativeStartError, ProcessSupervisor, type SupervisorEvent } from './process-supervisor.js';
import { recordUpRelease } from '../deploy/release-history.js';
import { runRelease, takeReleaseRequest } from './release-runner.js';
import { runRollingRelease } from './rolling-release.js';
import { startEdgeSwitches, type EdgeSwitch } from './edge-switch.js';
import { removeRuntimeDir } from './runtime-files.js';
import { NativeStateStore, isProcessAlive, type NativeState } from './state-store.js';
import { renderProcessTable } from './status-table.js';
import { describeNativeStack } from './native-status.js';

/** Set in the environment of the background supervisor that `up -d` starts. */
export const DETACHED_SUPERVISOR_VARIABLE = 'STACK_NATIVE_SUPERVISOR';

export interface NativeUpOptions {
  project: Project;
  environment?: string;
  scale: Record<string, number>;
  build: 'auto' | 'always' | 'never';
  detach: boolean;
  abortOnContainerExit: boolean;
  exitCodeFrom?: string;
  startTimeoutMs: number;
  /** `--timeout`: stop grace per process, over each service's `stop_grace_period`. */
  graceMs?: number;
  io: CommandIo;
  /** The command line to run again in the background for `-d`, without the detach flag. */
  foregroundArgv: string[];
  /** Says which setting publishes a port, for the message when it is taken. */
  describePortSetting?: PortSettingDescriber;
  /** How a file is shown in messages. */
  showPath?: (file: string) => string;
}

/** A failure the user can act on: printed as one line, exit status 1. */
export class NativeRunError extends StackError {
  constructor(message: string) {
    super(STACK_ERROR_CODES.NATIVE, message);
  }
}

/**
 * `stack up` without Docker: builds what is stale, checks ports, starts every process in
 * dependency order gated on health, prints the status table and the URL to open, then supervises
 * until Ctrl-C, SIGTERM or `stack down`, and stops everything in reverse order.
 */
export async function runNativeUp(options: NativeUpOptions): Promise<number> {
  const { io, project } = options;
  // Loaded here, not at the top: the settings reader parses YAML, and `stack ps`/`down`, which
  // share this module, must start without the YAML parser (test/bundle/bundle.test.ts).
  const { isProductionLike } = await import('../settings/stack-settings.js');
  let plan: BuiltNativePlan;
  try {
    plan = await buildNativePlan(project, {
      scale: options.scale,
      environment: options.environment,
      startTimeoutMs: options.startTimeoutMs,
      baseEnv: io.env,
      showPath: options.showPath,
      entrySwitch: isProductionLike(project.workingDir, options.environment),
    });
  } catch (error) {
    if (error instanceof NativePlanError) return reportProblems(io, error.message.split('\n'));
    throw error;
  }
  if (options.exitCodeFrom && !plan.processes.some((p) => p.service === options.exitCodeFrom)) {
    throw new NativeRunError(`--exit-code-from names ${options.exitCodeFrom}, which this environment does not run natively`);
  }
  const store = new NativeStateStore(plan.root, project.name);
  const live = store.readLive();
  if (live && live.supervisorPid !== process.pid) {
    throw new NativeRunError(
      `a native stack of project ${project.name} is already running (supervisor pid ${live.supervisorPid}); stop it with \`stack down\` first`,
    );
  }
  // Everything that can be told before a process starts is told here, in the foreground, also
  // for -d: secrets, rendered configs, `nginx -t`, ports.
  const problems = await preflightNativePlan(plan, options.describePortSetting);
  if (problems.length) {
    store.write({ project: project.name, environment: options.environment, supervisorPid: process.pid, phase: 'failed', error: problems.join('\n'), startedAt: Date.now(), embedded: plan.embedded, processes: [] });
    return reportProblems(io, problems);
  }
  if (options.detach && io.env[DETACHED_SUPERVISOR_VARIABLE] !== '1') return startDetached(options, plan, store);
  try {
    return await superviseInForeground(options, plan, store);
  } finally {
    removeRuntimeDir(plan.runDir);
  }
}

/** Problems found before anything started: one line each, exit status 1. */
function reportProblems(io: CommandIo, problems: string[]): number {
  for (const problem of problems) io.stderr(`stack: ${problem} [${STACK_ERROR_CODES.NATIVE}]\n`);
  return 1;
}

async function superviseInForeground(options: NativeUpOptions, plan: BuiltNativePlan, store: NativeStateStore): Promise<number> {
  const { io, project } = options;
  const say = (text: string) => io.stderr(`stack | ${text}\n`);
  const state: NativeState = {
    project: project.name,
    environment: options.environment,
    supervisorPid: process.pid,
    phase: 'building',
    startedAt: Date.now(),
    entrypointUrl: plan.entrypointUrl,
    embedded: plan.embedded,
    processes: [],
  };
  store.write(state);
  const fail = (message: string): number => {
    state.phase = 'failed';
    state.error = message;
    store.write(state);
    io.stderr(`stack: ${message}\n`);
    return 1;
  };

  try {
    await runBuilds(options, plan, store, say);
  } catch (error) {
    return fail((error as Error).message);
  }
  for (const { service, replacement } of plan.embedded) say(`${service}: not started, ${replacement}`);
  for (const note of plan.notes) say(note);

  store.resetLogs();
  const color = io.env.NO_COLOR === undefined && Boolean(process.stdout.isTTY);
  const logs = new LogMultiplexer(io.stdout, store.logDir, plan.processes.map((p) => p.name), color);
  const startedAt = new Map<string, number>();
  let supervisor: ProcessSupervisor | undefined;
  let exitRequested: ((code: number) => void) | undefined;
  const stopRequested = new Promise<number>((resolve) => (exitRequested = resolve));
  const onEvent = (event: SupervisorEvent) => {
    if (event.type === 'starting') {
      startedAt.set(event.name, Date.now());
      say(`${event.name} starting`);
    } else if (event.type === 'healthy') {
      say(`${event.name} healthy in ${((Date.now() - (startedAt.get(event.name) ?? Date.now())) / 1000).toFixed(1)} s`);
    } else if (event.type === 'restarting') {
      say(`${event.name} restarting in ${(event.inMs / 1000).toFixed(1)} s (attempt ${event.attempt})`);
    } else if (event.type === 'exited' && state.phase === 'running') {
      say(`${event.name} exited (${event.signal ?? `code ${event.code}`})`);
      if (options.abortOnContainerExit) {
        const service = plan.processes.find((p) => p.name === event.name)?.service;
        const code = options.exitCodeFrom ? (service === options.exitCodeFrom ? (event.code ?? 1) : undefined) : (event.code ?? 1);
        say(`aborting: ${event.name} exited and --abort-on-container-exit is set`);
        exitRequested?.(code ?? exitCodeOf(supervisor, options.exitCodeFrom) ?? 1);
      }
    }
    if (supervisor) {
      state.processes = supervisor.status();
      store.write(state);
    }
  };

  try {
    supervisor = new ProcessSupervisor(plan.processes, { logs, graceMs: options.graceMs, onEvent });
  } catch (error) {
    await logs.close();
    return fail((error as Error).message);
  }
  let switches: EdgeSwitch[];
  try {
    switches = await startEdgeSwitches(plan.switches);
  } catch (error) {
    await logs.close();
    return fail(`the edge's switch ports could not be opened: ${(error as Error).message}`);
  }
  const signals: NodeJS.Signals[] = ['SIGINT', 'SIGTERM', 'SIGHUP'];
  const onSignal = (signal: NodeJS.Signals) => {
    say(`${signal}: stopping every service`);
    exitRequested?.(0);
  };
  for (const signal of signals) process.on(signal, onSignal);
  let releasing = false;
  const onControl = () => {
    const release = takeReleaseRequest(store);
    if (release && supervisor && state.phase === 'running' && !releasing) {
      releasing = true;
      const run = release.strategy === 'rolling' ? runRollingRelease : runRelease;
      void run(release, { supervisor, switches }, state, store, say).finally(() => (releasing = false));
    }
    for (const service of takeRestartRequest(store)) {
      say(`restarting ${service} on request`);
      supervisor?.restart(service).catch((error: Error) => say(`restart of ${service} failed: ${error.message}`));
    }
  };
  process.on(CONTROL_SIGNAL, onControl);
  try {
    state.phase = 'starting';
    store.write(state);
    say(`starting ${plan.processes.length} processes in ${supervisor.startupOrder.length} tiers: ${supervisor.startupOrder.map((tier) => tier.join(' + ')).join(' → ')}`);
    const started = await Promise.race([supervisor.start().then(() => true), stopRequested.then(() => false)]);
    if (!started) {
      await supervisor.stop();
      state.phase = 'stopped';
      store.write(state);
      return 0;
    }
    state.phase = 'running';
    state.processes = supervisor.status();
    store.write(state);
    try {
      recordUpRelease(project, options.environment, io.env);
    } catch (error) {
      say(`could not record the release for \`stack deploy\`: ${(error as Error).message}`);
    }
    io.stderr('\n' + renderProcessTable(state.processes, new Map(state.processes.map((p) => [p.name, 'healthy']))));
    if (plan.entrypointUrl) io.stderr(`\n${project.name} is up: open ${plan.entrypointUrl}\n\n`);
    const code = await stopRequested;
    state.phase = 'stopping';
    store.write(state);
    await supervisor.stop();
    state.phase = 'stopped';
    state.processes = supervisor.status();
    store.write(state);
    say('stopped');
    return code;
  } catch (error) {
    if (error instanceof NativeStartError) {
      const tail = error.lastLines.length ? `\n  last lines of ${error.service}:\n${error.lastLines.map((l) => `    ${l}`).join('\n')}` : '';
      fail(`${error.message}${tail}`);
      return 1;
    }
    await supervisor.stop();
    throw error;
  } finally {
    for (const signal of signals) process.off(signal, onSignal);
    process.off(CONTROL_SIGNAL, onControl);
    await Promise.all(switches.map((edgeSwitch) => edgeSwitch.close()));
    await logs.close();
  }
}

function exitCodeOf(supervisor: ProcessSupervisor | undefined, service: string | undefined): number | undefined {
  const status = supervisor?.status().find((s) => s.service === service);
  return status?.exitCode ?? undefined;
}

async function runBuilds(options: NativeUpOptions, plan: BuiltNativePlan, store: NativeStateStore, say: (text: string) => void): Promise<void> {
  if (options.build === 'never') return;
  for (const step of mergeBuildSteps(plan.builds)) {
    if (options.build === 'auto' && isBuildFresh(plan.root, step)) {
      say(`build of ${step.service} is up to date`);
      continue;
    }
    const began = new Date();
    say(`building ${step.service}: ${step.argv.join(' ')}`);
    const output: string[] = [];
    await runBuildStep(plan.root, step, (line) => {
      output.push(line);
      if (output.length > 30) output.shift();
    }).catch((error: Error) => {
      throw new NativeRunError(`${error.message}\n${output.map((line) => `    ${line}`).join('\n')}`);
    });
    say(`built ${step.service} in ${((Date.now() - began.getTime()) / 1000).toFixed(1)} s`);
  }
}

/** `up -d`: runs the supervisor in the background and waits until it reports running or failed. */
async function startDetached(options: NativeUpOptions, plan: BuiltNativePlan, store: NativeStateStore): Promise<number> {
  const { io } = options;
  mkdirSync(store.dir, { recursive: true });
  const log = openSync(store.supervisorLog, 'w');
  const child = spawn(process.execPath, options.foregroundArgv, {
    cwd: io.cwd,
    env: { ...io.env, [DETACHED_SUPERVISOR_VARIABLE]: '1', NO_COLOR: '1' },
    stdio: ['ignore', log, log],
    detached: true,
  });
  child.unref();
  io.stderr(`stack | supervisor started in the background (pid ${child.pid}); its log: ${store.supervisorLog}\n`);
  const deadline = Date.now() + options.startTimeoutMs * 2 + 300_000;
  for (;;) {
    await new Promise((resolve) => setTimeout(resolve, 250));
    const state = store.read();
    if (state && state.supervisorPid === child.pid && state.phase === 'running') {
      io.stdout(await describeNativeStack(state));
      return 0;
    }
    if (state && state.supervisorPid === child.pid && state.phase === 'failed') {
      io.stderr(`stack: ${state.error ?? 'the native stack failed to start'}\n`);
      return 1;
    }
    if (!child.pid || !isProcessAlive(child.pid) || Date.now() > deadline) {
      io.stderr(`stack: the background supervisor stopped before the stack was up; see ${store.supervisorLog}\n`);
      return 1;
    }
  }
}

