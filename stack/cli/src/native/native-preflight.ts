import type { BuiltNativePlan } from './native-plan-builder.js';
import { describePortConflict, isPortFree } from './ports.js';
import { removeRuntimeDir, writeRuntimeFiles } from './runtime-files.js';

/** Says where a port comes from, so the message can name the setting to change. */
export type PortSettingDescriber = (service: string, port: number) => string | undefined;

/**
 * Everything that can be checked before a process starts: writes the plan's private files (secret
 * copies, rendered configs), runs its checks (`nginx -t`), and makes sure every port is free.
 * Returns the problems, one line each; on a problem the written files are removed again.
 */
export async function preflightNativePlan(plan: BuiltNativePlan, describePortSetting?: PortSettingDescriber): Promise<string[]> {
  const problems: string[] = [];
  try {
    writeRuntimeFiles(plan.dirs, plan.files);
  } catch (error) {
    problems.push(`cannot write the native runtime files under ${plan.runDir}: ${(error as Error).message}`);
    return problems;
  }
  for (const check of plan.preflights) {
    const problem = check.run();
    if (problem) problems.push(`${check.service}: ${problem}`);
  }
  const checked = new Set<number>();
  for (const spec of plan.processes) {
    if (!spec.port || checked.has(spec.port)) continue;
    checked.add(spec.port);
    const free = await isPortFree(spec.port, spec.listenHost);
    if (free === true) continue;
    const setting = describePortSetting?.(spec.service, spec.port);
    problems.push(free === 'denied' ? privilegedPortMessage(spec.name, spec.port, setting) : describePortConflict(spec.name, spec.port, setting));
  }
  if (problems.length) removeRuntimeDir(plan.runDir);
  return problems;
}

function privilegedPortMessage(name: string, port: number, setting: string | undefined): string {
  return `port ${port} needed by ${name} is privileged (below 1024) and stack does not run as root; ${setting ? `set ${setting}` : 'choose a port'} of 1024 or above, or run as root`;
}
