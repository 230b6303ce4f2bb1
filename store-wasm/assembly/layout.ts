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
//
// Constants and one-line helpers carry no @inline: `-O3` folds every constant
// and inlines the helpers (the built module has no globals), and deno fmt,
// which formats these files too, would drop decorators on functions.

/** Header, at a fixed address above the static data. */
export const HDR_SIZE: usize = 256;

export const SCRATCH_SIZE: usize = 65536;

// Header field offsets (u32 unless noted).
export const H_MAGIC: usize = 0;

export const H_ARENA_START: usize = 4;

export const H_ARENA_END: usize = 8;

export const H_SCRATCH: usize = 12;

/** Small ring: 6 u32 fields (see ring.ts). */
export const H_SMALL: usize = 16;

/** Main ring: 6 u32 fields. */
export const H_MAIN: usize = 40;

export const H_IDX: usize = 64;

export const H_IDX_BITS: usize = 68;

export const H_IDX_COUNT: usize = 72;

export const H_GHOST: usize = 76;

export const H_RESULT_LEN: usize = 80;

export const H_SWEEP: usize = 84;

export const H_LIVE_ITEMS: usize = 88;

/** u64 */
export const H_LIVE_BYTES: usize = 96;

/** u64 counters */
export const H_EVICTIONS: usize = 104;

export const H_EXPIRED: usize = 112;

export const H_HITS: usize = 120;

export const H_MISSES: usize = 128;

/** f64: absolute ms of the shard's epoch; item expiries are relative to it */
export const H_EPOCH: usize = 136;

/** f64: the host's clock for the call in progress, relative to the epoch */
export const H_NOW: usize = 144;

export const H_BUDGET: usize = 152;

export const MAGIC: u32 = 0x6b766f31; // "kvo1"

/** Address of the header: first 64-byte boundary above the static data. */
export function hdr(): usize {
  return (__heap_base + 63) & ~(<usize> 63);
}

export function h32(field: usize): u32 {
  return load<u32>(hdr() + field);
}

export function setH32(field: usize, v: u32): void {
  store<u32>(hdr() + field, v);
}

export function addH64(field: usize, v: u64): void {
  const p = hdr() + field;
  store<u64>(p, load<u64>(p) + v);
}

// Status codes (negative results); mirrored in ../_abi.ts.
export const ST_OK: i32 = 0;

export const ST_TOO_LARGE: i32 = -1;

export const ST_BAD_ARG: i32 = -2;

export const ST_NO_MEMORY: i32 = -3;

/** u32: writes so far (paces the incremental sweep) */
export const H_WRITES: usize = 156;

/** u32: sink for the loads that warm the cache in batch calls */
export const H_TOUCHED: usize = 160;
/** u32: inserts that had to pass two or more full buckets since the index was last built */
export const H_LONG_INSERTS: usize = 164;
/** u32: H_WRITES when the index was last rebuilt in place */
export const H_REBUILT_AT: usize = 168;
/** u32: in-place index rebuilds so far */
export const H_REBUILDS: usize = 172;

// ---- collection calls: the request block the host fills before `coll`, and
// the results it reads after (see collection.ts) ----

/** f64: TTL of a collection write in ms; negative: the write carries no TTL */
export const H_ARG_TTL: usize = 176;
/** u32: op flags (F_* in collection.ts) */
export const H_ARG_FLAGS: usize = 184;
/** u32: largest logical size the collection may reach (maxItemBytes - key) */
export const H_ARG_MAX_LOGICAL: usize = 188;
/** u32: most elements the collection may hold */
export const H_ARG_MAX_COUNT: usize = 192;
/** i32: first integer argument (start, offset, truncate size, seed) */
export const H_ARG_A: usize = 196;
/** i32: second integer argument (end, count) */
export const H_ARG_B: usize = 200;
/** u32: type of the item found (for wrong-type errors) */
export const H_RES_TYPE: usize = 204;
/** f64: first float argument (min score, amount) */
export const H_ARG_X: usize = 208;
/** f64: second float argument (max score) */
export const H_ARG_Y: usize = 216;
/** u32: address of the result stream (its length in H_RESULT_LEN) */
export const H_RES_PTR: usize = 224;
/** u32: elements in the result stream, or a count result */
export const H_RES_COUNT: usize = 228;
/** f64: a float result (score, remaining TTL) */
export const H_RES_F64: usize = 232;
/** u32: start of the extension region above the arena (grown on demand) */
export const H_EXT: usize = 240;
/** u32: bump top of the extension region during a call */
export const H_EXT_TOP: usize = 244;
/** i32: the eviction policy's recency score (shard.ts, "recency mode") */
export const H_ADAPT: usize = 248;

/** The key holds another type (its type in H_RES_TYPE). */
export const ST_WRONG_TYPE: i32 = -4;
/** The collection would pass the logical size limit. */
export const ST_LIMIT_SIZE: i32 = -5;
/** The collection would pass the element count limit. */
export const ST_LIMIT_COUNT: i32 = -6;
/** The key (or the value asked for) is absent. */
export const ST_MISS: i32 = -7;
/** A sorted-set increment would make the score infinite or NaN. */
export const ST_NOT_FINITE: i32 = -8;
