import type { HealthCheckResult } from '@codiesvibe/shared';
import type { Upstream } from '../upstream/upstream.js';

/**
 * The readiness check of one upstream, for `/health/ready`: passes with every replica's state in
 * its details while at least one replica is in rotation and the breaker is not open; throws a
 * one-line reason otherwise.
 */
export function describeUpstream(upstream: Upstream, now = Date.now()): HealthCheckResult {
  const replicas = upstream.replicas.map((replica) => ({
    origin: replica.origin,
    status: replica.status(now),
    outstanding: replica.outstanding,
    consecutiveFailures: replica.consecutiveFailures,
    ...(replica.lastProbeError !== undefined ? { lastProbeError: replica.lastProbeError } : {}),
  }));
  const inRotation = replicas.filter((replica) => replica.status === 'up').length;
  if (replicas.length === 0) throw new Error(upstream.resolutionError ?? `${upstream.name} has no replicas`);
  if (inRotation === 0) {
    const reasons = replicas.map((replica) => `${replica.origin} ${replica.status}${replica.lastProbeError ? ` (${replica.lastProbeError})` : ''}`);
    throw new Error(`no replica of ${upstream.name} is in rotation: ${reasons.join(', ')}`);
  }
  if (upstream.breaker.state === 'open') throw new Error(`the circuit breaker of ${upstream.name} is open`);
  return { details: { inRotation, circuitBreaker: upstream.breaker.state, replicas } };
}
