import { randomFillSync } from 'node:crypto';

/** A parsed W3C `traceparent` header (https://www.w3.org/TR/trace-context/). */
export interface TraceParent {
  traceId: string;
  /** The span of the caller: our parent. */
  parentSpanId: string;
  flags: string;
}

const TRACEPARENT = /^([0-9a-f]{2})-([0-9a-f]{32})-([0-9a-f]{16})-([0-9a-f]{2})(-.*)?$/;
const ALL_ZEROS = /^0+$/;

/**
 * Parses a `traceparent` header. Returns undefined for anything the spec says to ignore
 * (bad shape, version ff, all-zero ids, extra fields on version 00), so a new trace starts.
 */
export function parseTraceParent(header: string | undefined): TraceParent | undefined {
  if (header === undefined) return undefined;
  const match = TRACEPARENT.exec(header.trim().toLowerCase());
  if (!match) return undefined;
  const [, version, traceId, parentSpanId, flags, rest] = match as unknown as [
    string,
    string,
    string,
    string,
    string,
    string?,
  ];
  if (version === 'ff' || (version === '00' && rest !== undefined)) return undefined;
  if (ALL_ZEROS.test(traceId) || ALL_ZEROS.test(parentSpanId)) return undefined;
  return { traceId, parentSpanId, flags };
}

/** Formats a version-00 `traceparent` naming `spanId` as the parent of the next hop. */
export function formatTraceParent(traceId: string, spanId: string, flags: string): string {
  return `00-${traceId}-${spanId}-${flags}`;
}

// Ids are cut from a pool of random bytes filled 4 KiB at a time: one `randomBytes` call per id
// (two per request) was a measurable share of a service's CPU. Every byte is used once, so the
// ids stay as unpredictable as the generator's.
const POOL_BYTES = 4096;
let pool = Buffer.alloc(0);
let poolOffset = 0;

function randomHex(bytes: number): string {
  for (;;) {
    if (poolOffset + bytes > pool.length) {
      pool = randomFillSync(Buffer.allocUnsafe(POOL_BYTES));
      poolOffset = 0;
    }
    const hex = pool.toString('hex', poolOffset, poolOffset + bytes);
    poolOffset += bytes;
    // All zeros is the spec's invalid id: draw again (about once in 2^64).
    if (!ALL_ZEROS.test(hex)) return hex;
  }
}

/** A random 16-byte trace id, as 32 hex digits. */
export function newTraceId(): string {
  return randomHex(16);
}

/** A random 8-byte span id, as 16 hex digits. */
export function newSpanId(): string {
  return randomHex(8);
}
