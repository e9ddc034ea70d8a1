import { afterEach, describe, expect, it } from 'vitest';
import { Upstream } from './upstream.js';

const policy = { ejectAfterFailures: 2, ejectCooldownMs: 1_000, breakerFailures: 5, breakerCooldownMs: 1_000, pool: { connections: 1 } };

describe('Upstream', () => {
  let upstream: Upstream;
  afterEach(async () => {
    await upstream.close();
  });

  const withReplicas = (...origins: string[]) => {
    upstream = new Upstream('api', policy);
    upstream.setOrigins(origins);
    return upstream.replicas;
  };

  it('rotates over idle replicas (round robin tiebreak)', () => {
    withReplicas('http://10.0.0.1:1', 'http://10.0.0.2:1', 'http://10.0.0.3:1');
    const picked = Array.from({ length: 6 }, () => upstream.pick(0)?.origin);
    expect(new Set(picked.slice(0, 3)).size).toBe(3);
    expect(picked.slice(3)).toEqual(picked.slice(0, 3));
  });

  it('prefers the replica with the fewest requests in flight', () => {
    const [a, b, c] = withReplicas('http://10.0.0.1:1', 'http://10.0.0.2:1', 'http://10.0.0.3:1');
    a!.outstanding = 4;
    b!.outstanding = 1;
    c!.outstanding = 3;
    for (let attempt = 0; attempt < 3; attempt++) expect(upstream.pick(0)).toBe(b);
  });

  it('skips the excluded replica, ejected ones and ones that failed their probe', () => {
    const [a, b, c] = withReplicas('http://10.0.0.1:1', 'http://10.0.0.2:1', 'http://10.0.0.3:1');
    b!.activelyHealthy = false;
    expect(upstream.replicaFailed(c!, 0)).toBe(false);
    expect(upstream.replicaFailed(c!, 0)).toBe(true);
    expect(upstream.ejections).toBe(1);
    expect(upstream.pick(0)).toBe(a);
    expect(upstream.pick(0, a)).toBeUndefined();
  });

  it('re-admits an ejected replica after its cool-down, on probation', () => {
    const [a] = withReplicas('http://10.0.0.1:1');
    upstream.replicaFailed(a!, 0);
    upstream.replicaFailed(a!, 0);
    expect(upstream.pick(500)).toBeUndefined();
    expect(upstream.pick(1_000)).toBe(a);
    // One more failure is enough to eject it again.
    expect(upstream.replicaFailed(a!, 1_000)).toBe(true);
    a!.recordSuccess();
    expect(a!.consecutiveFailures).toBe(0);
    expect(upstream.pick(1_001)).toBe(a);
  });

  it('keeps the state of replicas that stay when the address list changes', () => {
    const [a] = withReplicas('http://10.0.0.1:1', 'http://10.0.0.2:1');
    a!.outstanding = 7;
    upstream.setOrigins(['http://10.0.0.1:1', 'http://10.0.0.3:1']);
    expect(upstream.replicas[0]).toBe(a);
    expect(upstream.replicas.map((replica) => replica.origin)).toEqual(['http://10.0.0.1:1', 'http://10.0.0.3:1']);
  });
});
