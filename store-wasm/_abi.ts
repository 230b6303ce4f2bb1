/**
 * Offsets and status codes shared with the AssemblyScript core
 * (assembly/layout.ts). Only `shard.ts` uses them.
 *
 * @module
 */

/** Size of the scratch region where keys, values and batches cross the boundary. */
export const SCRATCH_SIZE = 65536;

/** Header field offsets (bytes from the header address). */
export const H = {
  SCRATCH: 12,
  IDX_COUNT: 72,
  RESULT_LEN: 80,
  LIVE_ITEMS: 88,
  LIVE_BYTES: 96,
  EVICTIONS: 104,
  EXPIRED: 112,
  HITS: 120,
  MISSES: 128,
  REBUILDS: 172,
} as const;

/** Status codes the core returns (negative). */
export const Status = {
  OK: 0,
  TOO_LARGE: -1,
  BAD_ARG: -2,
  NO_MEMORY: -3,
} as const;

/** Bytes of item header: short form for small keys and values, else long. */
export function itemHeaderSize(klen: number, vlen: number): number {
  return klen < 256 && vlen < 65536 ? 9 : 12;
}

/** Longest key the core accepts. */
export const MAX_KEY_BYTES = 65535;

/** The exports of one core instance. */
export interface CoreExports {
  memory: WebAssembly.Memory;
  init(budget: number, epoch: number): number;
  clear(): void;
  get(klen: number, now: number): number;
  set(klen: number, vlen: number, ttl: number, now: number): number;
  del(klen: number, now: number): number;
  getBatch(count: number, data: number, out: number, now: number): void;
  setBatch(count: number, out: number, ttl: number, now: number): void;
  removePrefix(plen: number, now: number): number;
  sweep(buckets: number, now: number): number;
  maxItemBytes(): number;
  usedBytes(): number;
  header(): number;
}
