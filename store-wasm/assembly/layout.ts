// The memory image of one shard. Every piece of state lives in linear memory
// (never in Wasm globals), so the memory image *is* the shard: a snapshot, a
// warm restart or a migration is a copy of bytes.
//
//   0 ........ static data (AssemblyScript)
//   HDR ...... header: the fields below, 256 bytes
//   SCRATCH .. 64 KiB where the host writes keys, values and batches, and reads results
//   ARENA .... exactly `budget` bytes:
//     [ small ring (10%) | main ring ............ | index buckets | ghost ]
//                                         ^ the index grows downwards into the main ring
//
// Status codes returned to the host are centralised at the bottom.

/** Header, at a fixed address above the static data. */
// @ts-ignore: decorator
export const HDR_SIZE: usize = 256;

// @ts-ignore: decorator
export const SCRATCH_SIZE: usize = 65536;

// Header field offsets (u32 unless noted).
// @ts-ignore: decorator
export const H_MAGIC: usize = 0;

// @ts-ignore: decorator
export const H_ARENA_START: usize = 4;

// @ts-ignore: decorator
export const H_ARENA_END: usize = 8;

// @ts-ignore: decorator
export const H_SCRATCH: usize = 12;

/** Small ring: 6 u32 fields (see ring.ts). */
// @ts-ignore: decorator
export const H_SMALL: usize = 16;

/** Main ring: 6 u32 fields. */
// @ts-ignore: decorator
export const H_MAIN: usize = 40;

// @ts-ignore: decorator
export const H_IDX: usize = 64;

// @ts-ignore: decorator
export const H_IDX_BITS: usize = 68;

// @ts-ignore: decorator
export const H_IDX_COUNT: usize = 72;

// @ts-ignore: decorator
export const H_GHOST: usize = 76;

// @ts-ignore: decorator
export const H_RESULT_LEN: usize = 80;

// @ts-ignore: decorator
export const H_SWEEP: usize = 84;

// @ts-ignore: decorator
export const H_LIVE_ITEMS: usize = 88;

/** u64 */
// @ts-ignore: decorator
export const H_LIVE_BYTES: usize = 96;

/** u64 counters */
// @ts-ignore: decorator
export const H_EVICTIONS: usize = 104;

// @ts-ignore: decorator
export const H_EXPIRED: usize = 112;

// @ts-ignore: decorator
export const H_HITS: usize = 120;

// @ts-ignore: decorator
export const H_MISSES: usize = 128;

/** f64: absolute ms of the shard's epoch; item expiries are relative to it */
// @ts-ignore: decorator
export const H_EPOCH: usize = 136;

/** f64: the host's clock for the call in progress, relative to the epoch */
// @ts-ignore: decorator
export const H_NOW: usize = 144;

// @ts-ignore: decorator
export const H_BUDGET: usize = 152;

// @ts-ignore: decorator
export const MAGIC: u32 = 0x6b766f31; // "kvo1"

/** Address of the header: first 64-byte boundary above the static data. */
// @ts-ignore: decorator
export function hdr(): usize {
  return (__heap_base + 63) & ~(<usize> 63);
}

// @ts-ignore: decorator
export function h32(field: usize): u32 {
  return load<u32>(hdr() + field);
}

// @ts-ignore: decorator
export function setH32(field: usize, v: u32): void {
  store<u32>(hdr() + field, v);
}

// @ts-ignore: decorator
export function addH64(field: usize, v: u64): void {
  const p = hdr() + field;
  store<u64>(p, load<u64>(p) + v);
}

// Status codes (negative results); mirrored in ../_abi.ts.
// @ts-ignore: decorator
export const ST_OK: i32 = 0;

// @ts-ignore: decorator
export const ST_TOO_LARGE: i32 = -1;

// @ts-ignore: decorator
export const ST_BAD_ARG: i32 = -2;

// @ts-ignore: decorator
export const ST_NO_MEMORY: i32 = -3;

/** u32: writes so far (paces the incremental sweep) */
// @ts-ignore: decorator
export const H_WRITES: usize = 156;

/** u32: sink for the loads that warm the cache in batch calls */
// @ts-ignore: decorator
export const H_TOUCHED: usize = 160;
