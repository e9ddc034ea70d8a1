import { parseNativeExtension, type NativeExtension } from './native-extension.js';

/** The parts of a resolved Compose service that declare its variables. */
export interface ServiceVariablesInput {
  environment?: Record<string, string | null | undefined>;
  'x-native'?: unknown;
}

/**
 * The variables a service declares for a native run (`stack up --native`, `npm start`): its
 * resolved Compose `environment:` with its `x-native.environment` over it. A variable declared
 * without a value (`KEY:`, passed through only when set) is left out, as the runner leaves it out:
 * the process keeps what it inherits. Service addresses and secret paths are still the
 * containers' here; the native plan makes them local, values that name neither stay as they are.
 * @throws Error naming the service and the setting when its `x-native` block is invalid.
 */
export function nativeServiceVariables(name: string, service: ServiceVariablesInput): Record<string, string> {
  return declaredVariables(service, parseNativeExtension(name, service['x-native']));
}

/** {@link nativeServiceVariables} for a service whose `x-native` block is already parsed. */
export function declaredVariables(
  service: ServiceVariablesInput,
  ext: NativeExtension | undefined,
): Record<string, string> {
  const variables: Record<string, string> = {};
  for (const [key, value] of Object.entries({ ...service.environment, ...ext?.environment })) {
    if (value !== null && value !== undefined) variables[key] = value;
  }
  return variables;
}
