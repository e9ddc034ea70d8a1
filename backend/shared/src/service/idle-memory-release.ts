import { performance } from 'node:perf_hooks';
import { getHeapStatistics, setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';

/** V8's `gc` extension: a full, non-incremental GC. */
type GarbageCollect = () => void;

let collect: GarbageCollect | undefined;

function garbageCollector(): GarbageCollect {
  if (collect) return collect;
  const global = globalThis as { gc?: GarbageCollect };
  if (typeof global.gc === 'function') {
    collect = global.gc;
  } else {
    // The extension is installed in contexts created while the flag is on: one throwaway
    // context hands the function over, and the flag goes back off for every later context.
    setFlagsFromString('--expose-gc');
    collect = runInNewContext('gc') as GarbageCollect;
    setFlagsFromString('--no-expose-gc');
  }
  return collect;
}

const MiB = 1024 * 1024;
const inMiB = (bytes: number) => Math.round((bytes / MiB) * 10) / 10;
const committedHeap = () => getHeapStatistics().total_heap_size;

/** One release: V8's committed heap before and after, and the two GCs' pauses together. */
export interface MemoryRelease {
  heapBeforeMiB: number;
  heapAfterMiB: number;
  ms: number;
}

export interface IdleMemoryReleaseOptions {
  /** Told about each release (a debug log line). */
  onRelease?: (release: MemoryRelease) => void;
  /** How often the event loop's utilization is sampled. 1 000 ms unless told. */
  sampleMs?: number;
  /**
   * Quiet samples in a row (utilization at or below `idleUtilization`) that make the process idle.
   * 10 unless told: a lull of a few seconds between bursts of traffic is not idleness, and a
   * release in each one cost a service loaded 1 s in 3 a quarter of its throughput.
   */
  idleSamples?: number;
  /** The event-loop utilization (0 to 1) at or below which a sample is quiet. 0.05 unless told. */
  idleUtilization?: number;
  /** Committed heap growth since the last release that makes another worth its pauses. 4 MiB unless told. */
  minGrowthBytes?: number;
}

/** Stops the sampling. */
export interface IdleMemoryRelease {
  dispose(): void;
}

/**
 * Gives memory back when the service goes idle after work. V8 grows its young generation (to
 * two 16 MiB semi-spaces on Node 20) under any sustained work, start-up included, and shrinks it
 * in a GC only when the allocation rate V8 measured since its previous GC is low. Its memory
 * reducer gets there some time between a few seconds and a minute into an idle period, so an
 * idle service holds 20 to 30 MiB of RSS it does not use until then.
 *
 * Samples the event loop's utilization every `sampleMs`. After `idleSamples` quiet samples in a
 * row, and only if V8's committed heap grew by `minGrowthBytes` since the last release (the first
 * idle period after start always qualifies): one full GC, which frees the garbage and starts a
 * new allocation-rate measurement; if the process stays quiet for 6 s more, a second full GC,
 * which then sees the idle allocation rate and shrinks the young generation. Any busy sample in
 * between starts over. Under load the loop is never quiet, so this costs nothing there; a request
 * arriving during one of the GCs waits for its pause (10 to 50 ms). The timer is unref'd: it never
 * keeps the process alive.
 *
 * Ten quiet seconds, not two: a service whose traffic comes in bursts with lulls of a few seconds
 * (1 s of load, 2 s of none) released in every lull and then served 24-27 % fewer requests a
 * second in the bursts, at 40-55 % more CPU a request (the full GCs, and the young generation
 * and compiled code built up again after them); with the release waiting 10 s, such traffic
 * never triggers it, and an idle service still gives its memory back within about 16 s.
 */
export function releaseMemoryWhenIdle(options: IdleMemoryReleaseOptions = {}): IdleMemoryRelease {
  const sampleMs = options.sampleMs ?? 1_000;
  const idleSamples = options.idleSamples ?? 10;
  const idleUtilization = options.idleUtilization ?? 0.05;
  const minGrowthBytes = options.minGrowthBytes ?? 4 * MiB;
  // V8 measures the allocation rate over at least its last 5 s; the margin covers timer drift.
  const settleMs = 6_000;
  let previous = performance.eventLoopUtilization();
  let quietSamples = 0;
  let heapAfterRelease = 0;
  let firstGc: { at: number; heapBefore: number; ms: number } | undefined;

  const fullGc = () => {
    const began = performance.now();
    garbageCollector()();
    return performance.now() - began;
  };

  const timer = setInterval(() => {
    const current = performance.eventLoopUtilization();
    const { utilization } = performance.eventLoopUtilization(current, previous);
    previous = current;
    if (utilization > idleUtilization) {
      quietSamples = 0;
      firstGc = undefined;
      return;
    }
    quietSamples += 1;
    if (!firstGc) {
      if (quietSamples < idleSamples) return;
      const heapBefore = committedHeap();
      if (heapBefore < heapAfterRelease + minGrowthBytes) return;
      firstGc = { at: performance.now(), heapBefore, ms: fullGc() };
    } else if (performance.now() - firstGc.at >= settleMs) {
      const ms = firstGc.ms + fullGc();
      heapAfterRelease = committedHeap();
      options.onRelease?.({ heapBeforeMiB: inMiB(firstGc.heapBefore), heapAfterMiB: inMiB(heapAfterRelease), ms: Math.round(ms) });
      firstGc = undefined;
      quietSamples = 0;
    } else {
      return;
    }
    // A GC's own pause is not load: the next sample starts after it.
    previous = performance.eventLoopUtilization();
  }, sampleMs);
  timer.unref();
  return { dispose: () => clearInterval(timer) };
}
